package optim

import (
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// TestAddL1 checks that AddL1 adds λ·sign(w) to the gradients of the
// weights only, with sign(0) = 0, and that λ = 0 changes nothing.
func TestAddL1(t *testing.T) {
	w := nn.NewParam("weight", tensor.FromSlice([]float64{2, -3, 0, 0.5}, 4), true)
	b := nn.NewParam("bias", tensor.FromSlice([]float64{1, -1}, 2), false)
	copy(w.Grad.Data, []float64{0.25, 0.25, 0.25, -1})
	b.Grad.Data[0], b.Grad.Data[1] = 0.5, 0.5
	params := []*nn.Param[float64]{w, b}
	AddL1(params, 0)
	AddL1(params, 0.125)
	for i, want := range []float64{0.375, 0.125, 0.25, -0.875} {
		if w.Grad.Data[i] != want {
			t.Errorf("weight gradient %d = %v, want %v", i, w.Grad.Data[i], want)
		}
	}
	if b.Grad.Data[0] != 0.5 || b.Grad.Data[1] != 0.5 {
		t.Errorf("bias gradient %v changed, want [0.5 0.5]", b.Grad.Data)
	}
	defer func() {
		if recover() == nil {
			t.Error("AddL1 with λ = -1 did not panic")
		}
	}()
	AddL1(params, -1)
}
