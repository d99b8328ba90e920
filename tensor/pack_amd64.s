//go:build amd64 && !purego

#include "textflag.h"

// func packT8x8(dst *float32, ds int, src *float32, ss int, blocks int)
//
// Transposes blocks of 8×8 float32: block b reads rows r = 0..7 of 8
// elements at src + r·ss + 8b and writes its column c at dst + (8b + c)·ds
// (strides in elements), with the unpack, shuffle and lane-permute
// sequence of an AVX 8×8 transpose.
TEXT ·packT8x8(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ ds+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ ss+24(FP), BX
	MOVQ blocks+32(FP), CX
	SHLQ $2, DX
	SHLQ $2, BX
	LEAQ (BX)(BX*2), R8 // 3·ss
	LEAQ (DX)(DX*2), R9 // 3·ds
packT8x8_loop:
	MOVQ SI, AX
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(BX*1), Y1
	VMOVUPS (AX)(BX*2), Y2
	VMOVUPS (AX)(R8*1), Y3
	LEAQ (AX)(BX*4), AX
	VMOVUPS (AX), Y4
	VMOVUPS (AX)(BX*1), Y5
	VMOVUPS (AX)(BX*2), Y6
	VMOVUPS (AX)(R8*1), Y7
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(DX*1)
	VMOVUPS Y10, (DI)(DX*2)
	VMOVUPS Y11, (DI)(R9*1)
	LEAQ (DI)(DX*4), DI
	VMOVUPS Y12, (DI)
	VMOVUPS Y13, (DI)(DX*1)
	VMOVUPS Y14, (DI)(DX*2)
	VMOVUPS Y15, (DI)(R9*1)
	LEAQ (DI)(DX*4), DI
	ADDQ $32, SI
	DECQ CX
	JNZ packT8x8_loop
	VZEROUPPER
	RET
