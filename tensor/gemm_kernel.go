package tensor

// useSIMD reports whether gemmBlocked runs the SIMD micro-kernels; it is
// set at start-up from the CPU's features (see gemm_amd64.go) and tests
// clear it to exercise the portable kernel.
var useSIMD = haveSIMD

func kernel64() kernel[float64] {
	if useSIMD {
		return simdKernel64
	}
	return kernel[float64]{mr: 4, nr: 4, run: kernelGo[float64]}
}

func kernel32() kernel[float32] {
	if useSIMD {
		return simdKernel32
	}
	return kernel[float32]{mr: 4, nr: 4, run: kernelGo[float32]}
}

// kernelGo is the portable 4×4 micro-kernel: sixteen accumulators that
// the compiler keeps in registers.
func kernelGo[E float32 | float64](k int, a, b, c []E, ldc int, over bool) {
	a, b = a[:4*k], b[:4*k]
	if over {
		clearTile(c, ldc, 4, 4)
	}
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 E
	for p := 0; p < 4*k; p += 4 {
		a0, a1, a2, a3 := a[p], a[p+1], a[p+2], a[p+3]
		b0, b1, b2, b3 := b[p], b[p+1], b[p+2], b[p+3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	r := c[:4]
	r[0], r[1], r[2], r[3] = r[0]+c00, r[1]+c01, r[2]+c02, r[3]+c03
	r = c[ldc : ldc+4]
	r[0], r[1], r[2], r[3] = r[0]+c10, r[1]+c11, r[2]+c12, r[3]+c13
	r = c[2*ldc : 2*ldc+4]
	r[0], r[1], r[2], r[3] = r[0]+c20, r[1]+c21, r[2]+c22, r[3]+c23
	r = c[3*ldc : 3*ldc+4]
	r[0], r[1], r[2], r[3] = r[0]+c30, r[1]+c31, r[2]+c32, r[3]+c33
}

// clearTile zeroes the mr×nr tile at c (row stride ldc): a kernel told to
// overwrite c that can only add to it clears it first.
func clearTile[E float32 | float64](c []E, ldc, mr, nr int) {
	for i := 0; i < mr; i++ {
		clear(c[i*ldc : i*ldc+nr])
	}
}
