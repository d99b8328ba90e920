package nn

import (
	"runtime"
	"sync"
)

// halvesMin is the number of elements from which a layer's memory-bound
// pass (ReLU, pooling) is worth splitting between two goroutines; below
// it the hand-off costs more than the second core gives.
const halvesMin = 1 << 17

// halves runs a layer's pass over items [0, n) as two ranges, f(0, 0, n/2)
// and f(1, n/2, n), always the same two whatever GOMAXPROCS is (so sums
// over a range, as Conv2D's, have the same bits either way): on two
// goroutines when the caller says the pass is large and GOMAXPROCS allows,
// otherwise one after the other. The layer sets f, the pass over a range
// (i names the half), once: a method value made at every call would
// allocate.
type halves struct {
	f      func(i, lo, hi int)
	wg     sync.WaitGroup
	second func()
	mid, n int
}

func (h *halves) run(n int, large bool) {
	mid := n / 2
	if !large || n < 2 || runtime.GOMAXPROCS(0) < 2 {
		h.f(0, 0, mid)
		h.f(1, mid, n)
		return
	}
	if h.second == nil {
		h.second = func() {
			defer h.wg.Done()
			h.f(1, h.mid, h.n)
		}
	}
	h.mid, h.n = mid, n
	h.wg.Add(1)
	go h.second()
	h.f(0, 0, mid)
	h.wg.Wait()
}
