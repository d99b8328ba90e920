//go:build amd64 && !purego

#include "textflag.h"

// Batch normalization's elementwise passes over one feature's float32
// values, four at a time in float64 lanes: the operations of the Go loops
// of batchnorm.go, in the same order and with the same roundings (no
// fused multiply-add), so the same bits.

// func bnNormalize32(y, xhat, x *float32, mean, inv, gamma, beta float64, blocks int)
// xh = (x - mean)·inv, xhat = float32(xh), y = float32(gamma·xh + beta),
// over blocks of four.
TEXT ·bnNormalize32(SB), NOSPLIT, $0-64
	MOVQ y+0(FP), DI
	MOVQ xhat+8(FP), R8
	MOVQ x+16(FP), SI
	VBROADCASTSD mean+24(FP), Y12
	VBROADCASTSD inv+32(FP), Y13
	VBROADCASTSD gamma+40(FP), Y14
	VBROADCASTSD beta+48(FP), Y15
	MOVQ blocks+56(FP), CX

bnNormalize32_loop:
	VCVTPS2PD (SI), Y0
	VSUBPD Y12, Y0, Y0
	VMULPD Y13, Y0, Y0
	VCVTPD2PSY Y0, X1
	VMOVUPS X1, (R8)
	VMULPD Y14, Y0, Y0
	VADDPD Y15, Y0, Y0
	VCVTPD2PSY Y0, X1
	VMOVUPS X1, (DI)
	ADDQ $16, SI
	ADDQ $16, R8
	ADDQ $16, DI
	DECQ CX
	JNZ bnNormalize32_loop
	VZEROUPPER
	RET

// func bnNormGrad32(dx, dy, xhat *float32, km, m, sdy, sdyx float64, blocks int)
// dx = float32(km·((m·dy - sdy) - xhat·sdyx)), over blocks of four.
TEXT ·bnNormGrad32(SB), NOSPLIT, $0-64
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ xhat+16(FP), R8
	VBROADCASTSD km+24(FP), Y12
	VBROADCASTSD m+32(FP), Y13
	VBROADCASTSD sdy+40(FP), Y14
	VBROADCASTSD sdyx+48(FP), Y15
	MOVQ blocks+56(FP), CX

bnNormGrad32_loop:
	VCVTPS2PD (SI), Y0
	VMULPD Y13, Y0, Y0
	VSUBPD Y14, Y0, Y0
	VCVTPS2PD (R8), Y1
	VMULPD Y15, Y1, Y1
	VSUBPD Y1, Y0, Y0
	VMULPD Y12, Y0, Y0
	VCVTPD2PSY Y0, X1
	VMOVUPS X1, (DI)
	ADDQ $16, SI
	ADDQ $16, R8
	ADDQ $16, DI
	DECQ CX
	JNZ bnNormGrad32_loop
	VZEROUPPER
	RET
