package tensor

import (
	"fmt"
	"runtime"
	"sync"
)

// BatchGemm computes c[i] = alpha·op(a[i])·op(b[i]) + beta·c[i] for every i
// of the first dimension, the batched product attention needs (one per
// case and head), and returns c. a, b and c are rank 3 with the same first
// dimension; op(a[i]) is [m, k], op(b[i]) is [k, n] and c[i] is [m, n]. c
// must not share storage with a or b. It panics on mismatched shapes.
//
// Each product is computed as Gemm computes it alone, so the bits do not
// depend on the batch or on GOMAXPROCS; the products are shared among
// Parallel's goroutines when there are several.
func BatchGemm[T Float](transA, transB bool, alpha T, a, b *Tensor[T], beta T, c *Tensor[T]) *Tensor[T] {
	if a.Rank() != 3 || b.Rank() != 3 || c.Rank() != 3 {
		panic(fmt.Sprintf("tensor: batched product needs rank-3 tensors, got %v, %v and %v", a.shape, b.shape, c.shape))
	}
	batch := a.shape[0]
	m, k := a.shape[1], a.shape[2]
	if transA {
		m, k = k, m
	}
	kb, n := b.shape[1], b.shape[2]
	if transB {
		kb, n = n, kb
	}
	if b.shape[0] != batch || c.shape[0] != batch || k != kb || c.shape[1] != m || c.shape[2] != n {
		panic(fmt.Sprintf("tensor: batched product shape mismatch: %s%v · %s%v -> %v",
			tname(transA), a.shape, tname(transB), b.shape, c.shape))
	}
	if batch == 0 || m == 0 || n == 0 {
		return c
	}
	pool := Of[T](&batchPools)
	p, ok := pool.Get().(*batchProducts[T])
	if !ok {
		p = new(batchProducts[T])
	}
	*p = batchProducts[T]{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a.Data, b: b.Data, c: c.Data, lda: a.shape[2], ldb: b.shape[2], batch: batch}
	chunks := min(batch, 4*runtime.GOMAXPROCS(0))
	if m*n*k*batch < parallelMin {
		chunks = 1
	}
	p.chunks = chunks
	Parallel(p, chunks)
	*p = batchProducts[T]{}
	pool.Put(p)
	return c
}

// batchPools keep BatchGemm's chunkers, so that a training step allocates
// nothing.
var batchPools PerType[sync.Pool]

// batchProducts is the work of one BatchGemm cut into chunks of products.
type batchProducts[T Float] struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    T
	a, b, c        []T
	lda, ldb       int
	batch, chunks  int
}

// RunChunk computes the products of chunk i.
func (p *batchProducts[T]) RunChunk(i int) {
	sa, sb, sc := p.m*p.k, p.k*p.n, p.m*p.n
	for j := i * p.batch / p.chunks; j < (i+1)*p.batch/p.chunks; j++ {
		gemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a[j*sa:(j+1)*sa], p.lda, p.b[j*sb:(j+1)*sb], p.ldb, p.beta, p.c[j*sc:(j+1)*sc], p.n)
	}
}
