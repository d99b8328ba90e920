package nn_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestGELUValues compares both forms with PyTorch's
// torch.nn.functional.gelu in float64 (printed by repr), to 1e-15: both
// sides evaluate the same formula with the same libm-quality erf and tanh.
func TestGELUValues(t *testing.T) {
	x := []float64{-3, -1, -0.1, 0.5, 1, 2.5}
	want := map[bool][]float64{
		false: {-0.00404969409489031, -0.15865525393145702, -0.0460172162722971, 0.34573123063700656, 0.841344746068543, 2.4844758366855597},
		true:  {-0.0036373920817729943, -0.15880800939172324, -0.04601724895456484, 0.34571400982514394, 0.8411919906082768, 2.484915733910001},
	}
	for _, tanh := range []bool{false, true} {
		y := nn.NewGELU[float64](tanh).Forward(tensor.FromSlice(x, 2, 3), false)
		for i, w := range want[tanh] {
			if d := math.Abs(y.Data[i] - w); d > 1e-15 {
				t.Errorf("tanh %v: GELU(%v) = %v, PyTorch %v", tanh, x[i], y.Data[i], w)
			}
		}
	}
}

// TestGELUGradients checks both forms against central differences in
// float64, alone (the input gradient) and between two Linear layers (every
// parameter and the input), on inputs of rank 2 and 3. GELU's third
// derivative is O(1), so h = 1e-4 leaves about 1e-8 relative where the
// derivative is O(1); near x ≈ -0.75, where it crosses zero, the relative
// error grows (1.3e-7 seen for the tanh form), so both are held to
// deepTolerance.
func TestGELUGradients(t *testing.T) {
	r := rng.NewNumpy(3)
	for _, tanh := range []bool{false, true} {
		for _, shape := range [][]int{{4, 5}, {2, 3, 4}} {
			x := tensor.RandN[float64](r, 1.5, shape...)
			l, target := mse(r, shape...)
			if e := numgrad.CheckInput(nn.NewGELU[float64](tanh), l, x, target, true, numgrad.H); !(e < deepTolerance) {
				t.Errorf("tanh %v %v: input gradient: max relative error %.3g, want < %g", tanh, shape, e, deepTolerance)
			}
		}
		net := nn.NewSequential[float64](linear(r, 4, 6), nn.NewGELU[float64](tanh), linear(r, 6, 3))
		x := tensor.RandN[float64](r, 1, 5, 4)
		l, target := mse(r, 5, 3)
		for _, res := range numgrad.Check(net, l, x, target, true, numgrad.H) {
			if !(res.MaxRelErr < deepTolerance) {
				t.Errorf("tanh %v: %s: max relative error %.3g, want < %g", tanh, res.Name, res.MaxRelErr, deepTolerance)
			}
		}
		if e := numgrad.CheckInput(net, l, x, target, true, numgrad.H); !(e < deepTolerance) {
			t.Errorf("tanh %v: network input gradient: max relative error %.3g, want < %g", tanh, e, deepTolerance)
		}
	}
}

// TestGELUSpec checks the config: its JSON, that the built layer gives it
// back, and that an unknown approximation is refused.
func TestGELUSpec(t *testing.T) {
	for _, tt := range []struct {
		json string
		tanh bool
	}{{`{"type":"gelu"}`, false}, {`{"type":"gelu","approximate":"tanh"}`, true}} {
		var ls nn.LayerSpecs
		if err := json.Unmarshal([]byte("["+tt.json+"]"), &ls); err != nil {
			t.Fatal(err)
		}
		l, err := nn.BuildLayer[float32](ls[0], &nn.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		g, ok := l.(*nn.GELU[float32])
		if !ok || g.Tanh != tt.tanh {
			t.Errorf("%s built %#v", tt.json, l)
		}
		back, _ := json.Marshal(nn.LayerSpecs{g.Spec()})
		if string(back) != "["+tt.json+"]" {
			t.Errorf("%s: written back as %s", tt.json, back)
		}
	}
	var ls nn.LayerSpecs
	if err := json.Unmarshal([]byte(`[{"type":"gelu","approximate":"sigmoid"}]`), &ls); err != nil {
		t.Fatal(err)
	}
	if _, err := (nn.Spec{Input: []int{3}, Layers: ls}).Validate(nil); err == nil {
		t.Error("approximate sigmoid accepted")
	}
}

// TestGELUHalves checks that a tensor large enough for the passes to run
// on two goroutines gets the same bits as its elements computed alone.
func TestGELUHalves(t *testing.T) {
	r := rng.NewNumpy(4)
	for _, tanh := range []bool{false, true} {
		x := tensor.RandN[float64](r, 2, 3, 1<<13)
		dy := tensor.RandN[float64](r, 1, 3, 1<<13)
		big := nn.NewGELU[float64](tanh)
		y := big.Forward(x, true)
		dx := big.Backward(dy)
		one := nn.NewGELU[float64](tanh)
		for _, i := range []int{0, 1, 4095, 4096, 12287, 12288, 3<<13 - 1} {
			yi := one.Forward(tensor.FromSlice(x.Data[i:i+1], 1, 1), true).Data[0]
			dxi := one.Backward(tensor.FromSlice(dy.Data[i:i+1], 1, 1)).Data[0]
			if yi != y.Data[i] || dxi != dx.Data[i] {
				t.Errorf("tanh %v: element %d: %v, %v in the large tensor, %v, %v alone", tanh, i, y.Data[i], dx.Data[i], yi, dxi)
			}
		}
	}
}
