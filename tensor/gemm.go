package tensor

// gemm is the matrix-product kernel behind Gemm: c = alpha·op(a)·op(b) +
// beta·c on row-major storage with leading dimensions lda, ldb, ldc.
//
// Products whose op(b) has fewer than blockedMin elements take gemmSmall,
// which sums in numpy's order; the others take gemmBlocked, which packs the
// operands into cache-sized panels and runs a SIMD micro-kernel where the
// CPU has one (see gemm_blocked.go for its rounding and determinism).
//
// The choice and both paths leave every row of c independent of m: a
// layer's output for one case has the same bits whatever the batch it
// comes in.
func gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if small(n, k) || alpha == 0 {
		gemmSmall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// blockedMin is the size of op(b) (k·n) from which gemm packs and blocks:
// smaller products are those of tiny networks, which keep numpy's
// summation order (a 2-127-2 network's, for one).
const blockedMin = 256

func small(n, k int) bool { return n*k < blockedMin }

// gemmSmall is the plain loop for small products.
//
// Each element of op(a)·op(b) is accumulated in one variable over p in
// increasing order starting from 0, the order numpy's dot uses for small
// products, so tiny networks reproduce numpy's arithmetic; alpha and beta
// are applied after. No product is fused into an FMA.
func gemmSmall[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		if beta != 0 && beta != 1 {
			for j := range crow {
				crow[j] *= beta
			}
		}
		if alpha == 0 {
			if beta == 0 {
				clear(crow)
			}
			continue
		}
		// One loop nest per layout, the element's sum innermost: s = ((0 +
		// a0·b0) + a1·b1) + ..., each product rounded (T() keeps it from
		// being fused into an FMA), then scaled by alpha and added to c.
		switch {
		case k == 1: // an outer product, as a batch of one's xᵀ·dy
			ai := a[i] // op(a)(i, 0)
			if !transA {
				ai = a[i*lda]
			}
			for j := range crow {
				bj := b[j] // op(b)(0, j)
				if transB {
					bj = b[j*ldb]
				}
				crow[j] = plus(crow[j], 0+T(ai*bj), alpha, beta)
			}
		case !transA && !transB:
			arow := a[i*lda : i*lda+k]
			for j := range crow {
				var s T
				for p, av := range arow {
					s += T(av * b[p*ldb+j])
				}
				crow[j] = plus(crow[j], s, alpha, beta)
			}
		case !transA:
			arow := a[i*lda : i*lda+k]
			for j := range crow {
				var s T
				for p, bv := range b[j*ldb : j*ldb+k] {
					s += T(arow[p] * bv)
				}
				crow[j] = plus(crow[j], s, alpha, beta)
			}
		case !transB:
			for j := range crow {
				var s T
				for p := 0; p < k; p++ {
					s += T(a[p*lda+i] * b[p*ldb+j])
				}
				crow[j] = plus(crow[j], s, alpha, beta)
			}
		default:
			for j := range crow {
				var s T
				for p, bv := range b[j*ldb : j*ldb+k] {
					s += T(a[p*lda+i] * bv)
				}
				crow[j] = plus(crow[j], s, alpha, beta)
			}
		}
	}
}

// plus returns c + alpha·s, or 0 + alpha·s when beta is 0 and c (NaN,
// say) is to be ignored: the bits of zeroing c first.
func plus[T Float](c, s, alpha, beta T) T {
	if alpha != 1 {
		s *= alpha
	}
	if beta == 0 {
		return 0 + s
	}
	return c + s
}

// affineSmall sets c = a·b + row for a [m, k], b [k, n], c [m, n] (all
// contiguous) and row [n]: each element sums over p in increasing order
// from 0, then the bias is added, as numpy's np.dot(x, W) + b does, so the
// bits are those of gemmSmall followed by AddRowTo.
func affineSmall[T Float](m, n, k int, a, b, row, c []T) {
	a, b, c, row = a[:m*k], b[:k*n], c[:m*n], row[:n]
	for i := 0; i < m; i++ {
		for j, r := range row {
			var s T
			for p := 0; p < k; p++ {
				s += T(a[i*k+p] * b[p*n+j]) // T(): never fused into an FMA
			}
			c[i*n+j] = s + r
		}
	}
}
