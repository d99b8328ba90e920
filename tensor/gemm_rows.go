package tensor

// rowsMax is the number of rows of c up to which a float32 gemmBlocked
// product without transposes or scaling is computed row by row, reading b
// in place: for so few rows, packing b (k·n copies) costs more than the
// product itself. A single-sample forward pass is such a product.
const rowsMax = 2

// rows computes c = a·b + beta·c for a [m, k], b [k, n], m ≤ rowsMax, with
// the SIMD row kernels (rowKernel32), up to 64 columns at a time. Every element
// sees the operations gemmBlocked's SIMD kernel gives it: c scaled by beta
// first, then for each run of at most blockKC terms (the same runs), a sum
// from 0 with one fused multiply-add per term, added to c. So the bits are
// those of the blocked path, and a case's row of a layer's output does not
// depend on the size of its batch.
func rows(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	kc := balanced(k, blockKC)
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		switch {
		case beta == 0:
			clear(crow)
		case beta != 1:
			for j := range crow {
				crow[j] *= beta
			}
		}
		arow := a[i*lda : i*lda+k]
		for pc := 0; pc < k; pc += kc {
			run := min(kc, k-pc)
			for j := 0; j < n; j += 64 {
				rowKernel32(run, arow[pc:], b[pc*ldb+j:], ldb, crow[j:], min(64, n-j))
			}
		}
	}
}
