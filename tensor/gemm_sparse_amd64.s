//go:build amd64 && !purego

#include "textflag.h"

// The sparse row kernels of gemmSparse (gemm_sparse.go), one for each
// number f of whole 8-column vectors (2 to 7) before a last, masked one:
//
//	func sgemvRowSparseF(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)
//
// c[j] += Σ_p a[p]·b[p·ldb+j] over the p with a[p] ≠ 0 (NaN counts as
// nonzero), for the 8f columns j < 8f and those of the next eight that
// mask (8 int32) selects: each column accumulated in a register from +0
// with one fused multiply-add per p in increasing order, then added to c,
// as sgemvRow64 does with every p. A term left out would have added
// 0·b[p·ldb+j] = ±0 to a sum that is never -0, which changes nothing
// where b is finite. First the indices of a's nonzero elements are written
// to list (room for k+8 int32), eight elements at a time without a branch
// (a comparison's eight bits select a row of sparseLUT, the indices of the
// set bits, stored whole, the count advanced by their number); then the
// terms are summed over the list. k must be at least 1. The six kernels
// differ only in f (the accumulators Y0..Yf and their loads and stores);
// the list's making is the macro SPARSE_LIST, the same in each.

// SPARSE_LIST writes to list (R10) the indices of the nonzero elements of
// the k (CX) elements from SI, and their number to R13: the blocks of
// eight through sparseLUT (R12), the last k mod 8 through a mask. Y12 is
// made zero; it uses AX, BX, R9, R14 and Y9-Y11. Its labels belong to
// the function that uses it, once.
#define SPARSE_LIST \
	LEAQ ·sparseLUT(SB), R12; \
	XORQ R13, R13; \
	XORQ R14, R14; \
	VXORPS Y12, Y12, Y12; \
	MOVQ CX, R9; \
	ANDQ $7, R9; \
	SHRQ $3, CX; \
	JZ sparse_tail; \
sparse_scan: \
	VCMPPS $4, (SI)(R14*4), Y12, Y9; \
	VMOVMSKPS Y9, AX; \
	MOVQ AX, BX; \
	SHLQ $5, BX; \
	VMOVDQU (R12)(BX*1), Y10; \
	VMOVQ R14, X11; \
	VPBROADCASTD X11, Y11; \
	VPADDD Y11, Y10, Y10; \
	VMOVDQU Y10, (R10)(R13*4); \
	POPCNTL AX, AX; \
	ADDQ AX, R13; \
	ADDQ $8, R14; \
	DECQ CX; \
	JNZ sparse_scan; \
sparse_tail: \
	TESTQ R9, R9; \
	JZ sparse_listed; \
	LEAQ ·sparseTailMask(SB), BX; \
	MOVQ $8, AX; \
	SUBQ R9, AX; \
	VMOVDQU (BX)(AX*4), Y9; \
	VMASKMOVPS (SI)(R14*4), Y9, Y9; \
	VCMPPS $4, Y9, Y12, Y9; \
	VMOVMSKPS Y9, AX; \
	MOVQ AX, BX; \
	SHLQ $5, BX; \
	VMOVDQU (R12)(BX*1), Y10; \
	VMOVQ R14, X11; \
	VPBROADCASTD X11, Y11; \
	VPADDD Y11, Y10, Y10; \
	VMOVDQU Y10, (R10)(R13*4); \
	POPCNTL AX, AX; \
	ADDQ AX, R13; \
sparse_listed:

TEXT ·sgemvRowSparse2(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R11
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	MOVQ list+48(FP), R10
	VMOVDQU (AX), Y15
	SPARSE_LIST
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	TESTQ R13, R13
	JZ sgemvRowSparse2_store
sgemvRowSparse2_term:
	MOVLQSX (R10), BX
	ADDQ $4, R10
	VBROADCASTSS (SI)(BX*4), Y8
	IMULQ R8, BX
	ADDQ R11, BX
	VFMADD231PS 0(BX), Y8, Y0
	VFMADD231PS 32(BX), Y8, Y1
	VMASKMOVPS 64(BX), Y15, Y9
	VFMADD231PS Y9, Y8, Y2
	DECQ R13
	JNZ sgemvRowSparse2_term
sgemvRowSparse2_store:
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VMASKMOVPS 64(DX), Y15, Y9
	VADDPS Y9, Y2, Y2
	VMASKMOVPS Y2, Y15, 64(DX)
	VZEROUPPER
	RET

TEXT ·sgemvRowSparse3(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R11
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	MOVQ list+48(FP), R10
	VMOVDQU (AX), Y15
	SPARSE_LIST
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	TESTQ R13, R13
	JZ sgemvRowSparse3_store
sgemvRowSparse3_term:
	MOVLQSX (R10), BX
	ADDQ $4, R10
	VBROADCASTSS (SI)(BX*4), Y8
	IMULQ R8, BX
	ADDQ R11, BX
	VFMADD231PS 0(BX), Y8, Y0
	VFMADD231PS 32(BX), Y8, Y1
	VFMADD231PS 64(BX), Y8, Y2
	VMASKMOVPS 96(BX), Y15, Y9
	VFMADD231PS Y9, Y8, Y3
	DECQ R13
	JNZ sgemvRowSparse3_term
sgemvRowSparse3_store:
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VADDPS 64(DX), Y2, Y2
	VMOVUPS Y2, 64(DX)
	VMASKMOVPS 96(DX), Y15, Y9
	VADDPS Y9, Y3, Y3
	VMASKMOVPS Y3, Y15, 96(DX)
	VZEROUPPER
	RET

TEXT ·sgemvRowSparse4(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R11
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	MOVQ list+48(FP), R10
	VMOVDQU (AX), Y15
	SPARSE_LIST
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	TESTQ R13, R13
	JZ sgemvRowSparse4_store
sgemvRowSparse4_term:
	MOVLQSX (R10), BX
	ADDQ $4, R10
	VBROADCASTSS (SI)(BX*4), Y8
	IMULQ R8, BX
	ADDQ R11, BX
	VFMADD231PS 0(BX), Y8, Y0
	VFMADD231PS 32(BX), Y8, Y1
	VFMADD231PS 64(BX), Y8, Y2
	VFMADD231PS 96(BX), Y8, Y3
	VMASKMOVPS 128(BX), Y15, Y9
	VFMADD231PS Y9, Y8, Y4
	DECQ R13
	JNZ sgemvRowSparse4_term
sgemvRowSparse4_store:
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VADDPS 64(DX), Y2, Y2
	VMOVUPS Y2, 64(DX)
	VADDPS 96(DX), Y3, Y3
	VMOVUPS Y3, 96(DX)
	VMASKMOVPS 128(DX), Y15, Y9
	VADDPS Y9, Y4, Y4
	VMASKMOVPS Y4, Y15, 128(DX)
	VZEROUPPER
	RET

TEXT ·sgemvRowSparse5(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R11
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	MOVQ list+48(FP), R10
	VMOVDQU (AX), Y15
	SPARSE_LIST
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	TESTQ R13, R13
	JZ sgemvRowSparse5_store
sgemvRowSparse5_term:
	MOVLQSX (R10), BX
	ADDQ $4, R10
	VBROADCASTSS (SI)(BX*4), Y8
	IMULQ R8, BX
	ADDQ R11, BX
	VFMADD231PS 0(BX), Y8, Y0
	VFMADD231PS 32(BX), Y8, Y1
	VFMADD231PS 64(BX), Y8, Y2
	VFMADD231PS 96(BX), Y8, Y3
	VFMADD231PS 128(BX), Y8, Y4
	VMASKMOVPS 160(BX), Y15, Y9
	VFMADD231PS Y9, Y8, Y5
	DECQ R13
	JNZ sgemvRowSparse5_term
sgemvRowSparse5_store:
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VADDPS 64(DX), Y2, Y2
	VMOVUPS Y2, 64(DX)
	VADDPS 96(DX), Y3, Y3
	VMOVUPS Y3, 96(DX)
	VADDPS 128(DX), Y4, Y4
	VMOVUPS Y4, 128(DX)
	VMASKMOVPS 160(DX), Y15, Y9
	VADDPS Y9, Y5, Y5
	VMASKMOVPS Y5, Y15, 160(DX)
	VZEROUPPER
	RET

TEXT ·sgemvRowSparse6(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R11
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	MOVQ list+48(FP), R10
	VMOVDQU (AX), Y15
	SPARSE_LIST
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	TESTQ R13, R13
	JZ sgemvRowSparse6_store
sgemvRowSparse6_term:
	MOVLQSX (R10), BX
	ADDQ $4, R10
	VBROADCASTSS (SI)(BX*4), Y8
	IMULQ R8, BX
	ADDQ R11, BX
	VFMADD231PS 0(BX), Y8, Y0
	VFMADD231PS 32(BX), Y8, Y1
	VFMADD231PS 64(BX), Y8, Y2
	VFMADD231PS 96(BX), Y8, Y3
	VFMADD231PS 128(BX), Y8, Y4
	VFMADD231PS 160(BX), Y8, Y5
	VMASKMOVPS 192(BX), Y15, Y9
	VFMADD231PS Y9, Y8, Y6
	DECQ R13
	JNZ sgemvRowSparse6_term
sgemvRowSparse6_store:
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VADDPS 64(DX), Y2, Y2
	VMOVUPS Y2, 64(DX)
	VADDPS 96(DX), Y3, Y3
	VMOVUPS Y3, 96(DX)
	VADDPS 128(DX), Y4, Y4
	VMOVUPS Y4, 128(DX)
	VADDPS 160(DX), Y5, Y5
	VMOVUPS Y5, 160(DX)
	VMASKMOVPS 192(DX), Y15, Y9
	VADDPS Y9, Y6, Y6
	VMASKMOVPS Y6, Y15, 192(DX)
	VZEROUPPER
	RET

TEXT ·sgemvRowSparse7(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R11
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), DX
	MOVQ mask+40(FP), AX
	MOVQ list+48(FP), R10
	VMOVDQU (AX), Y15
	SPARSE_LIST
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	TESTQ R13, R13
	JZ sgemvRowSparse7_store
sgemvRowSparse7_term:
	MOVLQSX (R10), BX
	ADDQ $4, R10
	VBROADCASTSS (SI)(BX*4), Y8
	IMULQ R8, BX
	ADDQ R11, BX
	VFMADD231PS 0(BX), Y8, Y0
	VFMADD231PS 32(BX), Y8, Y1
	VFMADD231PS 64(BX), Y8, Y2
	VFMADD231PS 96(BX), Y8, Y3
	VFMADD231PS 128(BX), Y8, Y4
	VFMADD231PS 160(BX), Y8, Y5
	VFMADD231PS 192(BX), Y8, Y6
	VMASKMOVPS 224(BX), Y15, Y9
	VFMADD231PS Y9, Y8, Y7
	DECQ R13
	JNZ sgemvRowSparse7_term
sgemvRowSparse7_store:
	VADDPS 0(DX), Y0, Y0
	VMOVUPS Y0, 0(DX)
	VADDPS 32(DX), Y1, Y1
	VMOVUPS Y1, 32(DX)
	VADDPS 64(DX), Y2, Y2
	VMOVUPS Y2, 64(DX)
	VADDPS 96(DX), Y3, Y3
	VMOVUPS Y3, 96(DX)
	VADDPS 128(DX), Y4, Y4
	VMOVUPS Y4, 128(DX)
	VADDPS 160(DX), Y5, Y5
	VMOVUPS Y5, 160(DX)
	VADDPS 192(DX), Y6, Y6
	VMOVUPS Y6, 192(DX)
	VMASKMOVPS 224(DX), Y15, Y9
	VADDPS Y9, Y7, Y7
	VMASKMOVPS Y7, Y15, 224(DX)
	VZEROUPPER
	RET

// func allFinite32(x *float32, blocks int) bool
//
// Whether the 8·blocks elements from x are all finite (no ±Inf, no NaN):
// an element is not when its exponent bits are all set. blocks ≥ 1.
TEXT ·allFinite32(SB), NOSPLIT, $0-17
	MOVQ x+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ $0x7f800000, AX
	VMOVQ AX, X15
	VPBROADCASTD X15, Y15
	VPXOR Y14, Y14, Y14
allFinite32_loop:
	VPAND (SI), Y15, Y0
	VPCMPEQD Y15, Y0, Y0
	VPOR Y0, Y14, Y14
	ADDQ $32, SI
	DECQ CX
	JNZ allFinite32_loop
	VPTEST Y14, Y14
	SETEQ ret+16(FP)
	VZEROUPPER
	RET
