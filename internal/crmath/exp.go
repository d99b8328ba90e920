package crmath

import (
	"math"
	"math/big"
)

//go:generate go run gen_mathtables.go

// Exp returns e^x correctly rounded (to nearest, ties to even), with
// math.Exp's special cases: Exp(+Inf) = +Inf, Exp(-Inf) = 0, Exp(NaN) =
// NaN, and +Inf or 0 past the range of float64.
//
// kiso's layers and losses use it instead of math.Exp, which is within 1
// ulp and about 1 time in 8 not the nearest float64: Exp is as fast or
// faster and never less accurate, and being correctly rounded, its bits do
// not depend on the platform or the library.
//
// Method: x = (128k + j)·ln2/128 + r with |r| <= ln2/256; e^x =
// 2^k · 2^(j/128) · e^r, the 128 powers 2^(j/128) tabulated in
// double-double, e^r by Taylor's series to r^6 with the leading terms in
// double-double. The error before the last rounding is below 2^-66.5
// relative; when a bound of 2^-65 does not decide the rounding (about
// once in 4000 calls) expSlow recomputes e^x to about 2^-100.
func Exp(x float64) float64 {
	if !(math.Abs(x) <= 708) { // also NaN; results near the ends of the range
		return expSlow(x)
	}
	// x = (128k + j)·ln2/128 + r: kd = 128k + j, rounded to nearest.
	kd := float64(x*expInvLn2N) + expShift
	ki := math.Float64bits(kd)
	kd -= expShift
	// r = x - kd·ln2/128 as r + rl: x - kd·expLn2HiN is exact (the two
	// are within a factor 2 when kd != 0, and kd·expLn2HiN is exact).
	rh := x - float64(kd*expLn2HiN)
	r, rl := twoSum(rh, -float64(kd*expLn2LoN))
	j := ki & 127
	th, tl := expTab[2*j], expTab[2*j+1]
	// e^r - 1 = r + q: q = r²/2 + r³/6 + ... + r^6/720, |q| < 2^-17.9, by
	// Estrin's scheme (short dependency chains).
	r2 := float64(r * r)
	q := r2 * ((0.5 + r*(1.0/6)) + r2*((1.0/24+r*(1.0/120))+r2*(1.0/720)))
	// 2^(j/128)·e^r = th + th·r + [th·(rl + q) + tl·(1 + r)] = hi + lo, in
	// [0.997, 2), with an error below 2^-66.5.
	ph, pl := twoProd(th, r)
	hi, lo := fastTwoSum(th, ph)
	lo += pl + (tl + float64(tl*r)) + float64(th*(rl+q))
	const b = 0x1p-65 // a bound on that error, with a margin
	if res := hi + lo; res == hi+(lo+b) && res == hi+(lo-b) {
		return res * math.Float64frombits(uint64(int64(ki)>>7+1023)<<52) // ·2^k, exact
	}
	return expSlow(x)
}

const (
	expShift   = 0x1.8p52               // adding it rounds to an integer
	expInvLn2N = 0x1.71547652b82fep7    // 128/ln2
	expLn2HiN  = 0x1.62e42ffp-8         // ln2/128 to 32 bits: k·expLn2HiN is exact
	expLn2LoN  = -0x1.718432a1b0e26p-42 // the next 53 bits of ln2/128
	expLn2LoN2 = -0x1.9ff0342542fc3p-97 // and the next
)

// expSlow is Exp for the arguments the fast path leaves: special values,
// |x| > 708, and the rare x whose e^x lies too near a rounding boundary.
func expSlow(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x > 0x1.62e42fefa39efp+9: // ln(MaxFloat64 + ulp/2), rounded to nearest
		return math.Inf(1)
	case x < -0x1.74910d52d3052p+9: // ln(2^-1075), rounded to nearest: below it e^x rounds to 0
		return 0
	}
	if math.Abs(x) < 0x1p-30 {
		return expTiny(x)
	}
	hi, lo, e := expDD(x, 0)
	return scaleRN(hi, lo, e)
}

// expTiny is e^x for |x| < 2^-30, where 1 + x can be a midpoint between
// two float64s (x = 2^-53, say) that only x²/2 decides, below the reach of
// a double-double: e^x = 1 + x + x²/2 + (x³/6 + x⁴/24), the first three
// terms exact, summed with a last rounding to odd that keeps the
// information a rounding to nearest needs.
func expTiny(x float64) float64 {
	s, e := twoSum(1, x)
	x2, x2l := twoProd(x, x)
	t, te := twoSum(e, 0.5*x2)
	rest := te + 0.5*x2l + x2*x*(1.0/6+x*(1.0/24))
	return s + addRoundOdd(t, rest)
}

// addRoundOdd returns a + b rounded to odd: exact if representable, else
// the neighbour of a + b whose significand is odd.
func addRoundOdd(a, b float64) float64 {
	s, e := twoSum(a, b)
	if e != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return s
}

// expDD returns hi + lo ≈ e^(xh+xl) / 2^e to about 2^-100 relative, as a
// normalized double-double in [0.99, 2), for |xh| < 746 and |xl| < 2^-40.
func expDD(xh, xl float64) (hi, lo float64, e int) {
	kd := math.Round(xh * expInvLn2N)
	k := int(kd)
	// r = x - kd·ln2/128 in double-double.
	rh, rl := twoSum(xh, -float64(kd*expLn2HiN)) // kd·expLn2HiN is exact for |kd| < 2^21
	rh, rl = addDD(rh, rl+xl, -float64(kd*expLn2LoN), -math.FMA(kd, expLn2LoN, -float64(kd*expLn2LoN)))
	rh, rl = addDD(rh, rl, -float64(kd*expLn2LoN2), 0)
	// e^r = 1 + r(1 + r/2(1 + r/3(...(1 + r/13)))); |r| < 2^-8.4, so the
	// terms past r^13/13! are below 2^-140.
	sh, sl := 1.0, 0.0
	for n := 13; n >= 1; n-- {
		sh, sl = mulDD(sh, sl, rh, rl)
		sh, sl = divDDn(sh, sl, float64(n))
		sh, sl = addDD(1, 0, sh, sl)
	}
	j := k & 127
	hi, lo = mulDD(sh, sl, expTab[2*j], expTab[2*j+1])
	return hi, lo, (k - j) / 128
}

// divDDn returns (hi + lo) / n to about 2^-104 relative, for a small
// integer n.
func divDDn(hi, lo, n float64) (float64, float64) {
	q := hi / n
	rem := math.FMA(-q, n, hi) // exact
	return fastTwoSum(q, (rem+lo)/n)
}

// scaleRN returns (hi + lo)·2^e rounded to nearest, subnormal results
// included, for hi + lo a normalized double-double.
func scaleRN(hi, lo float64, e int) float64 {
	r := hi + lo
	if m := math.Ilogb(r) + e; m >= -1022 && m <= 1023 {
		return math.Ldexp(r, e) // exact: a power-of-two scaling inside the normal range
	}
	// Near or past the ends of the range: round the exact sum once.
	f := new(big.Float).SetPrec(2200).SetFloat64(hi)
	f.Add(f, new(big.Float).SetFloat64(lo))
	f.SetMantExp(f, e)
	v, _ := f.Float64()
	return v
}
