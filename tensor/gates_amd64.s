//go:build amd64 && !purego

#include "textflag.h"

// The float32 kernels of Sigmoid and Tanh (see gates.go for the formulas
// and the pure-Go loop): blocks of one YMM register, eight float32. They
// use AVX2 but no FMA: every multiply and add is rounded on its own, as
// Go rounds them, so that the bits are the pure-Go loop's. Every constant
// is a row of eight copies in gateK.

// min = -87 at 0
DATA gateK<>+0(SB)/4, $0xc2ae0000
DATA gateK<>+4(SB)/4, $0xc2ae0000
DATA gateK<>+8(SB)/4, $0xc2ae0000
DATA gateK<>+12(SB)/4, $0xc2ae0000
DATA gateK<>+16(SB)/4, $0xc2ae0000
DATA gateK<>+20(SB)/4, $0xc2ae0000
DATA gateK<>+24(SB)/4, $0xc2ae0000
DATA gateK<>+28(SB)/4, $0xc2ae0000
// max = 88 at 32
DATA gateK<>+32(SB)/4, $0x42b00000
DATA gateK<>+36(SB)/4, $0x42b00000
DATA gateK<>+40(SB)/4, $0x42b00000
DATA gateK<>+44(SB)/4, $0x42b00000
DATA gateK<>+48(SB)/4, $0x42b00000
DATA gateK<>+52(SB)/4, $0x42b00000
DATA gateK<>+56(SB)/4, $0x42b00000
DATA gateK<>+60(SB)/4, $0x42b00000
// log2e = 1.442695 at 64
DATA gateK<>+64(SB)/4, $0x3fb8aa3b
DATA gateK<>+68(SB)/4, $0x3fb8aa3b
DATA gateK<>+72(SB)/4, $0x3fb8aa3b
DATA gateK<>+76(SB)/4, $0x3fb8aa3b
DATA gateK<>+80(SB)/4, $0x3fb8aa3b
DATA gateK<>+84(SB)/4, $0x3fb8aa3b
DATA gateK<>+88(SB)/4, $0x3fb8aa3b
DATA gateK<>+92(SB)/4, $0x3fb8aa3b
// round = 1.2582912e+07 at 96
DATA gateK<>+96(SB)/4, $0x4b400000
DATA gateK<>+100(SB)/4, $0x4b400000
DATA gateK<>+104(SB)/4, $0x4b400000
DATA gateK<>+108(SB)/4, $0x4b400000
DATA gateK<>+112(SB)/4, $0x4b400000
DATA gateK<>+116(SB)/4, $0x4b400000
DATA gateK<>+120(SB)/4, $0x4b400000
DATA gateK<>+124(SB)/4, $0x4b400000
// ln2hi = 0.6933594 at 128
DATA gateK<>+128(SB)/4, $0x3f318000
DATA gateK<>+132(SB)/4, $0x3f318000
DATA gateK<>+136(SB)/4, $0x3f318000
DATA gateK<>+140(SB)/4, $0x3f318000
DATA gateK<>+144(SB)/4, $0x3f318000
DATA gateK<>+148(SB)/4, $0x3f318000
DATA gateK<>+152(SB)/4, $0x3f318000
DATA gateK<>+156(SB)/4, $0x3f318000
// ln2lo = -0.00021219444 at 160
DATA gateK<>+160(SB)/4, $0xb95e8083
DATA gateK<>+164(SB)/4, $0xb95e8083
DATA gateK<>+168(SB)/4, $0xb95e8083
DATA gateK<>+172(SB)/4, $0xb95e8083
DATA gateK<>+176(SB)/4, $0xb95e8083
DATA gateK<>+180(SB)/4, $0xb95e8083
DATA gateK<>+184(SB)/4, $0xb95e8083
DATA gateK<>+188(SB)/4, $0xb95e8083
// p0 = 0.00019875691 at 192
DATA gateK<>+192(SB)/4, $0x39506967
DATA gateK<>+196(SB)/4, $0x39506967
DATA gateK<>+200(SB)/4, $0x39506967
DATA gateK<>+204(SB)/4, $0x39506967
DATA gateK<>+208(SB)/4, $0x39506967
DATA gateK<>+212(SB)/4, $0x39506967
DATA gateK<>+216(SB)/4, $0x39506967
DATA gateK<>+220(SB)/4, $0x39506967
// p1 = 0.0013981999 at 224
DATA gateK<>+224(SB)/4, $0x3ab743ce
DATA gateK<>+228(SB)/4, $0x3ab743ce
DATA gateK<>+232(SB)/4, $0x3ab743ce
DATA gateK<>+236(SB)/4, $0x3ab743ce
DATA gateK<>+240(SB)/4, $0x3ab743ce
DATA gateK<>+244(SB)/4, $0x3ab743ce
DATA gateK<>+248(SB)/4, $0x3ab743ce
DATA gateK<>+252(SB)/4, $0x3ab743ce
// p2 = 0.008333452 at 256
DATA gateK<>+256(SB)/4, $0x3c088908
DATA gateK<>+260(SB)/4, $0x3c088908
DATA gateK<>+264(SB)/4, $0x3c088908
DATA gateK<>+268(SB)/4, $0x3c088908
DATA gateK<>+272(SB)/4, $0x3c088908
DATA gateK<>+276(SB)/4, $0x3c088908
DATA gateK<>+280(SB)/4, $0x3c088908
DATA gateK<>+284(SB)/4, $0x3c088908
// p3 = 0.041665796 at 288
DATA gateK<>+288(SB)/4, $0x3d2aa9c1
DATA gateK<>+292(SB)/4, $0x3d2aa9c1
DATA gateK<>+296(SB)/4, $0x3d2aa9c1
DATA gateK<>+300(SB)/4, $0x3d2aa9c1
DATA gateK<>+304(SB)/4, $0x3d2aa9c1
DATA gateK<>+308(SB)/4, $0x3d2aa9c1
DATA gateK<>+312(SB)/4, $0x3d2aa9c1
DATA gateK<>+316(SB)/4, $0x3d2aa9c1
// p4 = 0.16666666 at 320
DATA gateK<>+320(SB)/4, $0x3e2aaaaa
DATA gateK<>+324(SB)/4, $0x3e2aaaaa
DATA gateK<>+328(SB)/4, $0x3e2aaaaa
DATA gateK<>+332(SB)/4, $0x3e2aaaaa
DATA gateK<>+336(SB)/4, $0x3e2aaaaa
DATA gateK<>+340(SB)/4, $0x3e2aaaaa
DATA gateK<>+344(SB)/4, $0x3e2aaaaa
DATA gateK<>+348(SB)/4, $0x3e2aaaaa
// p5 = 0.5 at 352
DATA gateK<>+352(SB)/4, $0x3f000000
DATA gateK<>+356(SB)/4, $0x3f000000
DATA gateK<>+360(SB)/4, $0x3f000000
DATA gateK<>+364(SB)/4, $0x3f000000
DATA gateK<>+368(SB)/4, $0x3f000000
DATA gateK<>+372(SB)/4, $0x3f000000
DATA gateK<>+376(SB)/4, $0x3f000000
DATA gateK<>+380(SB)/4, $0x3f000000
// one = 1 at 384
DATA gateK<>+384(SB)/4, $0x3f800000
DATA gateK<>+388(SB)/4, $0x3f800000
DATA gateK<>+392(SB)/4, $0x3f800000
DATA gateK<>+396(SB)/4, $0x3f800000
DATA gateK<>+400(SB)/4, $0x3f800000
DATA gateK<>+404(SB)/4, $0x3f800000
DATA gateK<>+408(SB)/4, $0x3f800000
DATA gateK<>+412(SB)/4, $0x3f800000
// two = 2 at 416
DATA gateK<>+416(SB)/4, $0x40000000
DATA gateK<>+420(SB)/4, $0x40000000
DATA gateK<>+424(SB)/4, $0x40000000
DATA gateK<>+428(SB)/4, $0x40000000
DATA gateK<>+432(SB)/4, $0x40000000
DATA gateK<>+436(SB)/4, $0x40000000
DATA gateK<>+440(SB)/4, $0x40000000
DATA gateK<>+444(SB)/4, $0x40000000
// mtwo = -2 at 448
DATA gateK<>+448(SB)/4, $0xc0000000
DATA gateK<>+452(SB)/4, $0xc0000000
DATA gateK<>+456(SB)/4, $0xc0000000
DATA gateK<>+460(SB)/4, $0xc0000000
DATA gateK<>+464(SB)/4, $0xc0000000
DATA gateK<>+468(SB)/4, $0xc0000000
DATA gateK<>+472(SB)/4, $0xc0000000
DATA gateK<>+476(SB)/4, $0xc0000000
// i127 = 127 at 480
DATA gateK<>+480(SB)/4, $0x0000007f
DATA gateK<>+484(SB)/4, $0x0000007f
DATA gateK<>+488(SB)/4, $0x0000007f
DATA gateK<>+492(SB)/4, $0x0000007f
DATA gateK<>+496(SB)/4, $0x0000007f
DATA gateK<>+500(SB)/4, $0x0000007f
DATA gateK<>+504(SB)/4, $0x0000007f
DATA gateK<>+508(SB)/4, $0x0000007f
// sign = 0x80000000 at 512
DATA gateK<>+512(SB)/4, $0x80000000
DATA gateK<>+516(SB)/4, $0x80000000
DATA gateK<>+520(SB)/4, $0x80000000
DATA gateK<>+524(SB)/4, $0x80000000
DATA gateK<>+528(SB)/4, $0x80000000
DATA gateK<>+532(SB)/4, $0x80000000
DATA gateK<>+536(SB)/4, $0x80000000
DATA gateK<>+540(SB)/4, $0x80000000
GLOBL gateK<>(SB), RODATA|NOPTR, $544

#define K_min gateK<>+0(SB)
#define K_max gateK<>+32(SB)
#define K_log2e gateK<>+64(SB)
#define K_round gateK<>+96(SB)
#define K_ln2hi gateK<>+128(SB)
#define K_ln2lo gateK<>+160(SB)
#define K_p0 gateK<>+192(SB)
#define K_p1 gateK<>+224(SB)
#define K_p2 gateK<>+256(SB)
#define K_p3 gateK<>+288(SB)
#define K_p4 gateK<>+320(SB)
#define K_p5 gateK<>+352(SB)
#define K_one gateK<>+384(SB)
#define K_two gateK<>+416(SB)
#define K_mtwo gateK<>+448(SB)
#define K_i127 gateK<>+480(SB)
#define K_sign gateK<>+512(SB)

// EXPF1(V, N, R, P, Z): P = 1 + e^V, expCephes32's operations one by one
// (V, N, R and Z are scratch). The clamps take v as their second operand,
// which MAXPS and MINPS return for NaN: NaN stays NaN, as with Go's
// comparisons.
#define EXPF1(V, N, R, P, Z) \
	VMOVUPS K_min, N; \
	VMAXPS V, N, V; \
	VMOVUPS K_max, N; \
	VMINPS V, N, V; \
	VMULPS K_log2e, V, N; \
	VADDPS K_round, N, N; \
	VSUBPS K_round, N, N; \
	VMULPS K_ln2hi, N, R; \
	VSUBPS R, V, V; \
	VMULPS K_ln2lo, N, R; \
	VSUBPS R, V, V; \
	VMULPS V, V, Z; \
	VMULPS K_p0, V, P; \
	VADDPS K_p1, P, P; \
	VMULPS V, P, P; \
	VADDPS K_p2, P, P; \
	VMULPS V, P, P; \
	VADDPS K_p3, P, P; \
	VMULPS V, P, P; \
	VADDPS K_p4, P, P; \
	VMULPS V, P, P; \
	VADDPS K_p5, P, P; \
	VMULPS Z, P, P; \
	VADDPS V, P, P; \
	VADDPS K_one, P, P; \
	VCVTTPS2DQ N, N; \
	VPADDD K_i127, N, N; \
	VPSLLD $23, N, N; \
	VMULPS N, P, P; \
	VADDPS K_one, P, P

// func sigmoid32(dst, x *float32, blocks int)
// dst = 1/(1 + e^-x).
TEXT ·sigmoid32(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
	VMOVUPS K_one, Y10
sigmoid32_loop:
	VMOVUPS (SI), Y0
	VXORPS K_sign, Y0, Y0
	EXPF1(Y0, Y1, Y2, Y3, Y4)
	VDIVPS Y3, Y10, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ sigmoid32_loop
	VZEROUPPER
	RET

// func tanh32(dst, x *float32, blocks int)
// dst = 2/(1 + e^-2x) − 1.
TEXT ·tanh32(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
	VMOVUPS K_two, Y10
tanh32_loop:
	VMOVUPS (SI), Y0
	VMULPS K_mtwo, Y0, Y0
	EXPF1(Y0, Y1, Y2, Y3, Y4)
	VDIVPS Y3, Y10, Y3
	VSUBPS K_one, Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ tanh32_loop
	VZEROUPPER
	RET
