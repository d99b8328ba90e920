package tensor

import (
	"fmt"
	"sync"
	"unsafe"
)

// SoftmaxTo sets dst to the softmax of each row of x (a row as Rows and
// Cols cut x: the first axis indexes rows; a rank-1 x is one row): exp(x - max) / Σ exp(x - max), the maximum
// subtracted first so that no exponential overflows. The exponentials
// and their sum are ExpSum's: in float64 correctly rounded (Exp) and
// summed in order, in float32 within 8.3e-8 relative, eight at a time,
// summed in eight lanes (the same bits on every machine). dst may be x.
// From parallelSoftmax elements on (float32: parallelSoftmax32), the rows
// are computed in chunks on Parallel; each row has the same bits wherever
// it is computed. It returns dst, and panics if dst and x differ in shape.
func SoftmaxTo[T Float](dst, x *Tensor[T]) *Tensor[T] {
	if !SameShape(dst, x) {
		panic(fmt.Sprintf("tensor: SoftmaxTo: shape mismatch %v and %v", dst.Shape(), x.Shape()))
	}
	if x.Len() == 0 {
		return dst
	}
	n, c := x.Rows(), x.Cols()
	if x.Rank() == 1 {
		n, c = 1, x.Len()
	}
	if n > 1 && (x.Len() >= parallelSoftmax && unsafe.Sizeof(T(0)) == 8 || x.Len() >= parallelSoftmax32) {
		pool := Of[T](&softmaxPools)
		r, ok := pool.Get().(*softmaxRows[T])
		if !ok {
			r = new(softmaxRows[T])
		}
		*r = softmaxRows[T]{p: dst.Data, x: x.Data, c: c, rows: n, chunks: min(n, 4)}
		Parallel(r, r.chunks)
		*r = softmaxRows[T]{} // hold no slices
		pool.Put(r)
		return dst
	}
	for off := 0; off < x.Len(); off += c {
		softmaxRow(dst.Data[off:off+c], x.Data[off:off+c])
	}
	return dst
}

// parallelSoftmax is the number of float64 elements from which SoftmaxTo
// computes the rows on Parallel (an MNIST batch of 100 has 1000), and
// parallelSoftmax32 the number of float32 elements: their exponentials
// cost about a nanosecond each, against about 15 for float64's, and
// handing a batch of MNIST's to the other core cost more than it saved.
const (
	parallelSoftmax   = 512
	parallelSoftmax32 = 1 << 15
)

// softmaxPools keep SoftmaxTo's chunkers, so that a training step
// allocates nothing.
var softmaxPools PerType[sync.Pool]

// softmaxRows is the softmax of a batch cut into chunks of rows for
// Parallel: p = softmax(x) row by row, c elements per row.
type softmaxRows[T Float] struct {
	p, x            []T
	c, rows, chunks int
}

// RunChunk computes the rows of chunk i.
func (r *softmaxRows[T]) RunChunk(i int) {
	c := r.c
	for row := i * r.rows / r.chunks; row < (i+1)*r.rows/r.chunks; row++ {
		softmaxRow(r.p[row*c:(row+1)*c], r.x[row*c:(row+1)*c])
	}
}

// softmaxRow sets dst to the softmax of the row x.
func softmaxRow[T Float](dst, x []T) {
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	if unsafe.Sizeof(T(0)) == 4 {
		s := ExpSum(dst, x, m)
		for j := range dst {
			dst[j] /= s
		}
		return
	}
	var s T
	for j, v := range x {
		e := T(1) // exp(0) is exactly 1: the largest term costs no exponential
		if v != m {
			e = T(Exp(float64(v - m)))
		}
		dst[j] = e
		s += e
	}
	for j := range dst {
		dst[j] /= s
	}
}
