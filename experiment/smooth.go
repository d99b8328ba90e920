package experiment

import "math"

// smoothWindow is the length of the window of smooth, the book's.
const smoothWindow = 11

// smooth returns x smoothed as the book's common/util.py smooth_curve does
// for its loss figures: a moving average weighted by a Kaiser window of 11
// points with β = 2 (np.kaiser(11, 2)), over x extended at each end by its
// reflection (x[10], ..., x[1] before; x[n-1], ..., x[n-10] after). The
// result has x's length. A series shorter than the window is returned as a
// copy, unsmoothed.
func smooth(x []float64) []float64 {
	const half = smoothWindow / 2
	n := len(x)
	if n < smoothWindow {
		return append([]float64(nil), x...)
	}
	w := kaiser(smoothWindow, 2)
	var sum float64
	for _, v := range w {
		sum += v
	}
	// ext(j) is the book's extended series s at j - (smoothWindow-1).
	ext := func(j int) float64 {
		switch {
		case j < 0:
			return x[-j]
		case j >= n:
			return x[2*n-1-j]
		}
		return x[j]
	}
	y := make([]float64, n)
	for i := range y {
		var acc float64
		for k, wk := range w {
			acc += wk / sum * ext(i-half+k)
		}
		y[i] = acc
	}
	return y
}

// kaiser returns the Kaiser window of m points with shape β, as np.kaiser:
// w[n] = I0(β·sqrt(1 - (2n/(m-1) - 1)²)) / I0(β).
func kaiser(m int, beta float64) []float64 {
	w := make([]float64, m)
	for i := range w {
		r := 2*float64(i)/float64(m-1) - 1
		w[i] = besselI0(beta*math.Sqrt(1-r*r)) / besselI0(beta)
	}
	return w
}

// besselI0 returns the modified Bessel function of the first kind of order
// zero, by its power series Σ ((x/2)^k / k!)², which converges quickly for
// the small arguments of a window.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 100; k++ {
		term *= x / 2 / float64(k)
		sum += term * term
		if term*term < 1e-17*sum {
			break
		}
	}
	return sum
}
