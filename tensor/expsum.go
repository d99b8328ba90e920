package tensor

import (
	"fmt"
	"unsafe"
)

// ExpSum sets dst[i] = exp(x[i] − m) for every i and returns the sum of
// the dst[i]: the exponentials of a softmax, m the row's maximum. dst and
// x must have the same length (dst may be x); it panics otherwise.
//
// float64 takes each exponential from Exp (correctly rounded) and sums
// them in order. float32 runs the exp of GELU's float32 kernel (within 8.3e-8
// relative of exp; arguments below -87 give 0), eight elements at a time
// with AVX2 and FMA, summed in eight lanes (element i into lane i mod 8,
// the lanes then added pairwise, the elements past the last multiple of
// eight after them), and a pure-Go loop with the same operations elsewhere.
func ExpSum[T Float](dst, x []T, m T) T {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("tensor: ExpSum: lengths %d and %d differ", len(dst), len(x)))
	}
	if unsafe.Sizeof(T(0)) == 4 {
		return T(expSum32(as[float32](dst), as[float32](x), float32(m)))
	}
	var sum T
	for i, v := range x {
		e := T(Exp(float64(v - m)))
		dst[i] = e
		sum += e
	}
	return sum
}

func expSum32(dst, x []float32, m float32) float32 {
	var acc [8]float32
	n := len(x) &^ 7
	if useSIMD && n > 0 {
		expSub32(&dst[0], &x[0], m, n/8, &acc)
	} else {
		for i := 0; i < n; i++ {
			e := expMasked32(x[i] - m)
			dst[i] = e
			acc[i&7] += e
		}
	}
	sum := ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
	for i := n; i < len(x); i++ {
		e := expMasked32(x[i] - m)
		dst[i] = e
		sum += e
	}
	return sum
}

// expMasked32 is exp32, 0 below expMin (and NaN for NaN).
func expMasked32(v float32) float32 {
	if v < expMin {
		return 0
	}
	return exp32(v)
}
