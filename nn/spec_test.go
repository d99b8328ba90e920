package nn_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func TestSpecValidate(t *testing.T) {
	tests := []struct {
		name  string
		s     nn.Spec
		input []int
		want  []int
		err   string // substring of the error, "" for none
	}{
		{"SimpleConvNet", nn.SimpleConvNet(), nil, []int{10}, ""},
		{"DeepConvNet", nn.DeepConvNet(), nil, []int{10}, ""},
		{"MLP", nn.MLP(784, []int{100, 50}, 10, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.5}), nil, []int{10}, ""},
		{"conv shapes without input", nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 4, Kernel: 3}, nn.MaxPool2DSpec{Kernel: 2}}}, nil, []int{4, -1, -1}, ""},
		{"conv shapes with input", nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 4, Kernel: 3, Stride: 2}, nn.MaxPool2DSpec{Kernel: 2, KernelW: 3, Stride: 1}}}, []int{1, 9, 10}, []int{4, 3, 2}, ""},
		{"flatten without input", nn.Spec{Layers: nn.LayerSpecs{nn.FlattenSpec{}, nn.LinearSpec{In: 7, Out: 2}}}, nil, []int{2}, ""},
		{"batchnorm on channels", nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 3, Out: 8, Kernel: 1}, nn.BatchNormSpec{Features: 8}}}, []int{3, 5, 5}, []int{8, 5, 5}, ""},
		{"no layers", nn.Spec{}, nil, nil, "no layers"},
		{"zero size", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 3}}}, nil, nil, "must be positive"},
		{"mismatched linear", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 3, Out: 4}, nn.ActivationSpec{Func: nn.ReLU}, nn.LinearSpec{In: 5, Out: 2}}}, nil, nil, "layer 2 (linear): input [4] has 4 features, layer expects 5"},
		{"mismatched batchnorm", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 3, Out: 4}, nn.BatchNormSpec{Features: 3}}}, nil, nil, "layer 1 (batchnorm)"},
		{"mismatched conv channels", nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 4, Kernel: 3}, nn.Conv2DSpec{In: 3, Out: 4, Kernel: 3}}}, nil, nil, "has 4 channels, layer expects 3"},
		{"mismatched input", nn.SimpleConvNet(), []int{1, 32, 32}, nil, "layer 4 (linear): input [5880] has 5880 features, layer expects 4320"},
		{"conv on vectors", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 3, Out: 4}, nn.Conv2DSpec{In: 4, Out: 4, Kernel: 1}}}, nil, nil, "want [channels, height, width]"},
		{"kernel too large", nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 7}}}, []int{1, 5, 5}, nil, "does not fit"},
		{"no kernel", nn.Spec{Layers: nn.LayerSpecs{nn.MaxPool2DSpec{}}}, nil, nil, "must be positive"},
		{"negative pad", nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 3, Pad: -1}}}, nil, nil, "padding -1"},
		{"pool padding", nn.Spec{Layers: nn.LayerSpecs{nn.MaxPool2DSpec{Kernel: 2, Pad: 2}}}, nil, nil, "exceeds half the kernel"},
		{"dropout rate", nn.Spec{Layers: nn.LayerSpecs{nn.DropoutSpec{P: 1}}}, nil, nil, "rate 1"},
		{"bad input", nn.SimpleConvNet(), []int{1, 0, 28}, nil, "input shape"},
	}
	for _, tt := range tests {
		got, err := tt.s.Validate(tt.input)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.err)
		case err == nil && !tensor.EqualShape(got, tt.want):
			t.Errorf("%s: output shape %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBuild(t *testing.T) {
	// Build's output shapes agree with Validate's, batch after batch.
	r := rng.NewNumpy(59)
	for _, s := range []nn.Spec{smallConvNet, smallDeepConvNet, nn.SimpleConvNet(), nn.DeepConvNet(),
		nn.MLP(5, []int{4, 3}, 2, nn.Sigmoid, nn.MLPOptions{BatchNorm: true, Dropout: 0.1})} {
		want, err := s.Validate(nil)
		if err != nil {
			t.Fatal(err)
		}
		net, err := nn.Build[float32](s, nn.He, r)
		if err != nil {
			t.Fatal(err)
		}
		x := tensor.RandN[float32](r, 1, append([]int{3}, s.Input...)...)
		if y := net.Forward(x, true); !tensor.EqualShape(y.Shape(), append([]int{3}, want...)) {
			t.Errorf("%v: output %v, Validate says %v", s.Input, y.Shape(), want)
		}
	}

	// Errors, including an initializer that does not parse.
	bad := nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 2, Out: 2, Init: "lecun"}}}
	if _, err := nn.Build[float64](bad, nn.He, r); err == nil || !strings.Contains(err.Error(), "layer 0 (linear)") {
		t.Errorf("bad initializer: %v", err)
	}
	var unknown nn.Spec
	if err := json.Unmarshal([]byte(`{"layers":[{"type":"linear","in":2,"out":2},{"type":"conv"}]}`), &unknown); err == nil ||
		!strings.Contains(err.Error(), `layer 1: unknown layer type "conv"`) {
		t.Errorf("unknown type: %v", err)
	}

	// Initializers: the default, or the layer's own; the same seed gives
	// the same network.
	s := nn.Spec{Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 10, Out: 20, Kernel: 5},
		nn.Conv2DSpec{In: 20, Out: 20, Kernel: 5, NoBias: true, Init: "0.5"},
	}}
	a, _ := nn.Build[float64](s, nn.He, rng.NewNumpy(1))
	b, _ := nn.Build[float64](s, nn.He, rng.NewNumpy(1))
	for i, p := range a.Params() {
		if tensor.MaxAbsDiff(p.Value, b.Params()[i].Value) != 0 {
			t.Errorf("%s differs between builds with the same seed", p.Name)
		}
	}
	if n := len(a.Params()); n != 3 {
		t.Errorf("%d parameters, want 3 (no bias on the second convolution)", n)
	}
	for _, tt := range []struct {
		p   *nn.Param[float64]
		std float64
	}{{a.Params()[0], math.Sqrt(2.0 / 250)}, {a.Params()[2], 0.5}} {
		var ss float64
		for _, v := range tt.p.Value.Data {
			ss += v * v
		}
		if got := math.Sqrt(ss / float64(tt.p.Value.Len())); math.Abs(got/tt.std-1) > 0.05 {
			t.Errorf("%s: std %v, want about %v", tt.p.Name, got, tt.std)
		}
	}
}

func TestSpecJSON(t *testing.T) {
	for _, s := range []nn.Spec{nn.DeepConvNet(), nn.MLP(2, []int{3}, 1, nn.LeakyReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.25})} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back nn.Spec
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		b2, _ := json.Marshal(back)
		if string(b) != string(b2) || len(back.Layers) != len(s.Layers) {
			t.Errorf("round trip changed the spec:\n%s\n%s", b, b2)
		}
	}
}

func TestMLPSpecOrder(t *testing.T) {
	s := nn.MLP(4, []int{8}, 2, nn.Tanh, nn.MLPOptions{BatchNorm: true, Dropout: 0.5})
	var types []string
	for _, l := range s.Layers {
		types = append(types, l.Type())
	}
	if got, want := strings.Join(types, " "), "linear batchnorm tanh dropout linear"; got != want {
		t.Errorf("MLP layers %q, want %q", got, want)
	}
}

// checkSubset compares the backprop gradient of k randomly chosen elements of
// every parameter of net with their central differences of step h, for
// networks too large to check whole. It returns the largest relative error
// and the parameter where it occurred.
func checkSubset(net *nn.Sequential[float64], l loss.Loss[float64], x, target *tensor.Tensor[float64], k int, h float64, r *rng.MT) (worst float64, name string) {
	f := func() float64 { return l.Forward(net.Forward(x, true), target) }
	f()
	net.Backward(l.Backward())
	for _, p := range net.Params() {
		for range k {
			i := r.Below(p.Value.Len())
			v := p.Value.Data[i]
			p.Value.Data[i] = v + h
			fp := f()
			p.Value.Data[i] = v - h
			fm := f()
			p.Value.Data[i] = v
			if e := numgrad.RelErr(p.Grad.Data[i], (fp-fm)/(2*h)); !(e <= worst) {
				worst, name = e, p.Name
			}
		}
	}
	return worst, name
}

// realNetH is the central-difference step for the full-size networks. Their
// loss is piecewise smooth: every ReLU and every max-pool window switches
// somewhere, and with tens of thousands of them a step of numgrad.H = 1e-4
// on a weight of the first layers often moves one across its switch, which
// shows as relative errors of 1e-2 whatever the backward pass (measured on
// DeepConvNet: 5.bias[1] has error 1.6e-2 at h = 1e-4 and 2e-10 at 1e-5). A
// step of 1e-5 makes crossings ten times rarer; rounding error, about
// 1e-16·|loss|/h ≈ 1e-11, stays far below the tolerance.
const realNetH = 1e-5

func TestRealNetworkGradients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the book's full-size networks")
	}
	r := rng.NewNumpy(61)
	x := tensor.New[float64](2, 1, 28, 28)
	tensor.FillUniform(x, r, 0, 1) // pixel intensities
	idx, _ := classTargets(r, 2, 10)
	for _, tt := range []struct {
		name string
		s    nn.Spec
	}{{"SimpleConvNet", nn.SimpleConvNet()}, {"DeepConvNet", nn.DeepConvNet()}} {
		net := build(t, tt.s, 7)
		if e, name := checkSubset(net, &loss.SoftmaxCrossEntropy[float64]{}, x, idx, 3, realNetH, r); !(e < layerTolerance) {
			t.Errorf("%s: %s: relative error %.3g, want < %g", tt.name, name, e, layerTolerance)
		}
	}
}
