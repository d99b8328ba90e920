//go:build amd64 && !purego

#include "textflag.h"

// 2×2 max pooling of stride 2, float32, eight windows a block: the 16
// cells of a block's top row and of its bottom row are split into their
// even and odd columns (a, b and c, d of each window, in the lane order
// w0 w1 w4 w5 w2 w3 w6 w7 that VSHUFPS leaves), and each window keeps
//
//	ab = b > a ? b : a,  cd = d > c ? d : c,  y = cd > ab ? cd : ab
//
// (VMAXPS src1, src2 is src1 > src2 ? src1 : src2, exactly pool2x2's
// choice, -0 and +0 included), with the index of the cell chosen. VPERMPD
// puts both back in window order. Windows holding a NaN are only flagged:
// the return value is non-zero if any cell was unordered.

// The column of each window's first cell, in VSHUFPS's lane order.
DATA pool2x2off<>+0(SB)/4, $0
DATA pool2x2off<>+4(SB)/4, $2
DATA pool2x2off<>+8(SB)/4, $8
DATA pool2x2off<>+12(SB)/4, $10
DATA pool2x2off<>+16(SB)/4, $4
DATA pool2x2off<>+20(SB)/4, $6
DATA pool2x2off<>+24(SB)/4, $12
DATA pool2x2off<>+28(SB)/4, $14
GLOBL pool2x2off<>(SB), RODATA|NOPTR, $32

// func pool2x2f32(y *float32, arg *int, top *float32, w, base, blocks int) int
TEXT ·pool2x2f32(SB), NOSPLIT, $0-56
	MOVQ y+0(FP), DI
	MOVQ arg+8(FP), R8
	MOVQ top+16(FP), SI
	MOVQ w+24(FP), DX
	MOVQ base+32(FP), AX
	MOVQ blocks+40(FP), CX
	VMOVD AX, X0
	VPBROADCASTD X0, Y14
	VPADDD pool2x2off<>(SB), Y14, Y14 // index of each window's a
	VMOVD DX, X0
	VPBROADCASTD X0, Y13 // w: from a to c
	MOVL $16, AX
	VMOVD AX, X0
	VPBROADCASTD X0, Y11 // 16 columns a block
	SHLQ $2, DX          // w in bytes
	VXORPS Y12, Y12, Y12 // unordered cells seen

pool2x2f32_loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS (SI)(DX*1), Y2
	VMOVUPS 32(SI)(DX*1), Y3
	VSHUFPS $0x88, Y1, Y0, Y4 // a
	VSHUFPS $0xDD, Y1, Y0, Y5 // b
	VSHUFPS $0x88, Y3, Y2, Y6 // c
	VSHUFPS $0xDD, Y3, Y2, Y7 // d
	VCMPPS $0x03, Y5, Y4, Y8
	VORPS Y8, Y12, Y12
	VCMPPS $0x03, Y7, Y6, Y8
	VORPS Y8, Y12, Y12
	VCMPPS $0x1E, Y4, Y5, Y8 // b > a
	VCMPPS $0x1E, Y6, Y7, Y9 // d > c
	VMAXPS Y4, Y5, Y4        // ab
	VMAXPS Y6, Y7, Y6        // cd
	VCMPPS $0x1E, Y4, Y6, Y10 // cd > ab
	VMAXPS Y4, Y6, Y0         // y
	VPSUBD Y8, Y14, Y1        // index of ab: a's, +1 where b won
	VPADDD Y13, Y14, Y2
	VPSUBD Y9, Y2, Y2         // index of cd
	VBLENDVPS Y10, Y2, Y1, Y1 // cd's where cd > ab
	VPERMPD $0xD8, Y0, Y0
	VPERMPD $0xD8, Y1, Y1
	VMOVUPS Y0, (DI)
	VPMOVSXDQ X1, Y2
	VEXTRACTI128 $1, Y1, X3
	VPMOVSXDQ X3, Y3
	VMOVDQU Y2, (R8)
	VMOVDQU Y3, 32(R8)
	VPADDD Y11, Y14, Y14
	ADDQ $64, SI
	ADDQ $32, DI
	ADDQ $64, R8
	DECQ CX
	JNZ pool2x2f32_loop
	VMOVMSKPS Y12, AX
	MOVQ AX, ret+48(FP)
	VZEROUPPER
	RET

// The columns of four windows' first cells, for pool2x2f32x4 (SHUFPS
// within one 128-bit register keeps window order).
DATA pool2x2off4<>+0(SB)/4, $0
DATA pool2x2off4<>+4(SB)/4, $2
DATA pool2x2off4<>+8(SB)/4, $4
DATA pool2x2off4<>+12(SB)/4, $6
GLOBL pool2x2off4<>(SB), RODATA|NOPTR, $16

// func pool2x2f32x4(y *float32, arg *int, top *float32, w, base int) int
// pool2x2f32's block for four windows, in 128-bit registers.
TEXT ·pool2x2f32x4(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ arg+8(FP), R8
	MOVQ top+16(FP), SI
	MOVQ w+24(FP), DX
	MOVQ base+32(FP), AX
	VMOVD AX, X0
	VPBROADCASTD X0, X14
	VPADDD pool2x2off4<>(SB), X14, X14
	VMOVD DX, X0
	VPBROADCASTD X0, X13
	SHLQ $2, DX
	VMOVUPS (SI), X0
	VMOVUPS 16(SI), X1
	VMOVUPS (SI)(DX*1), X2
	VMOVUPS 16(SI)(DX*1), X3
	VSHUFPS $0x88, X1, X0, X4 // a
	VSHUFPS $0xDD, X1, X0, X5 // b
	VSHUFPS $0x88, X3, X2, X6 // c
	VSHUFPS $0xDD, X3, X2, X7 // d
	VCMPPS $0x03, X5, X4, X8
	VCMPPS $0x03, X7, X6, X12
	VORPS X8, X12, X12
	VCMPPS $0x1E, X4, X5, X8 // b > a
	VCMPPS $0x1E, X6, X7, X9 // d > c
	VMAXPS X4, X5, X4        // ab
	VMAXPS X6, X7, X6        // cd
	VCMPPS $0x1E, X4, X6, X10 // cd > ab
	VMAXPS X4, X6, X0         // y
	VPSUBD X8, X14, X1
	VPADDD X13, X14, X2
	VPSUBD X9, X2, X2
	VBLENDVPS X10, X2, X1, X1
	VMOVUPS X0, (DI)
	VPMOVSXDQ X1, Y2
	VMOVDQU Y2, (R8)
	VMOVMSKPS X12, AX
	MOVQ AX, ret+40(FP)
	VZEROUPPER
	RET
