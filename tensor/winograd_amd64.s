//go:build amd64 && !purego

#include "textflag.h"

// The transforms of Winograd's F(2×2, 3×3) convolution (conv2d_winograd.go)
// on blocks of 8 tiles side by side, one tile in each lane of a YMM
// register, with the operations of winoInGo and winoOutGo in the same
// order, so the same bits.

// WROW loads the 18 cells of one input row under a block of 8 tiles (the
// tile of lane t reads cells 2t..2t+3; a0 and a1 address cells 0..15, b0
// and b1 cells 2..17), splits them into the columns d0..d3 of each tile
// (cells 2t, 2t+1, 2t+2, 2t+3) and leaves in E, O, F, P the row times B:
// d0-d2, d1+d2, d2-d1, d1-d3. Y12 and Y13 are scratch.
#define WROW(a0, a1, b0, b1, E, O, F, P) \
	VMOVUPS a0, Y12; \
	VMOVUPS a1, Y13; \
	VSHUFPS $0x88, Y13, Y12, E; \
	VSHUFPS $0xDD, Y13, Y12, O; \
	VMOVUPS b0, Y12; \
	VMOVUPS b1, Y13; \
	VSHUFPS $0x88, Y13, Y12, F; \
	VSHUFPS $0xDD, Y13, Y12, P; \
	VPERMPD $0xD8, E, E; \
	VPERMPD $0xD8, O, O; \
	VPERMPD $0xD8, F, F; \
	VPERMPD $0xD8, P, P; \
	VSUBPS F, E, E; \
	VSUBPS P, O, P; \
	VSUBPS O, F, Y12; \
	VADDPS F, O, O; \
	VMOVAPS Y12, F

// WSTORE4 stores Y0..Y3 at (R13), then R13+R9, and so on, leaving R13
// past the last.
#define WSTORE4 \
	VMOVUPS Y0, (R13); \
	ADDQ R9, R13; \
	VMOVUPS Y1, (R13); \
	ADDQ R9, R13; \
	VMOVUPS Y2, (R13); \
	ADDQ R9, R13; \
	VMOVUPS Y3, (R13); \
	ADDQ R9, R13

// func winoIn32(src *float32, ws, ntx, nty int, dst *float32, ds int)
TEXT ·winoIn32(SB), NOSPLIT, $0-48
	MOVQ src+0(FP), SI
	MOVQ ws+8(FP), R8
	SHLQ $2, R8               // R8: bytes per input row
	MOVQ ntx+16(FP), CX
	MOVQ nty+24(FP), DX
	MOVQ dst+32(FP), DI
	MOVQ ds+40(FP), R9
	SHLQ $2, R9               // R9: bytes per plane of dst
in_row:
	MOVQ SI, R11              // the block's first input cell
	MOVQ DI, R12              // the block's first output cell
	XORQ R10, R10
in_block:
	WROW((R11), 32(R11), 8(R11), 40(R11), Y0, Y1, Y2, Y3)
	WROW((R11)(R8*2), 32(R11)(R8*2), 8(R11)(R8*2), 40(R11)(R8*2), Y4, Y5, Y6, Y7)
	MOVQ R12, R13
	VSUBPS Y4, Y0, Y0
	VSUBPS Y5, Y1, Y1
	VSUBPS Y6, Y2, Y2
	VSUBPS Y7, Y3, Y3
	WSTORE4
	WROW((R11)(R8*1), 32(R11)(R8*1), 8(R11)(R8*1), 40(R11)(R8*1), Y8, Y9, Y10, Y11)
	VADDPS Y4, Y8, Y0
	VADDPS Y5, Y9, Y1
	VADDPS Y6, Y10, Y2
	VADDPS Y7, Y11, Y3
	WSTORE4
	VSUBPS Y8, Y4, Y0
	VSUBPS Y9, Y5, Y1
	VSUBPS Y10, Y6, Y2
	VSUBPS Y11, Y7, Y3
	WSTORE4
	LEAQ (R11)(R8*1), R14
	WROW((R14)(R8*2), 32(R14)(R8*2), 8(R14)(R8*2), 40(R14)(R8*2), Y4, Y5, Y6, Y7)
	VSUBPS Y4, Y8, Y0
	VSUBPS Y5, Y9, Y1
	VSUBPS Y6, Y10, Y2
	VSUBPS Y7, Y11, Y3
	WSTORE4
	ADDQ $64, R11             // 16 cells: the next 8 tiles
	ADDQ $32, R12
	ADDQ $8, R10
	CMPQ R10, CX
	JLT in_block
	LEAQ (SI)(R8*2), SI       // two input rows down
	LEAQ (DI)(CX*4), DI       // ntx tiles on
	DECQ DX
	JNZ in_row
	VZEROUPPER
	RET

// WCOL loads the planes 4i..4i+3 of a block of 8 tiles from (R13) on,
// planes R9 bytes apart (advancing R13), and leaves in S0 and S1 the
// row times Aᵀ: (m0+m1)+m2 and (m1-m2)-m3.
#define WCOL(S0, S1) \
	VMOVUPS (R13), Y12; \
	ADDQ R9, R13; \
	VMOVUPS (R13), Y13; \
	ADDQ R9, R13; \
	VMOVUPS (R13), Y14; \
	ADDQ R9, R13; \
	VADDPS Y13, Y12, S0; \
	VSUBPS Y14, Y13, S1; \
	VADDPS Y14, S0, S0; \
	VMOVUPS (R13), Y12; \
	ADDQ R9, R13; \
	VSUBPS Y12, S1, S1

// WPAIR interleaves the even cells A and odd cells B of an output row of
// the block and stores its 16 cells at addr and addr+32.
#define WPAIR(A, B, addr0, addr1) \
	VUNPCKLPS B, A, Y12; \
	VUNPCKHPS B, A, Y13; \
	VPERM2F128 $0x20, Y13, Y12, Y14; \
	VPERM2F128 $0x31, Y13, Y12, Y12; \
	VMOVUPS Y14, addr0; \
	VMOVUPS Y12, addr1

// func winoOut32(m *float32, ds, ntx, nty int, dst *float32, wide int, bias float32)
TEXT ·winoOut32(SB), NOSPLIT, $0-52
	MOVQ m+0(FP), SI
	MOVQ ds+8(FP), R9
	SHLQ $2, R9               // R9: bytes per plane of m
	MOVQ ntx+16(FP), CX
	MOVQ nty+24(FP), DX
	MOVQ dst+32(FP), DI
	MOVQ wide+40(FP), R8
	SHLQ $2, R8               // R8: bytes per output row
	VBROADCASTSS bias+48(FP), Y15
out_row:
	MOVQ SI, R11
	MOVQ DI, R12
	XORQ R10, R10
out_block:
	MOVQ R11, R13
	WCOL(Y4, Y5)
	WCOL(Y6, Y7)
	WCOL(Y8, Y9)
	WCOL(Y10, Y11)
	VADDPS Y6, Y4, Y0         // ((s0+s1)+s2)+b: output row 0
	VADDPS Y8, Y0, Y0
	VADDPS Y15, Y0, Y0
	VADDPS Y7, Y5, Y1
	VADDPS Y9, Y1, Y1
	VADDPS Y15, Y1, Y1
	VSUBPS Y8, Y6, Y2         // ((s1-s2)-s3)+b: output row 1
	VSUBPS Y10, Y2, Y2
	VADDPS Y15, Y2, Y2
	VSUBPS Y9, Y7, Y3
	VSUBPS Y11, Y3, Y3
	VADDPS Y15, Y3, Y3
	WPAIR(Y0, Y1, (R12), 32(R12))
	WPAIR(Y2, Y3, (R12)(R8*1), 32(R12)(R8*1))
	ADDQ $32, R11             // the next 8 tiles
	ADDQ $64, R12             // 16 cells on
	ADDQ $8, R10
	CMPQ R10, CX
	JLT out_block
	LEAQ (SI)(CX*4), SI       // ntx tiles on
	LEAQ (DI)(R8*2), DI       // two output rows down
	DECQ DX
	JNZ out_row
	VZEROUPPER
	RET

// WDROW loads the 16 cells of one row of dy under a block of 8 tiles (the
// tile of lane t has cells 2t and 2t+1 at addr and addr+32) and leaves in
// A, B, C, D the row times Aᵀ's transpose: e, e+o, e-o, -o (e and o the
// tile's two cells). Y12 and Y13 are scratch; Y15 holds -0.
#define WDROW(a0, a1, A, B, C, D) \
	VMOVUPS a0, Y12; \
	VMOVUPS a1, Y13; \
	VSHUFPS $0x88, Y13, Y12, A; \
	VSHUFPS $0xDD, Y13, Y12, D; \
	VPERMPD $0xD8, A, A; \
	VPERMPD $0xD8, D, D; \
	VADDPS D, A, B; \
	VSUBPS D, A, C; \
	VXORPS Y15, D, D

// func winoDy32(src *float32, ws, ntx, nty int, dst *float32, ds int)
TEXT ·winoDy32(SB), NOSPLIT, $0-48
	MOVQ src+0(FP), SI
	MOVQ ws+8(FP), R8
	SHLQ $2, R8               // R8: bytes per row of dy
	MOVQ ntx+16(FP), CX
	MOVQ nty+24(FP), DX
	MOVQ dst+32(FP), DI
	MOVQ ds+40(FP), R9
	SHLQ $2, R9               // R9: bytes per plane of dst
	MOVL $0x80000000, AX
	MOVL AX, X15
	VBROADCASTSS X15, Y15
dy_row:
	MOVQ SI, R11
	MOVQ DI, R12
	XORQ R10, R10
dy_block:
	WDROW((R11), 32(R11), Y0, Y1, Y2, Y3)
	WDROW((R11)(R8*1), 32(R11)(R8*1), Y4, Y5, Y6, Y7)
	MOVQ R12, R13
	WSTORE4
	VADDPS Y4, Y0, Y8
	VADDPS Y5, Y1, Y9
	VADDPS Y6, Y2, Y10
	VADDPS Y7, Y3, Y11
	VSUBPS Y4, Y0, Y0
	VSUBPS Y5, Y1, Y1
	VSUBPS Y6, Y2, Y2
	VSUBPS Y7, Y3, Y3
	VMOVUPS Y8, (R13)
	ADDQ R9, R13
	VMOVUPS Y9, (R13)
	ADDQ R9, R13
	VMOVUPS Y10, (R13)
	ADDQ R9, R13
	VMOVUPS Y11, (R13)
	ADDQ R9, R13
	WSTORE4
	VXORPS Y15, Y4, Y0
	VXORPS Y15, Y5, Y1
	VXORPS Y15, Y6, Y2
	VXORPS Y15, Y7, Y3
	WSTORE4
	ADDQ $64, R11             // 16 cells: the next 8 tiles
	ADDQ $32, R12
	ADDQ $8, R10
	CMPQ R10, CX
	JLT dy_block
	LEAQ (SI)(R8*2), SI       // two rows down
	LEAQ (DI)(CX*4), DI       // ntx tiles on
	DECQ DX
	JNZ dy_row
	VZEROUPPER
	RET
