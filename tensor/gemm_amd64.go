//go:build amd64 && !purego

package tensor

// haveSIMD reports whether the CPU and the operating system support AVX2
// and FMA, which the assembly micro-kernels in gemm_amd64.s need.
var haveSIMD = detectAVX2FMA()

// cpuid and xgetbv are in gemm_amd64.s.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

func detectAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	// The OS must save the XMM and YMM registers (XCR0 bits 1 and 2).
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2 = 1 << 5
	return ebx7&avx2 != 0
}

// dgemm6x8 and sgemm6x16s are the AVX2/FMA micro-kernels (see kernel.run
// and kernel.runS): a 6×8 float64 tile in twelve YMM accumulators, and a
// 6×16 float32 one; the float32 kernels store the tile instead of adding
// it to c when over is set. k must be at least 1.
//
//go:noescape
func dgemm6x8(k int, a, b, c *float64, ldc int)

var simdKernel64 = kernel[float64]{mr: 6, nr: 8, run: func(k int, a, b, c []float64, ldc int, over bool) {
	_, _, _ = a[6*k-1], b[8*k-1], c[5*ldc+7] // bounds, checked once per tile
	if over {
		clearTile(c, ldc, 6, 8)
	}
	dgemm6x8(k, &a[0], &b[0], &c[0], ldc)
}}

//go:noescape
func sgemm6x16s(k int, a *float32, rs, ks int, b *float32, bs int, c *float32, ldc int, over bool)

// sgemm6x16n is sgemm6x16s on tiles tiles one below the other.
//
//go:noescape
func sgemm6x16n(k int, a *float32, rs, ks int, b *float32, bs int, c *float32, ldc int, over bool, tiles, astep int)

// sgemm6x16o is sgemm6x16s with row p of b's panel at b[off[p]].
//
//go:noescape
func sgemm6x16o(k int, a *float32, rs, ks int, b *float32, off *int, c *float32, ldc int, over bool)

// sgemm6x16a is sgemm6x16s with element (i, p) of a's panel at a[off[i]+p].
//
//go:noescape
func sgemm6x16a(k int, a *float32, off *int, b *float32, bs int, c *float32, ldc int, over bool)

//go:noescape
func sgemm6x8hs(k int, a *float32, rs, ks int, b *float32, bs int, c *float32, ldc int, over bool)

var simdKernel32 = kernel[float32]{mr: 6, nr: 16, run: func(k int, a, b, c []float32, ldc int, over bool) {
	_, _, _ = a[6*k-1], b[16*k-1], c[5*ldc+15]
	sgemm6x16s(k, &a[0], 1, 6, &b[0], 16, &c[0], ldc, over) // packed panels
}, half: func(k int, a, b, c []float32, ldc int, over bool) {
	_, _, _ = a[6*k-1], b[16*k-1], c[5*ldc+7]
	sgemm6x8hs(k, &a[0], 1, 6, &b[0], 16, &c[0], ldc, over)
}, runS: func(k int, a []float32, rs, ks int, b []float32, bs int, c []float32, ldc int, over bool) {
	_, _, _ = a[5*rs+(k-1)*ks], b[(k-1)*bs+15], c[5*ldc+15]
	sgemm6x16s(k, &a[0], rs, ks, &b[0], bs, &c[0], ldc, over)
}, halfS: func(k int, a []float32, rs, ks int, b []float32, bs int, c []float32, ldc int, over bool) {
	_, _, _ = a[5*rs+(k-1)*ks], b[(k-1)*bs+7], c[5*ldc+7]
	sgemm6x8hs(k, &a[0], rs, ks, &b[0], bs, &c[0], ldc, over)
}, runO: func(k int, a []float32, rs, ks int, b []float32, off []int, c []float32, ldc int, over bool) {
	// off's rows of b were checked against b's length by gemmOffB.
	_, _, _, _ = a[5*rs+(k-1)*ks], off[k-1], b[15], c[5*ldc+15]
	sgemm6x16o(k, &a[0], rs, ks, &b[0], &off[0], &c[0], ldc, over)
}, runN: func(k int, a []float32, rs, ks int, b []float32, bs int, c []float32, ldc int, over bool, tiles, astep int) {
	_, _, _ = a[(tiles-1)*astep+5*rs+(k-1)*ks], b[(k-1)*bs+15], c[(6*tiles-1)*ldc+15]
	sgemm6x16n(k, &a[0], rs, ks, &b[0], bs, &c[0], ldc, over, tiles, astep)
}, runA: func(k int, a []float32, off []int, b []float32, bs int, c []float32, ldc int, over bool) {
	// off's rows of a were checked against a's length by gemmOffA.
	_, _, _, _ = a[k-1], off[5], b[(k-1)*bs+15], c[5*ldc+15]
	sgemm6x16a(k, &a[0], &off[0], &b[0], bs, &c[0], ldc, over)
}, edgeT: func(k int, a []float32, lda int, b []float32, bs int, out []float32) {
	_, _, _ = a[(k-1)*lda+31], b[(k-1)*bs+1], out[63]
	sgemmT2x32(k, &a[0], lda, &b[0], bs, &out[0])
}, edgeN: func(k int, a []float32, lda int, a2 []float32, b []float32, bs int, out []float32) {
	_, _, _, _ = a[7*lda+k-1], a2[7*lda+k-1], b[(k-1)*bs+1], out[31]
	if k < 4 {
		panic("tensor: edgeN: fewer than four terms")
	}
	sgemmE16x2(k, &a[0], lda, &a2[0], &b[0], bs, &out[0])
}}

//go:noescape
func sgemmE16x2(k int, a *float32, lda int, a2 *float32, b *float32, bs int, out *float32)

//go:noescape
func sgemmT2x32(k int, a *float32, lda int, b *float32, bs int, out *float32)

// sgemvRow is the AVX2/FMA row kernel of rows (gemm_rows.go; see gemm_amd64.s).
//
//go:noescape
func sgemvRow(k int, a, b *float32, ldb int, c *float32, mask *int32)

//go:noescape
func sgemvRow64(k int, a, b *float32, ldb int, c *float32, mask *int32)

// gemvMask holds 64 selecting words then 64 zero words: &gemvMask[64-n]
// starts the mask of the first n of the next 64 columns.
var gemvMask = func() (m [128]int32) {
	for i := range 64 {
		m[i] = -1
	}
	return m
}()

// rowKernel32 is the row kernel behind bounds checks: c[j] += Σ_p
// a[p]·b[p·ldb+j] for j < n ≤ 64, a with k elements. Above 32 columns it
// runs sgemvRow64, else sgemvRow.
func rowKernel32(k int, a, b []float32, ldb int, c []float32, n int) {
	_, _, _ = a[k-1], b[(k-1)*ldb+n-1], c[n-1]
	if n > 32 {
		sgemvRow64(k, &a[0], &b[0], ldb, &c[0], &gemvMask[64-n+16])
		return
	}
	sgemvRow(k, &a[0], &b[0], ldb, &c[0], &gemvMask[64-n])
}
