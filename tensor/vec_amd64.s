//go:build amd64 && !purego

#include "textflag.h"

// Elementwise kernels. ReLU: blocks of one YMM register (8 float32 or 4 float64).
// Forward keeps x where x > 0 or x is NaN (a mask from two comparisons)
// and gives +0 elsewhere; backward keeps dy where x > 0 (false for NaN).
// Comparison predicates: 0x1E is GT_OQ, 0x03 is UNORD_Q.

// func relu32(dst, x *float32, blocks int)
TEXT ·relu32(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
	VXORPS Y15, Y15, Y15
relu32_loop:
	VMOVUPS (SI), Y0
	VCMPPS $0x1E, Y15, Y0, Y1
	VCMPPS $0x03, Y0, Y0, Y2
	VORPS Y2, Y1, Y1
	VANDPS Y0, Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ relu32_loop
	VZEROUPPER
	RET

// func relu64(dst, x *float64, blocks int)
TEXT ·relu64(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ blocks+16(FP), CX
	VXORPD Y15, Y15, Y15
relu64_loop:
	VMOVUPD (SI), Y0
	VCMPPD $0x1E, Y15, Y0, Y1
	VCMPPD $0x03, Y0, Y0, Y2
	VORPD Y2, Y1, Y1
	VANDPD Y0, Y1, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ relu64_loop
	VZEROUPPER
	RET

// func reluGrad32(dst, x, dy *float32, blocks int)
TEXT ·reluGrad32(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ blocks+24(FP), CX
	VXORPS Y15, Y15, Y15
reluGrad32_loop:
	VMOVUPS (SI), Y0
	VCMPPS $0x1E, Y15, Y0, Y1
	VANDPS (DX), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ reluGrad32_loop
	VZEROUPPER
	RET

// func reluGrad64(dst, x, dy *float64, blocks int)
TEXT ·reluGrad64(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dy+16(FP), DX
	MOVQ blocks+24(FP), CX
	VXORPD Y15, Y15, Y15
reluGrad64_loop:
	VMOVUPD (SI), Y0
	VCMPPD $0x1E, Y15, Y0, Y1
	VANDPD (DX), Y1, Y1
	VMOVUPD Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ reluGrad64_loop
	VZEROUPPER
	RET

// func axpy32(y, x *float32, alpha float32, blocks int)
//
// y[i] += alpha·x[i] over blocks of 32 bytes: the product rounded, then
// the sum (no fused multiply-add), as the portable loop does.
TEXT ·axpy32(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	VBROADCASTSS alpha+16(FP), Y15
	MOVQ blocks+24(FP), CX
axpy32_loop:
	VMULPS (SI), Y15, Y0
	VADDPS (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ axpy32_loop
	VZEROUPPER
	RET

// func axpy64(y, x *float64, alpha float64, blocks int)
TEXT ·axpy64(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	VBROADCASTSD alpha+16(FP), Y15
	MOVQ blocks+24(FP), CX
axpy64_loop:
	VMULPD (SI), Y15, Y0
	VADDPD (DI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ axpy64_loop
	VZEROUPPER
	RET

// func spinPause()
//
// A few PAUSE instructions, for spin loops: they let a sibling hardware
// thread on the same core use it, and cost little time.
TEXT ·spinPause(SB), NOSPLIT, $0-0
	PAUSE
	PAUSE
	PAUSE
	PAUSE
	PAUSE
	PAUSE
	PAUSE
	PAUSE
	RET

// func add32(dst, a, b *float32, blocks int)
//
// dst[i] = a[i] + b[i] over blocks of 32 bytes (dst may be a or b).
TEXT ·add32(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ blocks+24(FP), CX
add32_loop:
	VMOVUPS (SI), Y0
	VADDPS (DX), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ add32_loop
	VZEROUPPER
	RET

// func add64(dst, a, b *float64, blocks int)
TEXT ·add64(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ blocks+24(FP), CX
add64_loop:
	VMOVUPD (SI), Y0
	VADDPD (DX), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ add64_loop
	VZEROUPPER
	RET

// BytesTo for float32: 8 bytes widened to 8 int32 (exact), converted to
// float32 (exact: at most 255) and divided by div, correctly rounded as Go's
// float32 division is.

// func bytesDiv32(dst *float32, src *uint8, div float32, blocks int)
TEXT ·bytesDiv32(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	VBROADCASTSS div+16(FP), Y15
	MOVQ blocks+24(FP), CX
bytesDiv32_loop:
	VPMOVZXBD (SI), Y0
	VCVTDQ2PS Y0, Y0
	VDIVPS Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $8, SI
	ADDQ $32, DI
	DECQ CX
	JNZ bytesDiv32_loop
	VZEROUPPER
	RET
