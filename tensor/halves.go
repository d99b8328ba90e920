package tensor

// HalvesMin is the number of elements from which a memory-bound pass
// (pooling, ReLU) is worth splitting between two goroutines; below it the
// hand-off costs more than the second core gives.
const HalvesMin = 1 << 17

// Halves runs a pass over items [0, n) as two ranges, F(0, 0, n/2) and
// F(1, n/2, n), always the same two whatever GOMAXPROCS is (so sums over a
// range, as Conv2D's, have the same bits either way): as two chunks of
// Parallel when the caller says the pass is large, otherwise one after
// the other. Layers (in this package and in nn) use it for their
// element-wise and per-plane passes.
//
// The owner sets F, the pass over a range (i names the half), once, before
// the first Run: a method value made at every call would allocate. A
// Halves is not safe for concurrent use (Run stores the split in it).
type Halves struct {
	F      func(i, lo, hi int)
	mid, n int
}

// Run runs F over [0, n) in its two halves, on two goroutines if large
// (and n >= 2), otherwise half 0 then half 1 on the calling goroutine.
func (h *Halves) Run(n int, large bool) {
	if h.F == nil {
		panic("tensor: Halves.Run with a nil F")
	}
	h.mid, h.n = n/2, n
	if !large || n < 2 {
		h.RunChunk(0)
		h.RunChunk(1)
		return
	}
	Parallel(h, 2)
}

// RunChunk runs half i (it makes Halves a Parallel task).
func (h *Halves) RunChunk(i int) {
	if i == 0 {
		h.F(0, 0, h.mid)
	} else {
		h.F(1, h.mid, h.n)
	}
}
