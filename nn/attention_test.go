package nn_test

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestAttentionGradient checks CausalSelfAttention's backward against
// central differences, without dropout and with frozen dropout masks.
// Weights of std 0.5 keep the attention away from uniform, so that the
// softmax's derivative is tested where it matters; the layer is a product
// of three products and a softmax, whose third derivatives put the
// truncation error of central differences near 2e-7 relative: it is held
// to deepTolerance (1e-6) as deeper compositions are (see
// gradcheck_test.go). A wrong term of the backward gives errors of order 1.
func TestAttentionGradient(t *testing.T) {
	for _, p := range []float64{0, 0.3} {
		r := rng.NewNumpy(7)
		a := nn.NewCausalSelfAttention[float64](8, 2, 5, p, r)
		a.Reset(r, 0.5, 0.5)
		a.FreezeDropout()
		x := tensor.RandN[float64](r, 1, 2, 4, 8)
		target := tensor.RandN[float64](r, 1, 2, 4, 8)
		mse := &loss.MSE[float64]{}
		for _, res := range numgrad.Check[float64](a, mse, x, target, true, numgrad.H) {
			if !(res.MaxRelErr < deepTolerance) {
				t.Errorf("dropout %v: %s: max relative error %.3g (abs %.3g), want < %g", p, res.Name, res.MaxRelErr, res.MaxAbsErr, deepTolerance)
			}
		}
		if e := numgrad.CheckInput[float64](a, mse, x, target, true, numgrad.H); !(e < deepTolerance) {
			t.Errorf("dropout %v: input gradient: max relative error %.3g, want < %g", p, e, deepTolerance)
		}
	}
}

// TestAttentionIsCausal: changing a later position leaves the outputs of
// the earlier ones unchanged, bit for bit, and each row of weights sums to
// one over the positions it may see.
func TestAttentionIsCausal(t *testing.T) {
	r := rng.NewNumpy(1)
	a := nn.NewCausalSelfAttention[float64](8, 4, 6, 0, nil)
	a.Reset(r, 0.5, 0.5)
	x := tensor.RandN[float64](r, 1, 1, 6, 8)
	y := a.Forward(x, false).Clone()
	w := a.Weights()
	for hd := 0; hd < 4; hd++ {
		for i := 0; i < 6; i++ {
			var s float64
			for j := 0; j < 6; j++ {
				v := w.At(hd, i, j)
				if j > i && v != 0 {
					t.Fatalf("head %d: weight (%d, %d) = %v above the diagonal", hd, i, j, v)
				}
				s += v
			}
			if math.Abs(s-1) > 1e-12 {
				t.Errorf("head %d row %d sums to %v", hd, i, s)
			}
		}
	}
	x.Set(x.At(0, 4, 3)+1, 0, 4, 3)
	y2 := a.Forward(x, false)
	for i := 0; i < 4*8; i++ {
		if y.Data[i] != y2.Data[i] {
			t.Fatalf("output %d of positions before 4 changed: %v -> %v", i, y.Data[i], y2.Data[i])
		}
	}
	if y.Data[5*8] == y2.Data[5*8] {
		t.Error("position 5 did not see position 4")
	}
}

// TestAttentionStepAllocs: once its buffers exist, a training step of the
// attention (Forward and Backward, with dropout) allocates nothing.
func TestAttentionStepAllocs(t *testing.T) {
	r := rng.NewNumpy(1)
	a := nn.NewCausalSelfAttention[float32](32, 4, 16, 0.1, r)
	a.Reset(r, 0.02, 0.02)
	x := tensor.RandN[float32](r, 1, 3, 16, 32)
	dy := tensor.RandN[float32](r, 1, 3, 16, 32)
	step := func() {
		a.Forward(x, true)
		a.Backward(dy)
	}
	step()
	if n := testing.AllocsPerRun(20, step); n != 0 && !nn.RaceEnabled {
		t.Errorf("a training step allocates %v times", n)
	}
}
