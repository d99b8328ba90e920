package plot

import "math"

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// finiteOnly returns the finite values of vs (vs itself if all are).
func finiteOnly(vs []float64) []float64 {
	for i, v := range vs {
		if !finite(v) {
			out := append([]float64(nil), vs[:i]...)
			for _, v := range vs[i+1:] {
				if finite(v) {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return vs
}

// minMax returns the smallest and largest of xs, or +Inf and -Inf if xs is
// empty (so that gonum/plot ignores the range). xs holds no NaN (callers
// pass finite values): plain comparisons are several times faster than
// math.Min and math.Max, which a long loss curve notices.
func minMax(xs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if x < lo {
			lo = x
		}
		if x > hi {
			hi = x
		}
	}
	return lo, hi
}
