package tensor

import (
	"fmt"
	"math"
	"unsafe"
)

// Sigmoid sets dst[i] = σ(x[i]) = 1/(1 + e^-x[i]) for every i, and Tanh
// dst[i] = tanh(x[i]): the gates of the recurrent cells (nn's LSTM and
// GRU compute the same values one at a time). dst and x must have the
// same length (dst may be x); they panic otherwise.
//
// float64 takes e^x from math.Exp (σ as e^x/(1 + e^x) below zero, so
// that neither tail overflows or loses its small values) and tanh from
// math.Tanh. float32 stays in float32 arithmetic without a branch on the
// sign: e^x is Cephes's expf (S. L. Moshier) on x clamped to [-87, 88]
// (n = round(x·log₂e) by adding and subtracting 1.5·2²³, r = x − n·ln2 in
// two parts, e^r by a degree-6 polynomial, times 2ⁿ; within 2 ulp), σ(x)
// = 1/(1 + e^-x) (within 3 ulp relative) and tanh(x) = 2/(1 + e^-2x) − 1
// (within 2.4e-7 absolute). With AVX2 eight elements go at a time, with
// the same operations in the same order (no fused multiply-add), so the
// bits are those of the pure-Go loop.
func Sigmoid[T Float](dst, x []T) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("tensor: Sigmoid: lengths %d and %d differ", len(dst), len(x)))
	}
	if unsafe.Sizeof(T(0)) == 4 {
		d, s := as[float32](dst), as[float32](x)
		n := len(s) &^ 7
		if useSIMD && n > 0 {
			sigmoid32(&d[0], &s[0], n/8)
		} else {
			n = 0
		}
		for i := n; i < len(s); i++ {
			d[i] = 1 / (1 + Exp32(-s[i]))
		}
		return
	}
	d, s := as[float64](dst), as[float64](x)
	for i, v := range s {
		if v >= 0 {
			d[i] = 1 / (1 + math.Exp(-v))
		} else {
			e := math.Exp(v)
			d[i] = e / (1 + e)
		}
	}
}

// Tanh sets dst[i] = tanh(x[i]) for every i (see Sigmoid for how). dst
// and x must have the same length (dst may be x); it panics otherwise.
func Tanh[T Float](dst, x []T) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("tensor: Tanh: lengths %d and %d differ", len(dst), len(x)))
	}
	if unsafe.Sizeof(T(0)) == 4 {
		d, s := as[float32](dst), as[float32](x)
		n := len(s) &^ 7
		if useSIMD && n > 0 {
			tanh32(&d[0], &s[0], n/8)
		} else {
			n = 0
		}
		for i := n; i < len(s); i++ {
			d[i] = 2/(1+Exp32(-2*s[i])) - 1
		}
		return
	}
	d, s := as[float64](dst), as[float64](x)
	for i, v := range s {
		d[i] = math.Tanh(v)
	}
}

// Exp32 is e^x in float32 arithmetic, the one of Sigmoid and Tanh: Cephes's
// expf (S. L. Moshier) with x clamped to [-87, 88], within 2 ulp of e^x
// (package nn's scalar gates use it, so theirs are these bits).
func Exp32(x float32) float32 {
	if x < -87 {
		x = -87
	}
	if x > 88 {
		x = 88
	}
	const round = 1.5 * (1 << 23)
	n := (x*1.44269504088896341 + round) - round
	x -= n * 0.693359375
	x -= n * -2.12194440e-4
	z := x * x
	y := (((((1.9875691500e-4*x+1.3981999507e-3)*x+8.3334519073e-3)*x+4.1665795894e-2)*x+1.6666665459e-1)*x+5.0000001201e-1)*z + x + 1
	return y * math.Float32frombits(uint32(int32(n)+127)<<23)
}
