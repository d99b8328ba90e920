//go:build amd64 && !purego

#include "textflag.h"

// The 6-row tiles of the kernels: twelve accumulators, Y0-Y11, two a
// row. ZERO_TILE clears them (float64's too); for float32, TILE_ADD adds
// them to the six rows of c at DX (row stride R8 bytes) and TILE_OVER
// stores 0 + them there without reading c (the bits of adding them to a
// cleared tile). Both move DX.
#define ZERO_TILE \
	VXORPS Y0, Y0, Y0; \
	VXORPS Y1, Y1, Y1; \
	VXORPS Y2, Y2, Y2; \
	VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

#define TILE_ADD \
	VADDPS (DX), Y0, Y0; \
	VMOVUPS Y0, (DX); \
	VADDPS 32(DX), Y1, Y1; \
	VMOVUPS Y1, 32(DX); \
	ADDQ R8, DX; \
	VADDPS (DX), Y2, Y2; \
	VMOVUPS Y2, (DX); \
	VADDPS 32(DX), Y3, Y3; \
	VMOVUPS Y3, 32(DX); \
	ADDQ R8, DX; \
	VADDPS (DX), Y4, Y4; \
	VMOVUPS Y4, (DX); \
	VADDPS 32(DX), Y5, Y5; \
	VMOVUPS Y5, 32(DX); \
	ADDQ R8, DX; \
	VADDPS (DX), Y6, Y6; \
	VMOVUPS Y6, (DX); \
	VADDPS 32(DX), Y7, Y7; \
	VMOVUPS Y7, 32(DX); \
	ADDQ R8, DX; \
	VADDPS (DX), Y8, Y8; \
	VMOVUPS Y8, (DX); \
	VADDPS 32(DX), Y9, Y9; \
	VMOVUPS Y9, 32(DX); \
	ADDQ R8, DX; \
	VADDPS (DX), Y10, Y10; \
	VMOVUPS Y10, (DX); \
	VADDPS 32(DX), Y11, Y11; \
	VMOVUPS Y11, 32(DX)

#define TILE_OVER \
	VXORPS Y12, Y12, Y12; \
	VADDPS Y12, Y0, Y0; \
	VMOVUPS Y0, 0(DX); \
	VADDPS Y12, Y1, Y1; \
	VMOVUPS Y1, 32(DX); \
	ADDQ R8, DX; \
	VADDPS Y12, Y2, Y2; \
	VMOVUPS Y2, 0(DX); \
	VADDPS Y12, Y3, Y3; \
	VMOVUPS Y3, 32(DX); \
	ADDQ R8, DX; \
	VADDPS Y12, Y4, Y4; \
	VMOVUPS Y4, 0(DX); \
	VADDPS Y12, Y5, Y5; \
	VMOVUPS Y5, 32(DX); \
	ADDQ R8, DX; \
	VADDPS Y12, Y6, Y6; \
	VMOVUPS Y6, 0(DX); \
	VADDPS Y12, Y7, Y7; \
	VMOVUPS Y7, 32(DX); \
	ADDQ R8, DX; \
	VADDPS Y12, Y8, Y8; \
	VMOVUPS Y8, 0(DX); \
	VADDPS Y12, Y9, Y9; \
	VMOVUPS Y9, 32(DX); \
	ADDQ R8, DX; \
	VADDPS Y12, Y10, Y10; \
	VMOVUPS Y10, 0(DX); \
	VADDPS Y12, Y11, Y11; \
	VMOVUPS Y11, 32(DX)

// FMA_ROWS multiplies the row of op(b) in Y12 and Y13 by each of the six
// elements of op(a) at SI, SI+R9, SI+2·R9, R11, R11+R9 and R11+2·R9
// (broadcast into Y14 and Y15 in turn) and adds the products to the
// tile's accumulators, row after row: a step of the float32 kernels.
#define FMA_ROWS \
	VBROADCASTSS (SI), Y14; \
	VFMADD231PS Y12, Y14, Y0; \
	VFMADD231PS Y13, Y14, Y1; \
	VBROADCASTSS (SI)(R9*1), Y15; \
	VFMADD231PS Y12, Y15, Y2; \
	VFMADD231PS Y13, Y15, Y3; \
	VBROADCASTSS (SI)(R9*2), Y14; \
	VFMADD231PS Y12, Y14, Y4; \
	VFMADD231PS Y13, Y14, Y5; \
	VBROADCASTSS (R11), Y15; \
	VFMADD231PS Y12, Y15, Y6; \
	VFMADD231PS Y13, Y15, Y7; \
	VBROADCASTSS (R11)(R9*1), Y14; \
	VFMADD231PS Y12, Y14, Y8; \
	VFMADD231PS Y13, Y14, Y9; \
	VBROADCASTSS (R11)(R9*2), Y15; \
	VFMADD231PS Y12, Y15, Y10; \
	VFMADD231PS Y13, Y15, Y11

// The micro-kernels of gemmBlocked (see kernel in gemm_blocked.go): per
// step p, YMM loads of the b row, broadcasts of the a column and fused
// multiply-adds into the accumulators (dgemm6x8: twelve, row i in Y(2i),
// Y(2i+1), four steps per loop; sgemm6x16s likewise, one step per loop);
// at the end the tile is added to c, whose rows are ldc elements apart.

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func dgemm6x8(k int, a, b, c *float64, ldc int)
TEXT ·dgemm6x8(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8
	ZERO_TILE
	CMPQ CX, $4
	JLT dgemm6x8_tail
dgemm6x8_loop4:
	VMOVUPD 0(DI), Y12
	VMOVUPD 32(DI), Y13
	VBROADCASTSD 0(SI), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD 8(SI), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD 16(SI), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD 24(SI), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VBROADCASTSD 32(SI), Y14
	VFMADD231PD Y12, Y14, Y8
	VFMADD231PD Y13, Y14, Y9
	VBROADCASTSD 40(SI), Y15
	VFMADD231PD Y12, Y15, Y10
	VFMADD231PD Y13, Y15, Y11
	VMOVUPD 64(DI), Y12
	VMOVUPD 96(DI), Y13
	VBROADCASTSD 48(SI), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD 56(SI), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD 64(SI), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD 72(SI), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VBROADCASTSD 80(SI), Y14
	VFMADD231PD Y12, Y14, Y8
	VFMADD231PD Y13, Y14, Y9
	VBROADCASTSD 88(SI), Y15
	VFMADD231PD Y12, Y15, Y10
	VFMADD231PD Y13, Y15, Y11
	VMOVUPD 128(DI), Y12
	VMOVUPD 160(DI), Y13
	VBROADCASTSD 96(SI), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD 104(SI), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD 112(SI), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD 120(SI), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VBROADCASTSD 128(SI), Y14
	VFMADD231PD Y12, Y14, Y8
	VFMADD231PD Y13, Y14, Y9
	VBROADCASTSD 136(SI), Y15
	VFMADD231PD Y12, Y15, Y10
	VFMADD231PD Y13, Y15, Y11
	VMOVUPD 192(DI), Y12
	VMOVUPD 224(DI), Y13
	VBROADCASTSD 144(SI), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD 152(SI), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD 160(SI), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD 168(SI), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VBROADCASTSD 176(SI), Y14
	VFMADD231PD Y12, Y14, Y8
	VFMADD231PD Y13, Y14, Y9
	VBROADCASTSD 184(SI), Y15
	VFMADD231PD Y12, Y15, Y10
	VFMADD231PD Y13, Y15, Y11
	ADDQ $192, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE dgemm6x8_loop4
dgemm6x8_tail:
	TESTQ CX, CX
	JLE dgemm6x8_store
dgemm6x8_loop1:
	VMOVUPD 0(DI), Y12
	VMOVUPD 32(DI), Y13
	VBROADCASTSD 0(SI), Y14
	VFMADD231PD Y12, Y14, Y0
	VFMADD231PD Y13, Y14, Y1
	VBROADCASTSD 8(SI), Y15
	VFMADD231PD Y12, Y15, Y2
	VFMADD231PD Y13, Y15, Y3
	VBROADCASTSD 16(SI), Y14
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y13, Y14, Y5
	VBROADCASTSD 24(SI), Y15
	VFMADD231PD Y12, Y15, Y6
	VFMADD231PD Y13, Y15, Y7
	VBROADCASTSD 32(SI), Y14
	VFMADD231PD Y12, Y14, Y8
	VFMADD231PD Y13, Y14, Y9
	VBROADCASTSD 40(SI), Y15
	VFMADD231PD Y12, Y15, Y10
	VFMADD231PD Y13, Y15, Y11
	ADDQ $48, SI
	ADDQ $64, DI
	DECQ CX
	JNZ dgemm6x8_loop1
dgemm6x8_store:
	VADDPD (DX), Y0, Y0
	VMOVUPD Y0, (DX)
	VADDPD 32(DX), Y1, Y1
	VMOVUPD Y1, 32(DX)
	ADDQ R8, DX
	VADDPD (DX), Y2, Y2
	VMOVUPD Y2, (DX)
	VADDPD 32(DX), Y3, Y3
	VMOVUPD Y3, 32(DX)
	ADDQ R8, DX
	VADDPD (DX), Y4, Y4
	VMOVUPD Y4, (DX)
	VADDPD 32(DX), Y5, Y5
	VMOVUPD Y5, 32(DX)
	ADDQ R8, DX
	VADDPD (DX), Y6, Y6
	VMOVUPD Y6, (DX)
	VADDPD 32(DX), Y7, Y7
	VMOVUPD Y7, 32(DX)
	ADDQ R8, DX
	VADDPD (DX), Y8, Y8
	VMOVUPD Y8, (DX)
	VADDPD 32(DX), Y9, Y9
	VMOVUPD Y9, 32(DX)
	ADDQ R8, DX
	VADDPD (DX), Y10, Y10
	VMOVUPD Y10, (DX)
	VADDPD 32(DX), Y11, Y11
	VMOVUPD Y11, 32(DX)
	VZEROUPPER
	RET

// func sgemvRow(k int, a, b *float32, ldb int, c *float32, mask *int32)
//
// The row kernel of rows (gemm_rows.go): c[j] += Σ_p a[p]·b[p·ldb+j] for the columns
// j < 32 that mask (32 int32, -1 for a column to compute, 0 to leave)
// selects, with b read in place (masked loads never touch the columns left
// out). Each column is accumulated in a register from 0 with one fused
// multiply-add per p and then added to c: the operations sgemm6x16s does on
// an element. k must be at least 1.
TEXT ·sgemvRow(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	VMOVDQU 0(AX), Y4
	VMOVDQU 32(AX), Y5
	VMOVDQU 64(AX), Y6
	VMOVDQU 96(AX), Y7
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
sgemvRow_loop:
	VBROADCASTSS 0(SI), Y8
	VMASKMOVPS 0(DI), Y4, Y9
	VFMADD231PS Y9, Y8, Y0
	VMASKMOVPS 32(DI), Y5, Y10
	VFMADD231PS Y10, Y8, Y1
	VMASKMOVPS 64(DI), Y6, Y11
	VFMADD231PS Y11, Y8, Y2
	VMASKMOVPS 96(DI), Y7, Y12
	VFMADD231PS Y12, Y8, Y3
	ADDQ $4, SI
	ADDQ R8, DI
	DECQ CX
	JNZ sgemvRow_loop
	VMASKMOVPS 0(DX), Y4, Y9
	VADDPS Y9, Y0, Y0
	VMASKMOVPS Y0, Y4, 0(DX)
	VMASKMOVPS 32(DX), Y5, Y10
	VADDPS Y10, Y1, Y1
	VMASKMOVPS Y1, Y5, 32(DX)
	VMASKMOVPS 64(DX), Y6, Y11
	VADDPS Y11, Y2, Y2
	VMASKMOVPS Y2, Y6, 64(DX)
	VMASKMOVPS 96(DX), Y7, Y12
	VADDPS Y12, Y3, Y3
	VMASKMOVPS Y3, Y7, 96(DX)
	VZEROUPPER
	RET

// func sgemvRow64(k int, a, b *float32, ldb int, c *float32, mask *int32)
//
// sgemvRow for 64 columns, twice the independent chains per step: columns
// 0-15 are all computed (the caller has at least 17), columns 16-63 as mask
// (48 int32, for columns 16-63) selects.
TEXT ·sgemvRow64(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	VMOVDQU 0(AX), Y10
	VMOVDQU 32(AX), Y11
	VMOVDQU 64(AX), Y12
	VMOVDQU 96(AX), Y13
	VMOVDQU 128(AX), Y14
	VMOVDQU 160(AX), Y15
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
sgemvRow64_loop:
	VBROADCASTSS 0(SI), Y8
	VFMADD231PS 0(DI), Y8, Y0
	VFMADD231PS 32(DI), Y8, Y1
	VMASKMOVPS 64(DI), Y10, Y9
	VFMADD231PS Y9, Y8, Y2
	VMASKMOVPS 96(DI), Y11, Y9
	VFMADD231PS Y9, Y8, Y3
	VMASKMOVPS 128(DI), Y12, Y9
	VFMADD231PS Y9, Y8, Y4
	VMASKMOVPS 160(DI), Y13, Y9
	VFMADD231PS Y9, Y8, Y5
	VMASKMOVPS 192(DI), Y14, Y9
	VFMADD231PS Y9, Y8, Y6
	VMASKMOVPS 224(DI), Y15, Y9
	VFMADD231PS Y9, Y8, Y7
	ADDQ $4, SI
	ADDQ R8, DI
	DECQ CX
	JNZ sgemvRow64_loop
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VMASKMOVPS 64(DX), Y10, Y9
	VADDPS Y9, Y2, Y2
	VMASKMOVPS Y2, Y10, 64(DX)
	VMASKMOVPS 96(DX), Y11, Y9
	VADDPS Y9, Y3, Y3
	VMASKMOVPS Y3, Y11, 96(DX)
	VMASKMOVPS 128(DX), Y12, Y9
	VADDPS Y9, Y4, Y4
	VMASKMOVPS Y4, Y12, 128(DX)
	VMASKMOVPS 160(DX), Y13, Y9
	VADDPS Y9, Y5, Y5
	VMASKMOVPS Y5, Y13, 160(DX)
	VMASKMOVPS 192(DX), Y14, Y9
	VADDPS Y9, Y6, Y6
	VMASKMOVPS Y6, Y14, 192(DX)
	VMASKMOVPS 224(DX), Y15, Y9
	VADDPS Y9, Y7, Y7
	VMASKMOVPS Y7, Y15, 224(DX)
	VZEROUPPER
	RET

// func sgemm6x16s(k int, a *float32, rs, ks int, b *float32, bs int, c *float32, ldc int)
//
// The float32 micro-kernel: a 6×16 tile of c += the product of a 6×k
// panel of op(a) and a k×16 panel of op(b), read where they lie: element
// (i, p) of the first is a[i·rs + p·ks] (rs = 1, ks = 6 a packed panel;
// rs = 1, ks = lda a transposed operand's rows; rs = lda, ks = 1 a plain
// operand's rows), and row p of the second starts at b[p·bs] (bs = 16
// packed, ldb in place). Each element is a chain of fused multiply-adds
// from 0 over p in order, then added to c, or, if over is set, added to
// 0 and stored, c not read (the bits of c cleared first). k must be at
// least 1.
TEXT ·sgemm6x16s(SB), NOSPLIT, $0-65
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R9
	MOVQ ks+24(FP), R10
	MOVQ b+32(FP), DI
	MOVQ bs+40(FP), R12
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R8
	SHLQ $2, R12
	SHLQ $2, R8
	SHLQ $2, R9
	SHLQ $2, R10
	LEAQ (R9)(R9*2), R11
	ADDQ SI, R11
	ZERO_TILE
sgemm6x16s_loop:
	VMOVUPS 0(DI), Y12
	VMOVUPS 32(DI), Y13
	FMA_ROWS
	ADDQ R10, SI
	ADDQ R10, R11
	ADDQ R12, DI
	DECQ CX
	JNZ sgemm6x16s_loop
	MOVBQZX over+64(FP), AX
	TESTQ AX, AX
	JNZ sgemm6x16s_over
	TILE_ADD
	VZEROUPPER
	RET
sgemm6x16s_over:
	TILE_OVER
	VZEROUPPER
	RET

// func sgemm6x16n(k int, a *float32, rs, ks int, b *float32, bs int, c *float32, ldc int, over bool, tiles, astep int)
//
// sgemm6x16s on tiles tiles one below the other with the same panel of
// op(b): tile t reads op(a)'s panel at a + t·astep elements and its rows
// of c from c + t·6·ldc. One call instead of one a tile: the Go loop and
// call around each tile cost about a tenth of a product's time. tiles
// must be at least 1.
TEXT ·sgemm6x16n(SB), NOSPLIT, $0-88
sgemm6x16n_tile:
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R9
	MOVQ ks+24(FP), R10
	MOVQ b+32(FP), DI
	MOVQ bs+40(FP), R12
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R8
	SHLQ $2, R12
	SHLQ $2, R8
	SHLQ $2, R9
	SHLQ $2, R10
	LEAQ (R9)(R9*2), R11
	ADDQ SI, R11
	ZERO_TILE
sgemm6x16n_loop:
	VMOVUPS 0(DI), Y12
	VMOVUPS 32(DI), Y13
	FMA_ROWS
	ADDQ R10, SI
	ADDQ R10, R11
	ADDQ R12, DI
	DECQ CX
	JNZ sgemm6x16n_loop
	MOVBQZX over+64(FP), AX
	TESTQ AX, AX
	JNZ sgemm6x16n_over
	TILE_ADD
	JMP sgemm6x16n_next
sgemm6x16n_over:
	TILE_OVER
	JMP sgemm6x16n_next
sgemm6x16n_next:
	DECQ tiles+72(FP)
	JZ sgemm6x16n_done
	MOVQ astep+80(FP), AX
	SHLQ $2, AX
	ADDQ AX, a+8(FP)
	MOVQ ldc+56(FP), AX
	IMULQ $24, AX
	ADDQ AX, c+48(FP)
	JMP sgemm6x16n_tile
sgemm6x16n_done:
	VZEROUPPER
	RET

// func sgemm6x16o(k int, a *float32, rs, ks int, b *float32, off *int, c *float32, ldc int, over bool)
//
// sgemm6x16s with the rows of the second panel anywhere: row p starts at
// b[off[p]] (a convolution's windows read in the padded image, see
// gemmOffB), the same operations on each element.
TEXT ·sgemm6x16o(SB), NOSPLIT, $0-65
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R9
	MOVQ ks+24(FP), R10
	MOVQ b+32(FP), DI
	MOVQ off+40(FP), R12
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R8
	SHLQ $2, R8
	SHLQ $2, R9
	SHLQ $2, R10
	LEAQ (R9)(R9*2), R11
	ADDQ SI, R11
	ZERO_TILE
sgemm6x16o_loop:
	MOVQ (R12), R13
	VMOVUPS 0(DI)(R13*4), Y12
	VMOVUPS 32(DI)(R13*4), Y13
	FMA_ROWS
	ADDQ R10, SI
	ADDQ R10, R11
	ADDQ $8, R12
	DECQ CX
	JNZ sgemm6x16o_loop
	MOVBQZX over+64(FP), AX
	TESTQ AX, AX
	JNZ sgemm6x16o_over
	TILE_ADD
	VZEROUPPER
	RET
sgemm6x16o_over:
	TILE_OVER
	VZEROUPPER
	RET

// func sgemm6x16a(k int, a *float32, off *int, b *float32, bs int, c *float32, ldc int, over bool)
//
// sgemm6x16s with the rows of the first panel anywhere: element (i, p) is
// a[off[i] + p] (a convolution's windows read in the padded image, see
// gemmOffA), the same operations on each element.
TEXT ·sgemm6x16a(SB), NOSPLIT, $0-57
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ off+16(FP), R9
	MOVQ b+24(FP), DI
	MOVQ bs+32(FP), R12
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R8
	SHLQ $2, R12
	SHLQ $2, R8
	MOVQ 0(R9), AX
	MOVQ 8(R9), BX
	MOVQ 16(R9), R10
	MOVQ 24(R9), R11
	MOVQ 32(R9), R13
	MOVQ 40(R9), R9
	ZERO_TILE
sgemm6x16a_loop:
	VMOVUPS 0(DI), Y12
	VMOVUPS 32(DI), Y13
	VBROADCASTSS (SI)(AX*4), Y14
	VFMADD231PS Y12, Y14, Y0
	VFMADD231PS Y13, Y14, Y1
	VBROADCASTSS (SI)(BX*4), Y15
	VFMADD231PS Y12, Y15, Y2
	VFMADD231PS Y13, Y15, Y3
	VBROADCASTSS (SI)(R10*4), Y14
	VFMADD231PS Y12, Y14, Y4
	VFMADD231PS Y13, Y14, Y5
	VBROADCASTSS (SI)(R11*4), Y15
	VFMADD231PS Y12, Y15, Y6
	VFMADD231PS Y13, Y15, Y7
	VBROADCASTSS (SI)(R13*4), Y14
	VFMADD231PS Y12, Y14, Y8
	VFMADD231PS Y13, Y14, Y9
	VBROADCASTSS (SI)(R9*4), Y15
	VFMADD231PS Y12, Y15, Y10
	VFMADD231PS Y13, Y15, Y11
	ADDQ $4, SI
	ADDQ R12, DI
	DECQ CX
	JNZ sgemm6x16a_loop
	MOVBQZX over+56(FP), AX
	TESTQ AX, AX
	JNZ sgemm6x16a_over
	TILE_ADD
	VZEROUPPER
	RET
sgemm6x16a_over:
	TILE_OVER
	VZEROUPPER
	RET

// func sgemm6x8hs(k int, a *float32, rs, ks int, b *float32, bs int, c *float32, ldc int)
//
// The left half of sgemm6x16s, for edge tiles of at most 8 columns: the
// same operands (of which it reads the first 8 columns of b) and the same
// operations on each of the 6×8 elements it computes; columns 8-15 of c
// are left alone. over as in sgemm6x16s.
TEXT ·sgemm6x8hs(SB), NOSPLIT, $0-65
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R9
	MOVQ ks+24(FP), R10
	MOVQ b+32(FP), DI
	MOVQ bs+40(FP), R12
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R8
	SHLQ $2, R12
	SHLQ $2, R8
	SHLQ $2, R9
	SHLQ $2, R10
	LEAQ (R9)(R9*2), R11
	ADDQ SI, R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
sgemm6x8hs_loop:
	VMOVUPS 0(DI), Y12
	VBROADCASTSS (SI), Y14
	VFMADD231PS Y12, Y14, Y0
	VBROADCASTSS (SI)(R9*1), Y15
	VFMADD231PS Y12, Y15, Y1
	VBROADCASTSS (SI)(R9*2), Y14
	VFMADD231PS Y12, Y14, Y2
	VBROADCASTSS (R11), Y15
	VFMADD231PS Y12, Y15, Y3
	VBROADCASTSS (R11)(R9*1), Y14
	VFMADD231PS Y12, Y14, Y4
	VBROADCASTSS (R11)(R9*2), Y15
	VFMADD231PS Y12, Y15, Y5
	ADDQ R10, SI
	ADDQ R10, R11
	ADDQ R12, DI
	DECQ CX
	JNZ sgemm6x8hs_loop
	MOVBQZX over+64(FP), AX
	TESTQ AX, AX
	JNZ sgemm6x8hs_over
	VADDPS (DX), Y0, Y0
	VMOVUPS Y0, (DX)
	ADDQ R8, DX
	VADDPS (DX), Y1, Y1
	VMOVUPS Y1, (DX)
	ADDQ R8, DX
	VADDPS (DX), Y2, Y2
	VMOVUPS Y2, (DX)
	ADDQ R8, DX
	VADDPS (DX), Y3, Y3
	VMOVUPS Y3, (DX)
	ADDQ R8, DX
	VADDPS (DX), Y4, Y4
	VMOVUPS Y4, (DX)
	ADDQ R8, DX
	VADDPS (DX), Y5, Y5
	VMOVUPS Y5, (DX)
	VZEROUPPER
	RET
sgemm6x8hs_over:
	VXORPS Y12, Y12, Y12
	VADDPS Y12, Y0, Y0
	VMOVUPS Y0, (DX)
	ADDQ R8, DX
	VADDPS Y12, Y1, Y1
	VMOVUPS Y1, (DX)
	ADDQ R8, DX
	VADDPS Y12, Y2, Y2
	VMOVUPS Y2, (DX)
	ADDQ R8, DX
	VADDPS Y12, Y3, Y3
	VMOVUPS Y3, (DX)
	ADDQ R8, DX
	VADDPS Y12, Y4, Y4
	VMOVUPS Y4, (DX)
	ADDQ R8, DX
	VADDPS Y12, Y5, Y5
	VMOVUPS Y5, (DX)
	VZEROUPPER
	RET

// func sgemmT2x32(k int, a *float32, lda int, b *float32, bs int, out *float32)
//
// Two columns of a transposed product, 32 rows at a time, the rows in the
// lanes: out[j·32 + i] = Σ_p a[p·lda + i]·b[p·bs + j] for i < 32, j < 2,
// each a chain of fused multiply-adds from 0 over p in order, the
// operations sgemm6x16s does on an element. For the edge panels of one or
// two columns of xᵀ·dy, which sgemm6x8hs would compute six rows at a time.
// k must be at least 1.
TEXT ·sgemmT2x32(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R9
	MOVQ b+24(FP), DI
	MOVQ bs+32(FP), R12
	MOVQ out+40(FP), DX
	SHLQ $2, R9
	SHLQ $2, R12
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
sgemmT2x32_loop:
	VMOVUPS 0(SI), Y8
	VMOVUPS 32(SI), Y9
	VMOVUPS 64(SI), Y10
	VMOVUPS 96(SI), Y11
	VBROADCASTSS 0(DI), Y12
	VBROADCASTSS 4(DI), Y13
	VFMADD231PS Y12, Y8, Y0
	VFMADD231PS Y12, Y9, Y1
	VFMADD231PS Y12, Y10, Y2
	VFMADD231PS Y12, Y11, Y3
	VFMADD231PS Y13, Y8, Y4
	VFMADD231PS Y13, Y9, Y5
	VFMADD231PS Y13, Y10, Y6
	VFMADD231PS Y13, Y11, Y7
	ADDQ R9, SI
	ADDQ R12, DI
	DECQ CX
	JNZ sgemmT2x32_loop
	VMOVUPS Y0, 0(DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, 64(DX)
	VMOVUPS Y3, 96(DX)
	VMOVUPS Y4, 128(DX)
	VMOVUPS Y5, 160(DX)
	VMOVUPS Y6, 192(DX)
	VMOVUPS Y7, 224(DX)
	VZEROUPPER
	RET

// E16X2_LOAD loads four elements (from SI, R12, R13, R14) of each of
// the 16 rows and transposes them: a's rows 0-7 for terms 0-3 in Y4, Y12,
// Y13, Y7 and a2's in Y8, Y5, Y6, Y11, row i in lane i. Each ymm is first
// loaded with rows i and i+4 in its halves, then transposed in-lane.
#define E16X2_LOAD \
	VMOVUPS (SI), X4; \
	VINSERTF128 $1, (SI)(R9*4), Y4, Y4; \
	VMOVUPS (SI)(R9*1), X5; \
	VINSERTF128 $1, (R12), Y5, Y5; \
	VMOVUPS (SI)(R9*2), X6; \
	VINSERTF128 $1, (SI)(R10*2), Y6, Y6; \
	VMOVUPS (SI)(R10*1), X7; \
	VINSERTF128 $1, (R12)(R9*2), Y7, Y7; \
	VMOVUPS (R13), X8; \
	VINSERTF128 $1, (R13)(R9*4), Y8, Y8; \
	VMOVUPS (R13)(R9*1), X9; \
	VINSERTF128 $1, (R14), Y9, Y9; \
	VMOVUPS (R13)(R9*2), X10; \
	VINSERTF128 $1, (R13)(R10*2), Y10, Y10; \
	VMOVUPS (R13)(R10*1), X11; \
	VINSERTF128 $1, (R14)(R9*2), Y11, Y11; \
	VUNPCKLPS Y5, Y4, Y12; \
	VUNPCKHPS Y5, Y4, Y5; \
	VUNPCKLPS Y7, Y6, Y13; \
	VUNPCKHPS Y7, Y6, Y7; \
	VSHUFPS $0x44, Y13, Y12, Y4; \
	VSHUFPS $0xEE, Y13, Y12, Y12; \
	VSHUFPS $0x44, Y7, Y5, Y13; \
	VSHUFPS $0xEE, Y7, Y5, Y7; \
	VUNPCKLPS Y9, Y8, Y5; \
	VUNPCKHPS Y9, Y8, Y9; \
	VUNPCKLPS Y11, Y10, Y6; \
	VUNPCKHPS Y11, Y10, Y11; \
	VSHUFPS $0x44, Y6, Y5, Y8; \
	VSHUFPS $0xEE, Y6, Y5, Y5; \
	VSHUFPS $0x44, Y11, Y9, Y6; \
	VSHUFPS $0xEE, Y11, Y9, Y11

// func sgemmE16x2(k int, a *float32, lda int, a2 *float32, b *float32, bs int, out *float32)
//
// The edge of a plain op(a) read in place (kernel.edgeN): for rows i < 8
// of a (rows lda elements apart) and of a2, and columns j < 2 of b (rows
// bs apart), out[j·16 + i] = Σ_{q<k} a[i·lda + q]·b[q·bs + j] and
// out[j·16 + 8 + i] the same sum over a2's rows: each a sum from 0 with
// one fused multiply-add per term, q in increasing order, as the tile
// kernels give each element. The rows go in the lanes: four elements of
// each of eight rows are loaded at once and transposed in registers. k ≥ 4:
// the last k mod 4 terms come from a load of the last four, whose first
// elements are left out.
TEXT ·sgemmE16x2(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R9
	MOVQ a2+24(FP), R13
	MOVQ b+32(FP), DI
	MOVQ bs+40(FP), R8
	MOVQ out+48(FP), DX
	SHLQ $2, R9
	SHLQ $2, R8
	LEAQ (R9)(R9*2), R10 // 3 rows of a
	LEAQ (R8)(R8*2), R11 // 3 rows of b
	LEAQ (SI)(R9*4), R12
	ADDQ R9, R12         // row 5 of a
	LEAQ (R13)(R9*4), R14
	ADDQ R9, R14         // row 5 of a2
	MOVQ CX, BX
	ANDQ $3, BX          // the terms left after the groups of four
	SHRQ $2, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

sgemmE16x2_loop:
	E16X2_LOAD
	VBROADCASTSS (DI), Y14
	VBROADCASTSS 4(DI), Y15
	VFMADD231PS Y14, Y4, Y0
	VFMADD231PS Y15, Y4, Y1
	VFMADD231PS Y14, Y8, Y2
	VFMADD231PS Y15, Y8, Y3
	VBROADCASTSS (DI)(R8*1), Y9
	VBROADCASTSS 4(DI)(R8*1), Y10
	VFMADD231PS Y9, Y12, Y0
	VFMADD231PS Y10, Y12, Y1
	VFMADD231PS Y9, Y5, Y2
	VFMADD231PS Y10, Y5, Y3
	VBROADCASTSS (DI)(R8*2), Y14
	VBROADCASTSS 4(DI)(R8*2), Y15
	VFMADD231PS Y14, Y13, Y0
	VFMADD231PS Y15, Y13, Y1
	VFMADD231PS Y14, Y6, Y2
	VFMADD231PS Y15, Y6, Y3
	VBROADCASTSS (DI)(R11*1), Y9
	VBROADCASTSS 4(DI)(R11*1), Y10
	VFMADD231PS Y9, Y7, Y0
	VFMADD231PS Y10, Y7, Y1
	VFMADD231PS Y9, Y11, Y2
	VFMADD231PS Y10, Y11, Y3
	ADDQ $16, SI
	ADDQ $16, R12
	ADDQ $16, R13
	ADDQ $16, R14
	LEAQ (DI)(R8*4), DI
	DECQ CX
	JNZ sgemmE16x2_loop

	TESTQ BX, BX
	JZ sgemmE16x2_store
	// The last BX terms: load the last four (back 4-BX elements) and use
	// the last BX of them, b's rows from the next one on.
	MOVQ $4, AX
	SUBQ BX, AX
	SHLQ $2, AX
	SUBQ AX, SI
	SUBQ AX, R12
	SUBQ AX, R13
	SUBQ AX, R14
	E16X2_LOAD
	CMPQ BX, $2
	JB sgemmE16x2_tail1
	JE sgemmE16x2_tail2
	VBROADCASTSS (DI), Y9
	VBROADCASTSS 4(DI), Y10
	VFMADD231PS Y9, Y12, Y0
	VFMADD231PS Y10, Y12, Y1
	VFMADD231PS Y9, Y5, Y2
	VFMADD231PS Y10, Y5, Y3
	ADDQ R8, DI
sgemmE16x2_tail2:
	VBROADCASTSS (DI), Y14
	VBROADCASTSS 4(DI), Y15
	VFMADD231PS Y14, Y13, Y0
	VFMADD231PS Y15, Y13, Y1
	VFMADD231PS Y14, Y6, Y2
	VFMADD231PS Y15, Y6, Y3
	ADDQ R8, DI
sgemmE16x2_tail1:
	VBROADCASTSS (DI), Y9
	VBROADCASTSS 4(DI), Y10
	VFMADD231PS Y9, Y7, Y0
	VFMADD231PS Y10, Y7, Y1
	VFMADD231PS Y9, Y11, Y2
	VFMADD231PS Y10, Y11, Y3

sgemmE16x2_store:
	VMOVUPS Y0, 0(DX)
	VMOVUPS Y2, 32(DX)
	VMOVUPS Y1, 64(DX)
	VMOVUPS Y3, 96(DX)
	VZEROUPPER
	RET
