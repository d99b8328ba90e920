//go:build amd64 && !purego

#include "textflag.h"

// Adam's and AdamW's element updates over float32, eight elements a
// block: the operations of adam.go's loops in their order, each rounded
// to float32 (VSQRTPS and VDIVPS are correctly rounded, as Go's float32
// √ through float64 and ÷ are; no fused multiply-add), so the same bits.

// func adam32(w, grad, m, v *float32, lr, c1, c2, eps float32, blocks int)
TEXT ·adam32(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	VBROADCASTSS lr+32(FP), Y12
	VBROADCASTSS c1+36(FP), Y13
	VBROADCASTSS c2+40(FP), Y14
	VBROADCASTSS eps+44(FP), Y15
	MOVQ blocks+48(FP), CX

adam32_loop:
	VMOVUPS (SI), Y0      // g
	VMOVUPS (R8), Y1      // m
	VSUBPS Y1, Y0, Y2
	VMULPS Y13, Y2, Y2
	VADDPS Y2, Y1, Y1     // m + c1·(g − m)
	VMOVUPS Y1, (R8)
	VMOVUPS (R9), Y4      // v
	VMULPS Y0, Y0, Y3
	VSUBPS Y4, Y3, Y3
	VMULPS Y14, Y3, Y3
	VADDPS Y3, Y4, Y4     // v + c2·(g·g − v)
	VMOVUPS Y4, (R9)
	VSQRTPS Y4, Y5
	VADDPS Y15, Y5, Y5    // √v + ε
	VMULPS Y12, Y1, Y6
	VDIVPS Y5, Y6, Y6     // lr·m / (√v + ε)
	VMOVUPS (DI), Y7
	VSUBPS Y6, Y7, Y7
	VMOVUPS Y7, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ adam32_loop
	VZEROUPPER
	RET

// func adamw32(w, grad, m, v *float32, step, b1, c1, b2, c2, bc2, eps float32, blocks int)
TEXT ·adamw32(SB), NOSPLIT, $0-72
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	VBROADCASTSS step+32(FP), Y9
	VBROADCASTSS b1+36(FP), Y10
	VBROADCASTSS c1+40(FP), Y11
	VBROADCASTSS b2+44(FP), Y12
	VBROADCASTSS c2+48(FP), Y13
	VBROADCASTSS bc2+52(FP), Y14
	VBROADCASTSS eps+56(FP), Y15
	MOVQ blocks+64(FP), CX

adamw32_loop:
	VMOVUPS (SI), Y0      // g
	VMULPS (R8), Y10, Y1  // β1·m
	VMULPS Y11, Y0, Y2
	VADDPS Y2, Y1, Y1     // β1·m + c1·g
	VMOVUPS Y1, (R8)
	VMULPS (R9), Y12, Y4  // β2·v
	VMULPS Y13, Y0, Y3
	VMULPS Y0, Y3, Y3
	VADDPS Y3, Y4, Y4     // β2·v + c2·g·g
	VMOVUPS Y4, (R9)
	VSQRTPS Y4, Y5
	VDIVPS Y14, Y5, Y5
	VADDPS Y15, Y5, Y5    // √v/bc2 + ε
	VDIVPS Y5, Y1, Y6
	VMULPS Y9, Y6, Y6     // step·(m / (√v/bc2 + ε))
	VMOVUPS (DI), Y7
	VSUBPS Y6, Y7, Y7
	VMOVUPS Y7, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ adamw32_loop
	VZEROUPPER
	RET
