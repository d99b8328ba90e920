package nn

import (
	"unsafe"

	"github.com/kiso-go/kiso/tensor"
)

// The recurrent cells' σ and tanh in float32 arithmetic, without a branch
// on the sign of x (gate values have random signs, and a mispredicted
// branch costs more than the arithmetic): the float64 path with math.Exp
// takes a third of an LSTM step's time.
//
// expf is Cephes's expf (S. L. Moshier) with x clamped to [-87, 88] (e^x
// stays a normal float32): n = round(x·log₂e) by adding and subtracting
// 1.5·2²³, r = x - n·ln2 in two parts, e^r by a degree-6 polynomial,
// times 2ⁿ; within 2 ulp of e^x. σ(x) = 1/(1 + e^-x) is then within 3 ulp
// relative, and tanh(x) = 2σ(2x) - 1 within 2.4e-7 absolute (not relative:
// near 0 it loses the low bits, which an LSTM's sums of products do not
// see). tensor.Sigmoid and tensor.Tanh compute the same values over whole
// slices, eight at a time with AVX2 (the LSTM's gates go through them);
// TestGatesMatchTensor holds the two to the same bits.

// is32 reports whether T is float32.
func is32[T tensor.Float]() bool {
	var x T
	return unsafe.Sizeof(x) == 4
}

func expf(x float32) float32 { return tensor.Exp32(x) }

func sigmf(x float32) float32 { return 1 / (1 + expf(-x)) }

func tanhf(x float32) float32 { return 2/(1+expf(-2*x)) - 1 }

// Exp32 returns e^x computed in float32 arithmetic as the recurrent cells
// compute it (x clamped to [-87, 88]; within 2 ulp), for the other hot
// loops of recurrent models (a language model's softmax over its
// vocabulary).
func Exp32(x float32) float32 { return expf(x) }
