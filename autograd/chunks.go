package autograd

import (
	"runtime"

	"github.com/kiso-go/kiso/tensor"
)

// span is an elementwise pass over [0, n) cut into chunks for
// tensor.Parallel: chunk i runs fn on [i·n/chunks, (i+1)·n/chunks).
type span struct {
	n, chunks int
	fn        func(lo, hi int)
}

func (s *span) RunChunk(i int) { s.fn(i*s.n/s.chunks, (i+1)*s.n/s.chunks) }

// each runs fn(lo, hi) over [0, n): in one call when n is below 2·grain
// elements (or GOMAXPROCS is 1), else in chunks of at least grain elements
// on tensor.Parallel, up to two a goroutine. fn must compute each element
// by itself (not from its neighbours' results), so that the bits do not
// depend on the cut; grain is the number of elements worth a chunk of
// their own (some tens of microseconds of work).
func each(n, grain int, fn func(lo, hi int)) {
	chunks := min(n/grain, 2*runtime.GOMAXPROCS(0))
	if chunks < 2 {
		fn(0, n)
		return
	}
	tensor.Parallel(&span{n: n, chunks: chunks, fn: fn}, chunks)
}
