package crmath

import "math"

// Log returns the natural logarithm of x correctly rounded (to nearest,
// ties to even), with math.Log's special cases: Log(+Inf) = +Inf, Log(0) =
// -Inf, Log(x < 0) = NaN, Log(NaN) = NaN.
//
// kiso's losses use it instead of math.Log, which is within 1 ulp and
// about 1 time in 200 not the nearest float64 (see Exp).
//
// Method: x = 2^k·z with z in [√2/2, √2); z·invc = 1 + r with invc a
// 20-bit approximation of 1/z tabulated for 128 intervals of z, r computed
// exactly, |r| < 2^-8; ln x = k·ln2 + ln(1/invc) + ln(1 + r), the table in
// double-double and ln(1 + r) by its series to r^10 with r²/2 exact. The
// error before the last rounding is below 2^-67 relative; when a bound of
// 2^-65 does not decide the rounding (about once in 2000 calls) logSlow
// refines the result by a Newton step on Exp's double-double e^y.
func Log(x float64) float64 {
	ix := math.Float64bits(x)
	if ix-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
		return logSpecial(x) // 0, subnormal, negative, Inf or NaN
	}
	hi, lo := logCore(ix, 0)
	b := 0x1p-65 * math.Abs(hi)
	if r := hi + lo; r == hi+(lo+b) && r == hi+(lo-b) {
		return r
	}
	return logSlow(x, hi, lo)
}

const (
	logOff   = 0x3fe6a09e667f3bcd     // the bits of √2/2
	logLn2Hi = 0x1.62e42fefa4p-1      // ln 2 to 40 bits: k·logLn2Hi is exact
	logLn2Lo = -0x1.8432a1b0e2634p-43 // the next 53 bits
)

// logCore returns hi + lo ≈ ln x for the bits ix of a positive normal x
// (times 2^-scale: ln x - scale·ln2), with an error below 2^-67·|hi|.
// hi + lo is not normalized: |lo| may reach 2^-25.
func logCore(ix uint64, scale int) (hi, lo float64) {
	t := ix - logOff
	i := t >> 45 & 127
	kd := float64(int64(t)>>52 - int64(scale))
	z := math.Float64frombits(ix - t&(0xfff<<52))
	invc, lch, lcl := logTab[3*i], logTab[3*i+1], logTab[3*i+2]
	// r = z·invc - 1 exactly as rh + rl: with zh the top 26 bits of z,
	// zh·invc and zl·invc are exact, and zh·invc - 1 is (Sterbenz).
	zh := math.Float64frombits(math.Float64bits(z) &^ (1<<27 - 1))
	zl := z - zh
	rh, rl := twoSum(float64(zh*invc)-1, float64(zl*invc))
	// ln(1 + r) = r - r²/2 + r³(1/3 - r/4 + ... - r^7/10), with r² = sh + sl.
	sh, sl := twoProd(rh, rh)
	// Estrin's scheme: short dependency chains.
	r := rh
	r2 := float64(r * r)
	r4 := float64(r2 * r2)
	p := r2 * r * (((1.0/3 - r*(1.0/4)) + r2*(1.0/5-r*(1.0/6))) + r4*((1.0/7-r*(1.0/8))+r2*(1.0/9-r*(1.0/10))))
	ah, al := twoSum(float64(kd*logLn2Hi), lch)
	bh, bl := twoSum(rh, -0.5*sh)
	hi, m := twoSum(ah, bh)
	small := m + al + bl + float64(kd*logLn2Lo) + lcl + rl - 0.5*sl - float64(rh*rl)
	return hi, small + p
}

// logSpecial is Log for x that is not a positive normal float64.
func logSpecial(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	// Subnormal: scale into the normal range.
	hi, lo := logCore(math.Float64bits(x*0x1p54), 54)
	b := 0x1p-65 * math.Abs(hi)
	if r := hi + lo; r == hi+(lo+b) && r == hi+(lo-b) {
		return r
	}
	return logSlow(x, hi, lo)
}

// logSlow refines y = hi + lo ≈ ln x (error below 2^-67 relative) by one
// Newton step, y + (x·e^-y - 1), with e^-y in double-double, and rounds.
func logSlow(x, hi, lo float64) float64 {
	hi, lo = fastTwoSum(hi, lo)
	eh, el, e := expDD(-hi, -lo)
	xs := math.Ldexp(x, e) // e^-y = (eh + el)·2^e; xs is about 1, so this is exact
	ph, pl := twoProd(xs, eh)
	d := (ph - 1) + (pl + float64(xs*el))
	return hi + (lo + d)
}
