package nn_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestLayerNormValues compares a LayerNorm with PyTorch's nn.LayerNorm(3)
// in float64 (the same weight and bias, outputs printed by repr), to
// 1e-15: both compute the same mean and biased variance.
func TestLayerNormValues(t *testing.T) {
	l := nn.NewLayerNorm[float64](3, true)
	copy(l.Gamma.Value.Data, []float64{0.5, 1, 2})
	copy(l.Beta.Value.Data, []float64{0, 0.1, -0.2})
	y := l.Forward(tensor.FromSlice([]float64{1, 2, 4, -1, 0, 3.5}, 2, 3), true)
	want := []float64{-0.534520765725149, -0.16726038286257458, 2.4726038286257435, -0.4751269958398837, -0.3319336325817124, 2.5643752485229596}
	for i, w := range want {
		if math.Abs(y.Data[i]-w) > 1e-15 {
			t.Errorf("output %d: %v, PyTorch %v", i, y.Data[i], w)
		}
	}
}

// TestLayerNormGradients checks gamma, beta and the input gradient against
// central differences in float64, on inputs of rank 2, 3 and 4, with and
// without the shift, in training and evaluation (which compute the same),
// alone and after a Linear layer, held to layerTolerance (normalization's
// third derivatives are larger than a single Linear's, as BatchNorm's).
func TestLayerNormGradients(t *testing.T) {
	r := rng.NewNumpy(5)
	ln := func(features int, bias bool) *nn.LayerNorm[float64] {
		l := nn.NewLayerNorm[float64](features, bias)
		tensor.FillNormal(l.Gamma.Value, r, 1, 0.3)
		if bias {
			tensor.FillNormal(l.Beta.Value, r, 0, 0.3)
		}
		return l
	}
	var cases []gradCase
	for _, shape := range [][]int{{4, 5}, {2, 3, 4}, {2, 2, 3, 3}, {3, 1}} {
		for _, bias := range []bool{true, false} {
			x := tensor.RandN[float64](r, 1, shape...)
			l, target := mse(r, shape...)
			cases = append(cases, gradCase{name: "alone", net: ln(shape[len(shape)-1], bias), x: x, t: target, l: l, eval: !bias})
		}
	}
	x := tensor.RandN[float64](r, 1, 6, 4)
	l, target := mse(r, 6, 5)
	cases = append(cases, gradCase{name: "after linear", net: nn.NewSequential[float64](linear(r, 4, 5), ln(5, true)), x: x, t: target, l: l})
	runGradCases(t, cases)
}

// TestLayerNormSpec checks the config: its JSON, that the built layer
// gives it back, and what it refuses.
func TestLayerNormSpec(t *testing.T) {
	for _, js := range []string{`{"type":"layernorm","features":8}`, `{"type":"layernorm","features":8,"eps":0.000001,"no_bias":true}`} {
		var ls nn.LayerSpecs
		if err := json.Unmarshal([]byte("["+js+"]"), &ls); err != nil {
			t.Fatal(err)
		}
		l, err := nn.BuildLayer[float32](ls[0], &nn.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		back, _ := json.Marshal(nn.LayerSpecs{l.(nn.Specced).Spec()})
		if string(back) != "["+js+"]" {
			t.Errorf("%s: written back as %s", js, back)
		}
	}
	for _, tt := range []struct {
		spec  nn.LayerSpec
		input []int
	}{
		{nn.LayerNormSpec{}, nil},
		{nn.LayerNormSpec{Features: 4, Eps: -1}, nil},
		{nn.LayerNormSpec{Features: 4}, []int{3, 5}},
	} {
		if _, err := (nn.Spec{Input: tt.input, Layers: nn.LayerSpecs{tt.spec}}).Validate(nil); err == nil {
			t.Errorf("%+v on %v accepted", tt.spec, tt.input)
		}
	}
	if out, err := (nn.Spec{Input: []int{7, 4}, Layers: nn.LayerSpecs{nn.LayerNormSpec{Features: 4}}}).Validate(nil); err != nil || len(out) != 2 || out[0] != 7 {
		t.Errorf("[7 4]: %v, %v", out, err)
	}
}

// TestLayerNormFloat32 checks that float32 agrees with float64 to float32
// rounding.
func TestLayerNormFloat32(t *testing.T) {
	r := rng.NewNumpy(6)
	x := tensor.RandN[float64](r, 2, 5, 16)
	dy := tensor.RandN[float64](r, 1, 5, 16)
	l64, l32 := nn.NewLayerNorm[float64](16, true), nn.NewLayerNorm[float32](16, true)
	y64, y32 := l64.Forward(x, true), l32.Forward(tensor.Convert[float32](x), true)
	dx64, dx32 := l64.Backward(dy), l32.Backward(tensor.Convert[float32](dy))
	for i := range y64.Data {
		if math.Abs(y64.Data[i]-float64(y32.Data[i])) > 1e-6 || math.Abs(dx64.Data[i]-float64(dx32.Data[i])) > 1e-5 {
			t.Fatalf("element %d: y %v vs %v, dx %v vs %v", i, y64.Data[i], y32.Data[i], dx64.Data[i], dx32.Data[i])
		}
	}
}
