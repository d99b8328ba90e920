package rng

import "math/bits"

// maskedBelow returns a uniform integer in [0, max] as numpy's legacy
// RandomState draws bounded integers (random_interval and the masked
// bounded_uint32 path of randint): 32-bit outputs masked to the bit length
// of max, rejected until one is at most max.
func (r *MT) maskedBelow(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	mask := uint32(1)<<bits.Len32(max) - 1
	if max == 0xffffffff {
		mask = 0xffffffff
	}
	for {
		if v := r.Uint32() & mask; v <= max {
			return v
		}
	}
}

// Randint returns a uniform integer in [low, high) exactly as numpy's legacy
// np.random.randint(low, high) does (and np.random.choice over high-low
// items with replacement and no weights, which draws the same way). It
// panics unless low < high and high-low <= 2^32.
func (r *MT) Randint(low, high int) int {
	if low >= high || uint64(high-low) > 1<<32 {
		panic("rng: Randint needs low < high and high-low <= 2^32")
	}
	return low + int(r.maskedBelow(uint32(uint64(high-low)-1)))
}

// NumpyShuffle permutes the n elements reached through swap in place as
// numpy's legacy np.random.shuffle permutes a one-dimensional array: for i
// from n-1 down to 1 it swaps i with a uniform j in [0, i]. It panics if n
// is at least 2^32.
func (r *MT) NumpyShuffle(n int, swap func(i, j int)) {
	if uint64(n) > 1<<32 {
		panic("rng: NumpyShuffle of 2^32 elements or more")
	}
	for i := n - 1; i > 0; i-- {
		swap(i, int(r.maskedBelow(uint32(i))))
	}
}
