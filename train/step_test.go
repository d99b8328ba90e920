package train

import (
	"errors"
	"math"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// stepBatch returns a batch of 8 cases of 4 features with class indices
// of 3 classes.
func stepBatch() (x, y *tensor.Tensor[float64]) {
	r := rng.NewNumpy(4)
	x = tensor.RandN[float64](r, 1, 8, 4)
	y = tensor.New[float64](8)
	for i := range y.Data {
		y.Data[i] = float64(r.Below(3))
	}
	return x, y
}

// TestStepIsTheBookLoop checks that Run updates the parameters with the
// same bits as the loop written out (forward, loss, backward with the
// input's gradient, the L1 gradient, the optimizer), that it leaves
// NoInputGrad as it found it, and that it allocates nothing in steady
// state.
func TestStepIsTheBookLoop(t *testing.T) {
	x, y := stepBatch()
	net, ref := mlp[float64](1, 4, 5, 3), mlp[float64](1, 4, 5, 3)
	st := NewStep(net, &loss.SoftmaxCrossEntropy[float64]{}, optim.NewAdam[float64](0.01, 0.9, 0.999))
	st.L1 = 0.01
	var refLoss loss.SoftmaxCrossEntropy[float64]
	refOpt := optim.NewAdam[float64](0.01, 0.9, 0.999)
	for i := range 5 {
		got, err := st.Run(x, y)
		if err != nil {
			t.Fatal(err)
		}
		want := refLoss.Forward(ref.Forward(x, true), y)
		ref.Backward(refLoss.Backward())
		optim.AddL1(ref.Params(), 0.01)
		refOpt.Step(ref.Params())
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("step %d: loss %v, want %v", i+1, got, want)
		}
	}
	if a, b := paramBits[float64](net), paramBits[float64](ref); len(a) != len(b) {
		t.Fatal("parameter counts differ")
	} else {
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("parameter value %d differs from the written-out loop's", i)
			}
		}
	}
	if net.NoInputGrad {
		t.Error("Run left NoInputGrad set")
	}
	allocs := testing.AllocsPerRun(10, func() { st.Run(x, y) })
	if allocs != 0 && !raceEnabled {
		t.Errorf("%v allocations per step, want 0", allocs)
	}
}

// TestStepDiverged checks that a step whose loss is not finite returns
// ErrDiverged and leaves the parameters alone.
func TestStepDiverged(t *testing.T) {
	x, _ := stepBatch()
	x.Data[0] = math.Inf(1)
	net := mlp[float64](1, 4, 5, 3)
	before := paramBits[float64](net)
	st := NewStep[float64](net, &loss.MSE[float64]{}, optim.NewSGD[float64](0.1))
	l, err := st.Run(x, tensor.New[float64](8, 3))
	if !errors.Is(err, ErrDiverged) || !math.IsNaN(l) && !math.IsInf(l, 0) {
		t.Fatalf("Run = %v, %v; want a non-finite loss and ErrDiverged", l, err)
	}
	for i, b := range paramBits[float64](net) {
		if b != before[i] {
			t.Fatalf("parameter value %d changed by a diverged step", i)
		}
	}
}

// TestNewStepPanics checks that NewStep refuses a missing piece.
func TestNewStepPanics(t *testing.T) {
	defer func() {
		if msg, _ := recover().(string); msg == "" || msg[:7] != "train: " {
			t.Errorf("panic %q, want one starting with \"train: \"", msg)
		}
	}()
	NewStep[float64](nn.NewSequential[float64](), nil, optim.NewSGD[float64](0.1))
}
