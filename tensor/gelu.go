package tensor

import (
	"fmt"
	"math"
	"sync"
	"unsafe"
)

// GELU sets dst[i] = GELU(x[i]) for every i: the exact form
// ½x(1 + erf(x/√2)) (Hendrycks and Gimpel, 2016), or with tanh set the
// tanh form ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), GPT-2's. dst and
// x must have the same length (dst may be x); it panics otherwise.
//
// float64 evaluates the formula with math.Erf and math.Tanh. float32 runs a
// branch-free kernel in float32 arithmetic, eight elements at a time on
// CPUs with AVX2 and FMA (a pure-Go loop with the same operations
// elsewhere): erf is the rational approximation erf(z) ≈ z·P(z²)/Q(z²) on z
// clamped to [-4, 4] of Eigen's generic_fast_erf_float (the one XLA and
// TVM use), and the tanh form is computed as x·σ(2u) = x/(1 + exp(-2u)),
// with exp by Cody and Waite's reduction and Cephes' expf polynomial.
// Against the float64 formula rounded to float32 the float32 results
// differ by at most the bounds TestGELU32Accuracy states (a few units of
// float32's 2⁻²⁴ relative, or 2e-7 absolute where 1 + erf cancels).
func GELU[T Float](dst, x []T, tanh bool) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("tensor: GELU: lengths %d and %d differ", len(dst), len(x)))
	}
	if unsafe.Sizeof(T(0)) == 4 {
		runGELU32(as[float32](dst), as[float32](x), nil, tanh)
		return
	}
	d, s := as[float64](dst), as[float64](x)
	if tanh {
		for i, f := range s {
			d[i] = 0.5 * f * (1 + math.Tanh(geluSqrt2OverPi*(f+geluCoef*f*f*f)))
		}
		return
	}
	for i, f := range s {
		d[i] = 0.5 * f * (1 + math.Erf(f*(math.Sqrt2/2)))
	}
}

// GELUGrad sets dst[i] = dy[i]·GELU'(x[i]), the gradient of GELU (exact,
// or the tanh form with tanh set) at x times dy:
// Φ(x) + x·φ(x) for the exact form (Φ, φ the standard normal distribution
// and density), ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²)
// for the tanh form. The three slices must have the same length (dst may be
// dy or x); it panics otherwise. float32 runs the kernel GELU describes.
func GELUGrad[T Float](dst, x, dy []T, tanh bool) {
	if len(dst) != len(x) || len(dy) != len(x) {
		panic(fmt.Sprintf("tensor: GELUGrad: lengths %d, %d and %d differ", len(dst), len(x), len(dy)))
	}
	if unsafe.Sizeof(T(0)) == 4 {
		runGELU32(as[float32](dst), as[float32](x), as[float32](dy), tanh)
		return
	}
	d, s, g := as[float64](dst), as[float64](x), as[float64](dy)
	if tanh {
		for i, f := range s {
			t := math.Tanh(geluSqrt2OverPi * (f + geluCoef*f*f*f))
			dd := 0.5*(1+t) + 0.5*f*(1-t*t)*geluSqrt2OverPi*(1+3*geluCoef*f*f)
			d[i] = g[i] * dd
		}
		return
	}
	for i, f := range s {
		dd := 0.5*(1+math.Erf(f*(math.Sqrt2/2))) + f*geluInvSqrt2Pi*math.Exp(-0.5*f*f)
		d[i] = g[i] * dd
	}
}

// runGELU32 runs gelu32 (dy nil) or geluGrad32 over the whole slices,
// from parallelChannels elements on in chunks on Parallel whose bounds are
// multiples of eight: every element goes through the code it would go
// through in one piece, so the bits are the same.
func runGELU32(dst, x, dy []float32, tanh bool) {
	if len(x) < parallelChannels {
		geluChunk(dst, x, dy, tanh)
		return
	}
	c := geluPool.Get().(*geluChunks)
	*c = geluChunks{dst: dst, x: x, dy: dy, tanh: tanh, chunks: min(len(x)/(parallelChannels/2), 8)}
	Parallel(c, c.chunks)
	*c = geluChunks{} // hold no slices
	geluPool.Put(c)
}

func geluChunk(dst, x, dy []float32, tanh bool) {
	if dy == nil {
		gelu32(dst, x, tanh)
	} else {
		geluGrad32(dst, x, dy, tanh)
	}
}

var geluPool = sync.Pool{New: func() any { return new(geluChunks) }}

// geluChunks is a float32 GELU or GELUGrad cut into chunks for Parallel.
type geluChunks struct {
	dst, x, dy []float32
	tanh       bool
	chunks     int
}

func (c *geluChunks) RunChunk(i int) {
	n := len(c.x)
	i0, i1 := blocks8(i, n, c.chunks)
	var dy []float32
	if c.dy != nil {
		dy = c.dy[i0:i1]
	}
	geluChunk(c.dst[i0:i1], c.x[i0:i1], dy, c.tanh)
}

// The constants of GELU's tanh form (Hendrycks and Gimpel, 2016).
const (
	geluSqrt2OverPi = 0.7978845608028654 // √(2/π)
	geluCoef        = 0.044715
	geluInvSqrt2Pi  = 0.3989422804014327 // 1/√(2π), the normal density's factor
)

// The float32 kernel's constants; gelu_amd64.s holds the same values.
const (
	// erf(z) ≈ z·P(z²)/Q(z²) on [-4, 4], Eigen's generic_fast_erf_float.
	erfA13, erfA11, erfA9 = -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06
	erfA7, erfA5, erfA3   = -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03
	erfA1                 = -1.60960333262415e-02
	erfB8, erfB6, erfB4   = -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03
	erfB2, erfB0          = -7.37332916720468e-03, -1.42647390514189e-02

	// exp(v) = 2ⁿ·exp(r), n = round(v·log₂e), r = v − n·ln2 in two parts
	// (Cody and Waite), exp(r) ≈ 1 + r + r²·E(r) (Cephes' expf); v is
	// clamped to [-87, 88] so that 2ⁿ is a normal float32.
	expLog2E, expLn2Hi, expLn2Lo = 1.44269504088896341, 0.693359375, -2.12194440e-4
	expE5, expE4, expE3          = 1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3
	expE2, expE1, expE0          = 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1
	expMin, expMax               = -87, 88
)

// fma32 is a·b + c rounded once to float32, as VFMADD does it (the
// product of two float32 is exact in float64; the sum is rounded to
// float64 and then to float32, which differs from one rounding only when
// the first lands exactly halfway between two float32, about once in 2²⁹).
func fma32(a, b, c float32) float32 {
	return float32(math.FMA(float64(a), float64(b), float64(c)))
}

// erf32 is the kernel's erf: the rational approximation on z clamped to
// [-4, 4] (beyond, erf rounds to ±1 in float32).
func erf32(z float32) float32 {
	z = min(max(z, -4), 4)
	z2 := z * z
	p := fma32(z2, erfA13, erfA11)
	p = fma32(z2, p, erfA9)
	p = fma32(z2, p, erfA7)
	p = fma32(z2, p, erfA5)
	p = fma32(z2, p, erfA3)
	p = fma32(z2, p, erfA1)
	p = z * p
	q := fma32(z2, erfB8, erfB6)
	q = fma32(z2, q, erfB4)
	q = fma32(z2, q, erfB2)
	q = fma32(z2, q, erfB0)
	return p / q
}

// exp32 is the kernel's exp, for v clamped to [expMin, expMax].
func exp32(v float32) float32 {
	v = min(max(v, expMin), expMax)
	n := float32(math.RoundToEven(float64(v * expLog2E)))
	r := fma32(n, -expLn2Hi, v)
	r = fma32(n, -expLn2Lo, r)
	p := fma32(expE5, r, expE4)
	p = fma32(p, r, expE3)
	p = fma32(p, r, expE2)
	p = fma32(p, r, expE1)
	p = fma32(p, r, expE0)
	e := fma32(p, r*r, r) + 1
	return e * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// The float32 kernel's constants of the tanh form: −2u = x·(tanhA +
// tanhB·x²), and the derivative's factor √(2/π)(2 + 6·0.044715x²).
const (
	tanhA, tanhB   = -2 * geluSqrt2OverPi, -2 * geluSqrt2OverPi * geluCoef
	tanhGA, tanhGB = 2 * geluSqrt2OverPi, 6 * geluSqrt2OverPi * geluCoef
	sqrtHalf       = math.Sqrt2 / 2
	invSqrt2Pi32   = geluInvSqrt2Pi
)

// gelu32 runs the kernel over x: assembly on the longest prefix of eight
// elements where the CPU has AVX2 and FMA, the same operations in Go on the
// rest.
func gelu32(dst, x []float32, tanh bool) {
	done := 0
	if useSIMD && len(x) >= 8 {
		done = len(x) &^ 7
		if tanh {
			geluTanh32(&dst[0], &x[0], done/8)
		} else {
			geluErf32(&dst[0], &x[0], done/8)
		}
	}
	dst, x = dst[done:], x[done:len(dst)]
	if tanh {
		for i, f := range x {
			// x·σ(2u): x / (1 + exp(−2u)).
			v := f * fma32(f*f, tanhB, tanhA)
			dst[i] = f / (exp32(v) + 1)
		}
		return
	}
	for i, f := range x {
		h := 0.5 * f
		dst[i] = fma32(h, erf32(f*sqrtHalf), h)
	}
}

// geluGrad32 is gelu32's gradient.
func geluGrad32(dst, x, dy []float32, tanh bool) {
	done := 0
	if useSIMD && len(x) >= 8 {
		done = len(x) &^ 7
		if tanh {
			geluTanhGrad32(&dst[0], &x[0], &dy[0], done/8)
		} else {
			geluErfGrad32(&dst[0], &x[0], &dy[0], done/8)
		}
	}
	dst, x, dy = dst[done:], x[done:len(dst)], dy[done:len(dst)]
	if tanh {
		for i, f := range x {
			// s = σ(2u) = 1/(1 + e), e = exp(−2u): the derivative
			// ½(1 + tanh u) + ½x(1 − tanh² u)·2u'/2 is s + 2x·s(1−s)·u'
			// = s·(1 + w·s·e), w = x·√(2/π)(2 + 6·0.044715x²), written
			// without the cancellation of 1 − s.
			f2 := f * f
			e := exp32(f * fma32(f2, tanhB, tanhA))
			s := 1 / (e + 1)
			w := f * fma32(f2, tanhGB, tanhGA)
			dst[i] = dy[i] * (s * fma32(w*s, e, 1))
		}
		return
	}
	for i, f := range x {
		// Φ(x) + x·φ(x) = ½(1 + erf(x/√2)) + x·exp(−x²/2)/√(2π).
		phi := fma32(0.5, erf32(f*sqrtHalf), 0.5)
		g := exp32(-0.5 * f * f)
		dst[i] = dy[i] * fma32(f*invSqrt2Pi32, g, phi)
	}
}
