package tensor

// gemm is the matrix-product kernel behind Gemm: c = alpha·op(a)·op(b) +
// beta·c on row-major storage with leading dimensions lda, ldb, ldc.
//
// Each product op(a)·op(b) element is accumulated over p in increasing order
// starting from 0, the order numpy's dot uses for small products, so tiny
// networks reproduce numpy's arithmetic; alpha and beta are applied after.
func gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
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
		if alpha == 0 {
			continue
		}
		if alpha == 1 && beta == 0 && !transB {
			// crow += a(i,p)·b[p,:] for each p: rows of b stream through.
			for p := 0; p < k; p++ {
				var aip T
				if transA {
					aip = a[p*lda+i]
				} else {
					aip = a[i*lda+p]
				}
				brow := b[p*ldb : p*ldb+n]
				for j, bv := range brow {
					crow[j] += T(aip * bv) // T(): never fused into an FMA, same bits everywhere
				}
			}
			continue
		}
		for j := range crow {
			var s T
			switch {
			case !transA && transB:
				arow, brow := a[i*lda:i*lda+k], b[j*ldb:j*ldb+k]
				for p, av := range arow {
					s += T(av * brow[p])
				}
			case !transA:
				arow := a[i*lda : i*lda+k]
				for p, av := range arow {
					s += T(av * b[p*ldb+j])
				}
			case transB:
				brow := b[j*ldb : j*ldb+k]
				for p, bv := range brow {
					s += T(a[p*lda+i] * bv)
				}
			default:
				for p := 0; p < k; p++ {
					s += T(a[p*lda+i] * b[p*ldb+j])
				}
			}
			if alpha != 1 {
				s *= alpha
			}
			crow[j] += s
		}
	}
}
