package crmath

import "math"

// Double-double arithmetic for Exp and Log: a value hi + lo held as two
// float64s, exact sums and products by the error-free transformations of
// Knuth (twoSum), Dekker (fastTwoSum) and the fused multiply-add (twoProd).
// float64(...) around a product keeps the compiler from fusing it into an
// FMA where an exact rounding is needed.

// twoSum returns s = RN(a + b) and e with s + e = a + b exactly.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return
}

// fastTwoSum is twoSum for |a| >= |b| (or a = 0).
func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return
}

// twoProd returns p = RN(a·b) and e with p + e = a·b exactly.
func twoProd(a, b float64) (p, e float64) {
	p = float64(a * b)
	e = math.FMA(a, b, -p)
	return
}

// mulDD returns (ah + al)·(bh + bl) to about 2^-104 relative.
func mulDD(ah, al, bh, bl float64) (float64, float64) {
	p, e := twoProd(ah, bh)
	e += float64(ah*bl) + float64(al*bh)
	return fastTwoSum(p, e)
}

// addDD returns (ah + al) + (bh + bl) to about 2^-104 relative (when the
// sum does not cancel).
func addDD(ah, al, bh, bl float64) (float64, float64) {
	s, e := twoSum(ah, bh)
	e += al + bl
	return fastTwoSum(s, e)
}
