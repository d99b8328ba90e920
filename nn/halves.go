package nn

import "github.com/kiso-go/kiso/tensor"

// halvesMin is the number of elements from which a layer's memory-bound
// pass (ReLU) is worth splitting between two goroutines; below
// it the hand-off costs more than the second core gives.
const halvesMin = 1 << 17

// halves runs a layer's pass over items [0, n) as two ranges, f(0, 0, n/2)
// and f(1, n/2, n), always the same two whatever GOMAXPROCS is (so the
// results have the same bits either way): as two chunks
// of tensor.Parallel when the caller says the pass is large, otherwise one
// after the other. The layer sets f, the pass over a range (i names the
// half), once: a method value made at every call would allocate.
type halves struct {
	f      func(i, lo, hi int)
	mid, n int
}

func (h *halves) run(n int, large bool) {
	h.mid, h.n = n/2, n
	if !large || n < 2 {
		h.RunChunk(0)
		h.RunChunk(1)
		return
	}
	tensor.Parallel(h, 2)
}

// RunChunk runs half i.
func (h *halves) RunChunk(i int) {
	if i == 0 {
		h.f(0, 0, h.mid)
	} else {
		h.f(1, h.mid, h.n)
	}
}
