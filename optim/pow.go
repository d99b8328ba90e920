package optim

import "math"

// powInt returns x^n for n ≥ 0, correctly rounded but for rare hard
// cases. It squares and multiplies in double-double arithmetic (a product's
// rounding error recovered exactly by math.FMA), so its error before the
// final rounding is about 2^-100 relative. math.Pow squares in plain
// float64 for integer exponents and drifts by several ulps by n = 30;
// powInt gives the values C's pow (and so the book's NumPy Adam) gives, so
// that Adam's path matches the book's bit for bit.
func powInt(x float64, n int) float64 {
	hi, lo := 1.0, 0.0 // the result so far
	bhi, blo := x, 0.0 // x^(2^k)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			hi, lo = mulDD(hi, lo, bhi, blo)
		}
		if n > 1 {
			bhi, blo = mulDD(bhi, blo, bhi, blo)
		}
	}
	return hi + lo
}

// mulDD returns the double-double product of (ahi + alo) and (bhi + blo),
// normalized so that |lo| ≤ ulp(hi)/2.
func mulDD(ahi, alo, bhi, blo float64) (hi, lo float64) {
	p := float64(ahi * bhi) // not fused into hi below
	e := math.FMA(ahi, bhi, -p) + (float64(ahi*blo) + float64(alo*bhi))
	hi = p + e
	return hi, e - (hi - p)
}
