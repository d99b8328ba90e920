package tensor

import (
	"runtime"
	"sync"
)

// Sparse products: a float32 c = op(a)·b + beta·c (b not transposed,
// alpha 1, beta 0 or 1) whose a is mostly zeros, as a batch of MNIST
// images under a network's first layer (81% of the pixels are 0): its x·W
// and its weight gradient xᵀ·dy. Each row of op(a) (for a transposed a,
// copied out of a's columns first) is multiplied by a kernel that lists
// its nonzero elements, eight at a time, and sums over the list alone
// (gemm_sparse_amd64.s). Each element of c sees the
// operations of rows (and of the blocked kernels): its runs of at most
// blockKC terms, each summed from +0 by fused multiply-adds in increasing
// p, then added to c. A term left out would have added 0·b[p][j] = ±0 to
// a sum that is never -0, which changes nothing, as long as b[p][j] is
// finite; so the sparse path is taken only when every element of b is
// (checked at each product), and the bits are those of the dense product.
// Whether a counts as sparse is read from its first and last rows (of a,
// not op(a): two images of a batch), so the choice depends on the data
// alone; both rows are read so that a causal attention's probabilities,
// whose first row has one nonzero element and whose last has none zero
// (half nonzero on the whole, where the dense path is faster), keep the
// dense path.

// sparseMaxDensity is the largest fraction of nonzero elements in a's
// first and last rows for which a product takes the sparse path.
// Measured on x·W1 of an MNIST MLP (100x784x50) with one core: 80-90 µs
// against 121-130 dense at density 0.2, 107 against 119-127 at 0.3, 134-139
// against 124-126 at 0.4.
const sparseMaxDensity = 0.3

// sparseOn lets gemmBlocked take the sparse path; tests clear it to check
// that the dense path gives the same bits.
var sparseOn = true

// sparseOK reports whether gemmBlocked computes the float32 product
// op(a) [m, k] · b [k, n] (row stride ldb) by gemmSparse, first and last
// being a's first and last rows: SIMD kernels, more than rowsMax rows, 17
// to 64 columns in each block of 64 (the kernel's), both rows sparse
// enough, b finite.
func sparseOK(m, n, k int, first, last []float32, b []float32, ldb int) bool {
	if !sparseOn || !useSIMD || !haveSparse || m <= rowsMax || n < 17 || (n%64 != 0 && n%64 < 17) {
		return false
	}
	if !sparseRowOK(first) || !sparseRowOK(last) {
		return false
	}
	if ldb == n {
		return finite32(b[:k*n])
	}
	for q := 0; q < k; q++ {
		if !finite32(b[q*ldb : q*ldb+n]) {
			return false
		}
	}
	return true
}

// sparseRowOK reports whether at most sparseMaxDensity of row's elements
// are nonzero (NaN counts as nonzero).
func sparseRowOK(row []float32) bool {
	nz := 0
	for _, v := range row {
		if v != 0 {
			nz++
		}
	}
	return float64(nz) <= sparseMaxDensity*float64(len(row))
}

// gemmSparse computes c = op(a)·b + beta·c (beta 0 or 1) for the product
// sparseOK accepts, rows cut into chunks for Parallel.
func gemmSparse(transA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	s := sparsePool.Get().(*sparsePart)
	*s = sparsePart{transA: transA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, clear: beta == 0, kc: balanced(k, blockKC)}
	s.chunks = 1
	if m*n*k >= parallelMin {
		s.chunks = min(m, 2*runtime.GOMAXPROCS(0))
	}
	Parallel(s, s.chunks)
	*s = sparsePart{}
	sparsePool.Put(s)
}

var sparsePool = sync.Pool{New: func() any { return new(sparsePart) }}

// sparseList is a kernel's list of the indices of a's nonzero elements
// in a run, pooled so that a product allocates nothing.
type sparseList struct{ idx []int32 }

var listPool = sync.Pool{New: func() any { return new(sparseList) }}

// sparsePart is one gemmSparse product; chunk i has rows [i·m/chunks,
// (i+1)·m/chunks).
type sparsePart struct {
	transA        bool
	m, n, k, kc   int
	a, b, c       []float32
	lda, ldb, ldc int
	clear         bool
	chunks        int
}

// RunChunk computes the rows of chunk i. For a transposed a, the rows of
// op(a) are first copied out of a's columns (packT32) into a buffer.
func (s *sparsePart) RunChunk(i int) {
	l := listPool.Get().(*sparseList)
	if cap(l.idx) < s.kc+8 {
		l.idx = make([]int32, s.kc+8)
	}
	list := l.idx[:s.kc+8]
	defer listPool.Put(l)
	r0, r1 := i*s.m/s.chunks, (i+1)*s.m/s.chunks
	var a []float32 // row r of op(a) at a[(r-r0)·lda]
	lda := s.lda
	if s.transA {
		pooled, buf := getBuf[float32]((r1 - r0) * s.k)
		defer bufPool.Put(pooled)
		packT32(buf, s.k, s.a[r0:], s.lda, s.k, r1-r0)
		a, lda = buf, s.k
	} else {
		a = s.a[r0*s.lda:]
	}
	for r := r0; r < r1; r++ {
		crow := s.c[r*s.ldc : r*s.ldc+s.n]
		if s.clear {
			clear(crow)
		}
		arow := a[(r-r0)*lda : (r-r0)*lda+s.k]
		for pc := 0; pc < s.k; pc += s.kc {
			run := min(s.kc, s.k-pc)
			for j := 0; j < s.n; j += 64 {
				sparseRow(run, arow[pc:], s.b[pc*s.ldb+j:], s.ldb, crow[j:], min(64, s.n-j), list)
			}
		}
	}
}
