package rng

import "math"

// logRN returns ln x correctly rounded to nearest for 0 < x < 1, the input
// range of the polar method.
//
// numpy draws its normals with the C library's log, which is within 0.52
// ulp (nearly always the correctly rounded value); Go's math.Log is within
// 1 ulp and differs from it in the last bit about once in a dozen calls.
// So the guess y = math.Log(x) is corrected by y += (x - e^y) / e^y with
// e^y evaluated in double-double arithmetic (about 106 bits), which leaves
// only the final rounding.
func logRN(x float64) float64 {
	y := math.Log(x)
	eh, el := expDD(y)
	// d = (x - e) / e, where x - eh is exact (Sterbenz) since eh ≈ x.
	d := ((x - eh) - el) / eh
	return y + d
}

// ln2Hi + ln2Lo is ln 2 to about 107 bits.
const (
	ln2Hi = 0.6931471805599453
	ln2Lo = 2.3190468138462996e-17
)

// expDD returns e^y as an unevaluated sum hi + lo accurate to about 100
// bits, for -746 < y < 1.
func expDD(y float64) (hi, lo float64) {
	k := math.Round(y / math.Ln2)
	// r = y - k·ln2 in double-double.
	ph, pl := twoProd(k, ln2Hi)
	pl += k * ln2Lo
	rh, rl := twoSum(y, -ph)
	rl -= pl
	rh, rl = fastTwoSum(rh, rl)
	// Scale down by 2^-10 so a short Taylor series converges to 106 bits.
	const shift = 10
	rh, rl = math.Ldexp(rh, -shift), math.Ldexp(rl, -shift)
	// e^r - 1 by Horner in double-double: r(1 + r/2(1 + r/3(...))).
	sh, sl := 1.0, 0.0
	for i := 12; i >= 1; i-- {
		// s = 1 + r·s/i
		sh, sl = mulDD(rh, rl, sh, sl)
		sh, sl = sh/float64(i), sl/float64(i)
		sh, sl = addDD(1, 0, sh, sl)
	}
	// s = e^r; square it shift times: e^(r·2^shift).
	for i := 0; i < shift; i++ {
		sh, sl = mulDD(sh, sl, sh, sl)
	}
	ki := int(k)
	return math.Ldexp(sh, ki), math.Ldexp(sl, ki)
}

func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return
}

func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return
}

func twoProd(a, b float64) (p, e float64) {
	p = a * b
	e = math.FMA(a, b, -p)
	return
}

func addDD(ah, al, bh, bl float64) (float64, float64) {
	s, e := twoSum(ah, bh)
	e += al + bl
	return fastTwoSum(s, e)
}

func mulDD(ah, al, bh, bl float64) (float64, float64) {
	p, e := twoProd(ah, bh)
	e += ah*bl + al*bh
	return fastTwoSum(p, e)
}
