//go:build amd64 && !purego

#include "textflag.h"

// GELU's float32 kernels (see gelu.go for the formulas and the pure-Go loop
// with the same operations): blocks of one YMM register, eight float32.
// Every constant is a row of eight copies in geluK, so that VMULPS and
// VFMADD take it from memory.

// half = 0.5 at 0
DATA geluK<>+0(SB)/4, $0x3f000000
DATA geluK<>+4(SB)/4, $0x3f000000
DATA geluK<>+8(SB)/4, $0x3f000000
DATA geluK<>+12(SB)/4, $0x3f000000
DATA geluK<>+16(SB)/4, $0x3f000000
DATA geluK<>+20(SB)/4, $0x3f000000
DATA geluK<>+24(SB)/4, $0x3f000000
DATA geluK<>+28(SB)/4, $0x3f000000
// one = 1 at 32
DATA geluK<>+32(SB)/4, $0x3f800000
DATA geluK<>+36(SB)/4, $0x3f800000
DATA geluK<>+40(SB)/4, $0x3f800000
DATA geluK<>+44(SB)/4, $0x3f800000
DATA geluK<>+48(SB)/4, $0x3f800000
DATA geluK<>+52(SB)/4, $0x3f800000
DATA geluK<>+56(SB)/4, $0x3f800000
DATA geluK<>+60(SB)/4, $0x3f800000
// four = 4 at 64
DATA geluK<>+64(SB)/4, $0x40800000
DATA geluK<>+68(SB)/4, $0x40800000
DATA geluK<>+72(SB)/4, $0x40800000
DATA geluK<>+76(SB)/4, $0x40800000
DATA geluK<>+80(SB)/4, $0x40800000
DATA geluK<>+84(SB)/4, $0x40800000
DATA geluK<>+88(SB)/4, $0x40800000
DATA geluK<>+92(SB)/4, $0x40800000
// mfour = -4 at 96
DATA geluK<>+96(SB)/4, $0xc0800000
DATA geluK<>+100(SB)/4, $0xc0800000
DATA geluK<>+104(SB)/4, $0xc0800000
DATA geluK<>+108(SB)/4, $0xc0800000
DATA geluK<>+112(SB)/4, $0xc0800000
DATA geluK<>+116(SB)/4, $0xc0800000
DATA geluK<>+120(SB)/4, $0xc0800000
DATA geluK<>+124(SB)/4, $0xc0800000
// sqrthalf = 0.70710677 at 128
DATA geluK<>+128(SB)/4, $0x3f3504f3
DATA geluK<>+132(SB)/4, $0x3f3504f3
DATA geluK<>+136(SB)/4, $0x3f3504f3
DATA geluK<>+140(SB)/4, $0x3f3504f3
DATA geluK<>+144(SB)/4, $0x3f3504f3
DATA geluK<>+148(SB)/4, $0x3f3504f3
DATA geluK<>+152(SB)/4, $0x3f3504f3
DATA geluK<>+156(SB)/4, $0x3f3504f3
// a13 = -2.7261424e-10 at 160
DATA geluK<>+160(SB)/4, $0xaf95df0b
DATA geluK<>+164(SB)/4, $0xaf95df0b
DATA geluK<>+168(SB)/4, $0xaf95df0b
DATA geluK<>+172(SB)/4, $0xaf95df0b
DATA geluK<>+176(SB)/4, $0xaf95df0b
DATA geluK<>+180(SB)/4, $0xaf95df0b
DATA geluK<>+184(SB)/4, $0xaf95df0b
DATA geluK<>+188(SB)/4, $0xaf95df0b
// a11 = 2.7706815e-08 at 192
DATA geluK<>+192(SB)/4, $0x32edffee
DATA geluK<>+196(SB)/4, $0x32edffee
DATA geluK<>+200(SB)/4, $0x32edffee
DATA geluK<>+204(SB)/4, $0x32edffee
DATA geluK<>+208(SB)/4, $0x32edffee
DATA geluK<>+212(SB)/4, $0x32edffee
DATA geluK<>+216(SB)/4, $0x32edffee
DATA geluK<>+220(SB)/4, $0x32edffee
// a9 = -2.101024e-06 at 224
DATA geluK<>+224(SB)/4, $0xb60cff51
DATA geluK<>+228(SB)/4, $0xb60cff51
DATA geluK<>+232(SB)/4, $0xb60cff51
DATA geluK<>+236(SB)/4, $0xb60cff51
DATA geluK<>+240(SB)/4, $0xb60cff51
DATA geluK<>+244(SB)/4, $0xb60cff51
DATA geluK<>+248(SB)/4, $0xb60cff51
DATA geluK<>+252(SB)/4, $0xb60cff51
// a7 = -5.6925062e-05 at 256
DATA geluK<>+256(SB)/4, $0xb86ec2d2
DATA geluK<>+260(SB)/4, $0xb86ec2d2
DATA geluK<>+264(SB)/4, $0xb86ec2d2
DATA geluK<>+268(SB)/4, $0xb86ec2d2
DATA geluK<>+272(SB)/4, $0xb86ec2d2
DATA geluK<>+276(SB)/4, $0xb86ec2d2
DATA geluK<>+280(SB)/4, $0xb86ec2d2
DATA geluK<>+284(SB)/4, $0xb86ec2d2
// a5 = -0.00073499064 at 288
DATA geluK<>+288(SB)/4, $0xba40ac63
DATA geluK<>+292(SB)/4, $0xba40ac63
DATA geluK<>+296(SB)/4, $0xba40ac63
DATA geluK<>+300(SB)/4, $0xba40ac63
DATA geluK<>+304(SB)/4, $0xba40ac63
DATA geluK<>+308(SB)/4, $0xba40ac63
DATA geluK<>+312(SB)/4, $0xba40ac63
DATA geluK<>+316(SB)/4, $0xba40ac63
// a3 = -0.0029546 at 320
DATA geluK<>+320(SB)/4, $0xbb41a1f6
DATA geluK<>+324(SB)/4, $0xbb41a1f6
DATA geluK<>+328(SB)/4, $0xbb41a1f6
DATA geluK<>+332(SB)/4, $0xbb41a1f6
DATA geluK<>+336(SB)/4, $0xbb41a1f6
DATA geluK<>+340(SB)/4, $0xbb41a1f6
DATA geluK<>+344(SB)/4, $0xbb41a1f6
DATA geluK<>+348(SB)/4, $0xbb41a1f6
// a1 = -0.016096033 at 352
DATA geluK<>+352(SB)/4, $0xbc83dbd4
DATA geluK<>+356(SB)/4, $0xbc83dbd4
DATA geluK<>+360(SB)/4, $0xbc83dbd4
DATA geluK<>+364(SB)/4, $0xbc83dbd4
DATA geluK<>+368(SB)/4, $0xbc83dbd4
DATA geluK<>+372(SB)/4, $0xbc83dbd4
DATA geluK<>+376(SB)/4, $0xbc83dbd4
DATA geluK<>+380(SB)/4, $0xbc83dbd4
// b8 = -1.45660715e-05 at 384
DATA geluK<>+384(SB)/4, $0xb77460cd
DATA geluK<>+388(SB)/4, $0xb77460cd
DATA geluK<>+392(SB)/4, $0xb77460cd
DATA geluK<>+396(SB)/4, $0xb77460cd
DATA geluK<>+400(SB)/4, $0xb77460cd
DATA geluK<>+404(SB)/4, $0xb77460cd
DATA geluK<>+408(SB)/4, $0xb77460cd
DATA geluK<>+412(SB)/4, $0xb77460cd
// b6 = -0.00021337405 at 416
DATA geluK<>+416(SB)/4, $0xb95fbd29
DATA geluK<>+420(SB)/4, $0xb95fbd29
DATA geluK<>+424(SB)/4, $0xb95fbd29
DATA geluK<>+428(SB)/4, $0xb95fbd29
DATA geluK<>+432(SB)/4, $0xb95fbd29
DATA geluK<>+436(SB)/4, $0xb95fbd29
DATA geluK<>+440(SB)/4, $0xb95fbd29
DATA geluK<>+444(SB)/4, $0xb95fbd29
// b4 = -0.001682827 at 448
DATA geluK<>+448(SB)/4, $0xbadc924e
DATA geluK<>+452(SB)/4, $0xbadc924e
DATA geluK<>+456(SB)/4, $0xbadc924e
DATA geluK<>+460(SB)/4, $0xbadc924e
DATA geluK<>+464(SB)/4, $0xbadc924e
DATA geluK<>+468(SB)/4, $0xbadc924e
DATA geluK<>+472(SB)/4, $0xbadc924e
DATA geluK<>+476(SB)/4, $0xbadc924e
// b2 = -0.0073733293 at 480
DATA geluK<>+480(SB)/4, $0xbbf19bf8
DATA geluK<>+484(SB)/4, $0xbbf19bf8
DATA geluK<>+488(SB)/4, $0xbbf19bf8
DATA geluK<>+492(SB)/4, $0xbbf19bf8
DATA geluK<>+496(SB)/4, $0xbbf19bf8
DATA geluK<>+500(SB)/4, $0xbbf19bf8
DATA geluK<>+504(SB)/4, $0xbbf19bf8
DATA geluK<>+508(SB)/4, $0xbbf19bf8
// b0 = -0.014264739 at 512
DATA geluK<>+512(SB)/4, $0xbc69b6a7
DATA geluK<>+516(SB)/4, $0xbc69b6a7
DATA geluK<>+520(SB)/4, $0xbc69b6a7
DATA geluK<>+524(SB)/4, $0xbc69b6a7
DATA geluK<>+528(SB)/4, $0xbc69b6a7
DATA geluK<>+532(SB)/4, $0xbc69b6a7
DATA geluK<>+536(SB)/4, $0xbc69b6a7
DATA geluK<>+540(SB)/4, $0xbc69b6a7
// expmin = -87 at 544
DATA geluK<>+544(SB)/4, $0xc2ae0000
DATA geluK<>+548(SB)/4, $0xc2ae0000
DATA geluK<>+552(SB)/4, $0xc2ae0000
DATA geluK<>+556(SB)/4, $0xc2ae0000
DATA geluK<>+560(SB)/4, $0xc2ae0000
DATA geluK<>+564(SB)/4, $0xc2ae0000
DATA geluK<>+568(SB)/4, $0xc2ae0000
DATA geluK<>+572(SB)/4, $0xc2ae0000
// expmax = 88 at 576
DATA geluK<>+576(SB)/4, $0x42b00000
DATA geluK<>+580(SB)/4, $0x42b00000
DATA geluK<>+584(SB)/4, $0x42b00000
DATA geluK<>+588(SB)/4, $0x42b00000
DATA geluK<>+592(SB)/4, $0x42b00000
DATA geluK<>+596(SB)/4, $0x42b00000
DATA geluK<>+600(SB)/4, $0x42b00000
DATA geluK<>+604(SB)/4, $0x42b00000
// log2e = 1.442695 at 608
DATA geluK<>+608(SB)/4, $0x3fb8aa3b
DATA geluK<>+612(SB)/4, $0x3fb8aa3b
DATA geluK<>+616(SB)/4, $0x3fb8aa3b
DATA geluK<>+620(SB)/4, $0x3fb8aa3b
DATA geluK<>+624(SB)/4, $0x3fb8aa3b
DATA geluK<>+628(SB)/4, $0x3fb8aa3b
DATA geluK<>+632(SB)/4, $0x3fb8aa3b
DATA geluK<>+636(SB)/4, $0x3fb8aa3b
// mln2hi = -0.6933594 at 640
DATA geluK<>+640(SB)/4, $0xbf318000
DATA geluK<>+644(SB)/4, $0xbf318000
DATA geluK<>+648(SB)/4, $0xbf318000
DATA geluK<>+652(SB)/4, $0xbf318000
DATA geluK<>+656(SB)/4, $0xbf318000
DATA geluK<>+660(SB)/4, $0xbf318000
DATA geluK<>+664(SB)/4, $0xbf318000
DATA geluK<>+668(SB)/4, $0xbf318000
// mln2lo = 0.00021219444 at 672
DATA geluK<>+672(SB)/4, $0x395e8083
DATA geluK<>+676(SB)/4, $0x395e8083
DATA geluK<>+680(SB)/4, $0x395e8083
DATA geluK<>+684(SB)/4, $0x395e8083
DATA geluK<>+688(SB)/4, $0x395e8083
DATA geluK<>+692(SB)/4, $0x395e8083
DATA geluK<>+696(SB)/4, $0x395e8083
DATA geluK<>+700(SB)/4, $0x395e8083
// e5 = 0.00019875691 at 704
DATA geluK<>+704(SB)/4, $0x39506967
DATA geluK<>+708(SB)/4, $0x39506967
DATA geluK<>+712(SB)/4, $0x39506967
DATA geluK<>+716(SB)/4, $0x39506967
DATA geluK<>+720(SB)/4, $0x39506967
DATA geluK<>+724(SB)/4, $0x39506967
DATA geluK<>+728(SB)/4, $0x39506967
DATA geluK<>+732(SB)/4, $0x39506967
// e4 = 0.0013981999 at 736
DATA geluK<>+736(SB)/4, $0x3ab743ce
DATA geluK<>+740(SB)/4, $0x3ab743ce
DATA geluK<>+744(SB)/4, $0x3ab743ce
DATA geluK<>+748(SB)/4, $0x3ab743ce
DATA geluK<>+752(SB)/4, $0x3ab743ce
DATA geluK<>+756(SB)/4, $0x3ab743ce
DATA geluK<>+760(SB)/4, $0x3ab743ce
DATA geluK<>+764(SB)/4, $0x3ab743ce
// e3 = 0.008333452 at 768
DATA geluK<>+768(SB)/4, $0x3c088908
DATA geluK<>+772(SB)/4, $0x3c088908
DATA geluK<>+776(SB)/4, $0x3c088908
DATA geluK<>+780(SB)/4, $0x3c088908
DATA geluK<>+784(SB)/4, $0x3c088908
DATA geluK<>+788(SB)/4, $0x3c088908
DATA geluK<>+792(SB)/4, $0x3c088908
DATA geluK<>+796(SB)/4, $0x3c088908
// e2 = 0.041665796 at 800
DATA geluK<>+800(SB)/4, $0x3d2aa9c1
DATA geluK<>+804(SB)/4, $0x3d2aa9c1
DATA geluK<>+808(SB)/4, $0x3d2aa9c1
DATA geluK<>+812(SB)/4, $0x3d2aa9c1
DATA geluK<>+816(SB)/4, $0x3d2aa9c1
DATA geluK<>+820(SB)/4, $0x3d2aa9c1
DATA geluK<>+824(SB)/4, $0x3d2aa9c1
DATA geluK<>+828(SB)/4, $0x3d2aa9c1
// e1 = 0.16666666 at 832
DATA geluK<>+832(SB)/4, $0x3e2aaaaa
DATA geluK<>+836(SB)/4, $0x3e2aaaaa
DATA geluK<>+840(SB)/4, $0x3e2aaaaa
DATA geluK<>+844(SB)/4, $0x3e2aaaaa
DATA geluK<>+848(SB)/4, $0x3e2aaaaa
DATA geluK<>+852(SB)/4, $0x3e2aaaaa
DATA geluK<>+856(SB)/4, $0x3e2aaaaa
DATA geluK<>+860(SB)/4, $0x3e2aaaaa
// e0 = 0.5 at 864
DATA geluK<>+864(SB)/4, $0x3f000000
DATA geluK<>+868(SB)/4, $0x3f000000
DATA geluK<>+872(SB)/4, $0x3f000000
DATA geluK<>+876(SB)/4, $0x3f000000
DATA geluK<>+880(SB)/4, $0x3f000000
DATA geluK<>+884(SB)/4, $0x3f000000
DATA geluK<>+888(SB)/4, $0x3f000000
DATA geluK<>+892(SB)/4, $0x3f000000
// tanha = -1.5957692 at 896
DATA geluK<>+896(SB)/4, $0xbfcc422a
DATA geluK<>+900(SB)/4, $0xbfcc422a
DATA geluK<>+904(SB)/4, $0xbfcc422a
DATA geluK<>+908(SB)/4, $0xbfcc422a
DATA geluK<>+912(SB)/4, $0xbfcc422a
DATA geluK<>+916(SB)/4, $0xbfcc422a
DATA geluK<>+920(SB)/4, $0xbfcc422a
DATA geluK<>+924(SB)/4, $0xbfcc422a
// tanhb = -0.071354814 at 928
DATA geluK<>+928(SB)/4, $0xbd922279
DATA geluK<>+932(SB)/4, $0xbd922279
DATA geluK<>+936(SB)/4, $0xbd922279
DATA geluK<>+940(SB)/4, $0xbd922279
DATA geluK<>+944(SB)/4, $0xbd922279
DATA geluK<>+948(SB)/4, $0xbd922279
DATA geluK<>+952(SB)/4, $0xbd922279
DATA geluK<>+956(SB)/4, $0xbd922279
// tanhga = 1.5957692 at 960
DATA geluK<>+960(SB)/4, $0x3fcc422a
DATA geluK<>+964(SB)/4, $0x3fcc422a
DATA geluK<>+968(SB)/4, $0x3fcc422a
DATA geluK<>+972(SB)/4, $0x3fcc422a
DATA geluK<>+976(SB)/4, $0x3fcc422a
DATA geluK<>+980(SB)/4, $0x3fcc422a
DATA geluK<>+984(SB)/4, $0x3fcc422a
DATA geluK<>+988(SB)/4, $0x3fcc422a
// tanhgb = 0.21406445 at 992
DATA geluK<>+992(SB)/4, $0x3e5b33b6
DATA geluK<>+996(SB)/4, $0x3e5b33b6
DATA geluK<>+1000(SB)/4, $0x3e5b33b6
DATA geluK<>+1004(SB)/4, $0x3e5b33b6
DATA geluK<>+1008(SB)/4, $0x3e5b33b6
DATA geluK<>+1012(SB)/4, $0x3e5b33b6
DATA geluK<>+1016(SB)/4, $0x3e5b33b6
DATA geluK<>+1020(SB)/4, $0x3e5b33b6
// invsqrt2pi = 0.3989423 at 1024
DATA geluK<>+1024(SB)/4, $0x3ecc422a
DATA geluK<>+1028(SB)/4, $0x3ecc422a
DATA geluK<>+1032(SB)/4, $0x3ecc422a
DATA geluK<>+1036(SB)/4, $0x3ecc422a
DATA geluK<>+1040(SB)/4, $0x3ecc422a
DATA geluK<>+1044(SB)/4, $0x3ecc422a
DATA geluK<>+1048(SB)/4, $0x3ecc422a
DATA geluK<>+1052(SB)/4, $0x3ecc422a
// mhalf = -0.5 at 1056
DATA geluK<>+1056(SB)/4, $0xbf000000
DATA geluK<>+1060(SB)/4, $0xbf000000
DATA geluK<>+1064(SB)/4, $0xbf000000
DATA geluK<>+1068(SB)/4, $0xbf000000
DATA geluK<>+1072(SB)/4, $0xbf000000
DATA geluK<>+1076(SB)/4, $0xbf000000
DATA geluK<>+1080(SB)/4, $0xbf000000
DATA geluK<>+1084(SB)/4, $0xbf000000
// i127 = 1.78e-43 at 1088
DATA geluK<>+1088(SB)/4, $0x0000007f
DATA geluK<>+1092(SB)/4, $0x0000007f
DATA geluK<>+1096(SB)/4, $0x0000007f
DATA geluK<>+1100(SB)/4, $0x0000007f
DATA geluK<>+1104(SB)/4, $0x0000007f
DATA geluK<>+1108(SB)/4, $0x0000007f
DATA geluK<>+1112(SB)/4, $0x0000007f
DATA geluK<>+1116(SB)/4, $0x0000007f
GLOBL geluK<>(SB), RODATA|NOPTR, $1120
#define K_half geluK<>+0(SB)
#define K_one geluK<>+32(SB)
#define K_four geluK<>+64(SB)
#define K_mfour geluK<>+96(SB)
#define K_sqrthalf geluK<>+128(SB)
#define K_a13 geluK<>+160(SB)
#define K_a11 geluK<>+192(SB)
#define K_a9 geluK<>+224(SB)
#define K_a7 geluK<>+256(SB)
#define K_a5 geluK<>+288(SB)
#define K_a3 geluK<>+320(SB)
#define K_a1 geluK<>+352(SB)
#define K_b8 geluK<>+384(SB)
#define K_b6 geluK<>+416(SB)
#define K_b4 geluK<>+448(SB)
#define K_b2 geluK<>+480(SB)
#define K_b0 geluK<>+512(SB)
#define K_expmin geluK<>+544(SB)
#define K_expmax geluK<>+576(SB)
#define K_log2e geluK<>+608(SB)
#define K_mln2hi geluK<>+640(SB)
#define K_mln2lo geluK<>+672(SB)
#define K_e5 geluK<>+704(SB)
#define K_e4 geluK<>+736(SB)
#define K_e3 geluK<>+768(SB)
#define K_e2 geluK<>+800(SB)
#define K_e1 geluK<>+832(SB)
#define K_e0 geluK<>+864(SB)
#define K_tanha geluK<>+896(SB)
#define K_tanhb geluK<>+928(SB)
#define K_tanhga geluK<>+960(SB)
#define K_tanhgb geluK<>+992(SB)
#define K_invsqrt2pi geluK<>+1024(SB)
#define K_mhalf geluK<>+1056(SB)
#define K_i127 geluK<>+1088(SB)

// ERF(Z, Z2, P, Q): P = erf(Z) (Z is clamped to [-4, 4] in place; Z2 and Q
// are scratch), z·P(z²)/Q(z²).
#define ERF(Z, Z2, P, Q) \
	VMAXPS K_mfour, Z, Z; \
	VMINPS K_four, Z, Z; \
	VMULPS Z, Z, Z2; \
	VMOVUPS K_a13, P; \
	VFMADD213PS K_a11, Z2, P; \
	VFMADD213PS K_a9, Z2, P; \
	VFMADD213PS K_a7, Z2, P; \
	VFMADD213PS K_a5, Z2, P; \
	VFMADD213PS K_a3, Z2, P; \
	VFMADD213PS K_a1, Z2, P; \
	VMULPS P, Z, P; \
	VMOVUPS K_b8, Q; \
	VFMADD213PS K_b6, Z2, Q; \
	VFMADD213PS K_b4, Z2, Q; \
	VFMADD213PS K_b2, Z2, Q; \
	VFMADD213PS K_b0, Z2, Q; \
	VDIVPS Q, P, P

// EXP(V, N, R, P): V = exp(V) for V clamped to [-87, 88] (N, R and P are
// scratch): n = round(v·log₂e), r = v − n·ln2 (two parts),
// 1 + r + r²·E(r), times 2ⁿ built in the exponent bits. The clamps take
// v as their second operand, which MAXPS and MINPS return for NaN: NaN
// stays NaN, as with Go's min and max.
#define EXP(V, N, R, P) \
	VMOVUPS K_expmin, N; \
	VMAXPS V, N, V; \
	VMOVUPS K_expmax, N; \
	VMINPS V, N, V; \
	VMULPS K_log2e, V, N; \
	VROUNDPS $0, N, N; \
	VMOVAPS V, R; \
	VFMADD231PS K_mln2hi, N, R; \
	VFMADD231PS K_mln2lo, N, R; \
	VMOVUPS K_e5, P; \
	VFMADD213PS K_e4, R, P; \
	VFMADD213PS K_e3, R, P; \
	VFMADD213PS K_e2, R, P; \
	VFMADD213PS K_e1, R, P; \
	VFMADD213PS K_e0, R, P; \
	VMULPS R, R, V; \
	VFMADD213PS R, V, P; \
	VADDPS K_one, P, P; \
	VCVTTPS2DQ N, N; \
	VPADDD K_i127, N, N; \
	VPSLLD $23, N, N; \
	VMULPS N, P, V

// func geluErf32(dst, x *float32, blocks int)
TEXT ·geluErf32(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
geluErf32_loop:
	VMOVUPS (SI), Y0
	VMULPS K_sqrthalf, Y0, Y1
	ERF(Y1, Y2, Y3, Y4)
	VMULPS K_half, Y0, Y5
	VFMADD213PS Y5, Y5, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ geluErf32_loop
	VZEROUPPER
	RET

// func geluErfGrad32(dst, x, dy *float32, blocks int)
TEXT ·geluErfGrad32(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ blocks+24(FP), CX
geluErfGrad32_loop:
	VMOVUPS (SI), Y0
	VMULPS K_sqrthalf, Y0, Y1
	ERF(Y1, Y2, Y3, Y4)
	VMOVUPS K_half, Y5
	VFMADD213PS K_half, Y5, Y3
	VMULPS K_mhalf, Y0, Y6
	VMULPS Y0, Y6, Y6
	EXP(Y6, Y7, Y8, Y9)
	VMULPS K_invsqrt2pi, Y0, Y7
	VFMADD213PS Y3, Y7, Y6
	VMULPS (DX), Y6, Y6
	VMOVUPS Y6, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ geluErfGrad32_loop
	VZEROUPPER
	RET

// func geluTanh32(dst, x *float32, blocks int)
TEXT ·geluTanh32(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
geluTanh32_loop:
	VMOVUPS (SI), Y0
	VMULPS Y0, Y0, Y1
	VMOVUPS K_tanhb, Y2
	VFMADD213PS K_tanha, Y1, Y2
	VMULPS Y0, Y2, Y2
	EXP(Y2, Y3, Y4, Y5)
	VADDPS K_one, Y2, Y2
	VDIVPS Y2, Y0, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ geluTanh32_loop
	VZEROUPPER
	RET

// func geluTanhGrad32(dst, x, dy *float32, blocks int)
TEXT ·geluTanhGrad32(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ blocks+24(FP), CX
geluTanhGrad32_loop:
	VMOVUPS (SI), Y0
	VMULPS Y0, Y0, Y1
	VMOVUPS K_tanhb, Y2
	VFMADD213PS K_tanha, Y1, Y2
	VMULPS Y0, Y2, Y2
	EXP(Y2, Y3, Y4, Y5)
	VADDPS K_one, Y2, Y3
	VMOVUPS K_one, Y6
	VDIVPS Y3, Y6, Y3
	VMOVUPS K_tanhgb, Y4
	VFMADD213PS K_tanhga, Y1, Y4
	VMULPS Y0, Y4, Y4
	VMULPS Y3, Y4, Y4
	VFMADD213PS K_one, Y2, Y4
	VMULPS Y4, Y3, Y4
	VMULPS (DX), Y4, Y4
	VMOVUPS Y4, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ geluTanhGrad32_loop
	VZEROUPPER
	RET

// func expSub32(dst, x *float32, m float32, blocks int, acc *[8]float32)
// exp(x − m), 0 where x − m < -87 (the compare is false for NaN, which
// stays NaN), summed lane by lane into acc.
TEXT ·expSub32(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	VBROADCASTSS m+16(FP), Y10
	MOVQ blocks+24(FP), CX
	MOVQ acc+32(FP), DX
	VMOVUPS (DX), Y11
expSub32_loop:
	VMOVUPS (SI), Y0
	VSUBPS Y10, Y0, Y0
	VCMPPS $0x05, K_expmin, Y0, Y6
	EXP(Y0, Y1, Y2, Y3)
	VANDPS Y6, Y0, Y0
	VMOVUPS Y0, (DI)
	VADDPS Y0, Y11, Y11
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ expSub32_loop
	VMOVUPS Y11, (DX)
	VZEROUPPER
	RET
