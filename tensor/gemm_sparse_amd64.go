//go:build amd64 && !purego

package tensor

// The kernels of gemm_sparse_amd64.s (see gemmSparse).
//
//go:noescape
func sgemvRowSparse2(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)

//go:noescape
func sgemvRowSparse3(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)

//go:noescape
func sgemvRowSparse4(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)

//go:noescape
func sgemvRowSparse5(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)

//go:noescape
func sgemvRowSparse6(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)

//go:noescape
func sgemvRowSparse7(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32)

//go:noescape
func allFinite32(x *float32, blocks int) bool

// sparseKernels[f] is the kernel for f whole vectors of eight columns and
// a masked one after.
var sparseKernels = [8]func(k int, a, b *float32, ldb int, c *float32, mask *int32, list *int32){
	2: sgemvRowSparse2, 3: sgemvRowSparse3, 4: sgemvRowSparse4,
	5: sgemvRowSparse5, 6: sgemvRowSparse6, 7: sgemvRowSparse7,
}

// sparseTailMask holds eight selecting words then eight zero words:
// &sparseTailMask[8-r] starts the mask of the first r of eight lanes.
//
//lint:ignore U1000 read by the kernels of gemm_sparse_amd64.s
var sparseTailMask = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}

// sparseLUT[m] lists the set bits of the byte m in increasing order (the
// rest of the row zeros): the kernels' indices of eight elements' nonzero
// ones.
//
//lint:ignore U1000 read by the kernels of gemm_sparse_amd64.s
var sparseLUT = func() (t [256][8]int32) {
	for m := range t {
		n := 0
		for b := range 8 {
			if m>>b&1 != 0 {
				t[m][n] = int32(b)
				n++
			}
		}
	}
	return t
}()

const haveSparse = true

// sparseRow is the kernel for n columns (17 ≤ n ≤ 64) behind bounds
// checks: c[j] += Σ_p a[p]·b[p·ldb+j] over the nonzero a[p]; list holds
// at least k+8 int32.
func sparseRow(k int, a, b []float32, ldb int, c []float32, n int, list []int32) {
	_, _, _, _ = a[k-1], b[(k-1)*ldb+n-1], c[n-1], list[k+7]
	f := (n - 1) / 8
	sparseKernels[f](k, &a[0], &b[0], ldb, &c[0], &gemvMask[64-(n-8*f)], &list[0])
}

// finite32 reports whether every element of x is finite.
func finite32(x []float32) bool {
	blocks := len(x) / 8
	if blocks > 0 && !allFinite32(&x[0], blocks) {
		return false
	}
	for _, v := range x[blocks*8:] {
		if v-v != 0 { // Inf - Inf and NaN - NaN are NaN
			return false
		}
	}
	return true
}
