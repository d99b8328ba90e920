package crmath

import (
	"math"
	"math/big"
	"os"
	"strconv"
	"testing"

	"math/rand/v2"
)

// The references: e^x and ln x with math/big at 240 bits, rounded once to
// float64 (big.Float rounds to nearest even, subnormals included).

const refPrec = 240

func refF(x float64) *big.Float { return new(big.Float).SetPrec(refPrec).SetFloat64(x) }

var refLn2 = func() *big.Float {
	s := refF(0)
	for k := 1; k < refPrec+20; k++ {
		t := refF(1)
		t.SetMantExp(t, -k)
		s.Add(s, t.Quo(t, refF(float64(k))))
	}
	return s
}()

// refExp returns e^x: x = k·ln2 + r, e^r by Taylor's series.
func refExp(x float64) float64 {
	k := math.Round(x / math.Ln2)
	r := refF(x)
	r.Sub(r, new(big.Float).SetPrec(refPrec).Mul(refLn2, refF(k)))
	s, t := refF(1), refF(1)
	for n := 1; n < 60; n++ {
		t.Mul(t, r)
		t.Quo(t, refF(float64(n)))
		s.Add(s, t)
	}
	s.SetMantExp(s, int(k))
	v, _ := s.Float64()
	return v
}

// refLog returns ln x: x = m·2^e with m in [√2/2, √2), ln m =
// 2·atanh((m-1)/(m+1)).
func refLog(x float64) float64 {
	m, e := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m, e = 2*m, e-1
	}
	u := refF(m - 1) // exact
	u.Quo(u, new(big.Float).SetPrec(refPrec).Add(refF(m), refF(1)))
	u2 := new(big.Float).SetPrec(refPrec).Mul(u, u)
	s, t := refF(0), new(big.Float).SetPrec(refPrec).Set(u)
	for n := 1; n < 320; n += 2 {
		s.Add(s, new(big.Float).SetPrec(refPrec).Quo(t, refF(float64(n))))
		t.Mul(t, u2)
	}
	s.Mul(s, refF(2))
	s.Add(s, new(big.Float).SetPrec(refPrec).Mul(refLn2, refF(float64(e))))
	v, _ := s.Float64()
	return v
}

// crSamples is the number of random arguments per test; set KISO_CR_SAMPLES
// to check more (a million takes a few minutes).
func crSamples() int {
	if n, err := strconv.Atoi(os.Getenv("KISO_CR_SAMPLES")); err == nil && n > 0 {
		return n
	}
	return 4000
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestExpCorrectlyRounded(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 0)) // seeded: the same inputs every run
	cases := []float64{0, math.Copysign(0, -1), 1, -1, 1e-300, -1e-300, 0x1p-54, -0x1p-54, 0x1p-53, 1e-10, 0.5, 700, -700, 708, -708,
		709.78, 709.782712893384, 709.7827128933841, -708.4, -720, -745.13, -745.1332191019411, -745.1332191019412, -745.2,
		// 1 + x is a midpoint between two float64s: x²/2 decides.
		0x1p-53, -0x1p-53, 0x1p-54, -0x1p-54, 3 * 0x1p-53, -3 * 0x1p-54, 0x1.8p-52, 0x1p-31, -0x1p-31}
	for range crSamples() {
		cases = append(cases,
			40*(2*r.Float64()-1),                 // the range of activations and logits
			1490*(r.Float64()-0.5),               // the whole range
			math.Ldexp(r.Float64(), -r.IntN(60))) // near 0
	}
	for _, x := range cases {
		if got, want := Exp(x), refExp(x); !sameFloat(got, want) {
			t.Fatalf("Exp(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestExpSlowPathCorrectlyRounded(t *testing.T) {
	// The path that the fast one falls back to, on its own.
	r := rand.New(rand.NewPCG(12, 0)) // seeded: the same inputs every run
	for range crSamples() / 4 {
		x := 1490 * (r.Float64() - 0.5)
		if got, want := expSlow(x), refExp(x); !sameFloat(got, want) {
			t.Fatalf("expSlow(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestLogCorrectlyRounded(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 0)) // seeded: the same inputs every run
	cases := []float64{1, 2, 0.5, math.E, 1 + 0x1p-52, 1 - 0x1p-53, 0.9999, 1.0001, 1e-7, 1e-300, math.MaxFloat64,
		math.SmallestNonzeroFloat64, 3e-320, 0x1p-1022, math.Sqrt2, math.Sqrt2 / 2}
	for range crSamples() {
		cases = append(cases,
			r.Float64()+1e-7,                             // probabilities, as the losses take them
			math.Exp(80*(r.Float64()-0.5)),               // a wide range
			1+(r.Float64()-0.5)*0x1p-6,                   // near 1
			math.Ldexp(1+r.Float64(), r.IntN(2098)-1074)) // every exponent, subnormals too
	}
	for _, x := range cases {
		if got, want := Log(x), refLog(x); !sameFloat(got, want) {
			t.Fatalf("Log(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestLogSlowPathCorrectlyRounded(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 0)) // seeded: the same inputs every run
	for range crSamples() / 4 {
		x := math.Exp(80 * (r.Float64() - 0.5))
		hi, lo := logCore(math.Float64bits(x), 0)
		if got, want := logSlow(x, hi, lo), refLog(x); !sameFloat(got, want) {
			t.Fatalf("logSlow(%v) = %v, want %v", x, got, want)
		}
	}
}

func TestExpLogSpecialValues(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct{ x, exp, log float64 }{
		{inf, inf, inf},
		{-inf, 0, nan},
		{nan, nan, nan},
		{0, 1, -inf},
		{-1, 1 / math.E, nan},
		{1000, inf, math.Log(1000)},
		{-1000, 0, nan},
	} {
		if got := Exp(c.x); !sameFloat(got, c.exp) && math.Abs(got-c.exp) > 1e-15 {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.exp)
		}
		if got := Log(c.x); !sameFloat(got, c.log) && math.Abs(got-c.log) > 1e-12 {
			t.Errorf("Log(%v) = %v, want %v", c.x, got, c.log)
		}
	}
	if got := Log(math.Copysign(0, -1)); !math.IsInf(got, -1) {
		t.Errorf("Log(-0) = %v, want -Inf", got)
	}
}

func TestExpLogAtLeastAsAccurateAsMath(t *testing.T) {
	// On the arguments where math's result is not the nearest float64,
	// ours is; and nowhere is ours farther from the reference.
	r := rand.New(rand.NewPCG(15, 0)) // seeded: the same inputs every run
	var mathOff int
	for range crSamples() {
		x := 40 * (2*r.Float64() - 1)
		want := refExp(x)
		if math.Exp(x) != want {
			mathOff++
		}
		if Exp(x) != want {
			t.Fatalf("Exp(%v) = %v, want %v", x, Exp(x), want)
		}
	}
	t.Logf("math.Exp was not correctly rounded on %d of %d arguments in [-40, 40]", mathOff, crSamples())
}

func BenchmarkExp(b *testing.B) {
	x, s := 0.3, 0.0
	for b.Loop() {
		s += Exp(x)
		x += 1e-6
	}
	sinkF = s
}

func BenchmarkMathExp(b *testing.B) {
	x, s := 0.3, 0.0
	for b.Loop() {
		s += math.Exp(x)
		x += 1e-6
	}
	sinkF = s
}

func BenchmarkLog(b *testing.B) {
	x, s := 0.3, 0.0
	for b.Loop() {
		s += Log(x)
		x += 1e-6
	}
	sinkF = s
}

func BenchmarkMathLog(b *testing.B) {
	x, s := 0.3, 0.0
	for b.Loop() {
		s += math.Log(x)
		x += 1e-6
	}
	sinkF = s
}

var sinkF float64
