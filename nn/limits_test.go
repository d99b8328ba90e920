package nn_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestSpecLimits checks each of nn's limits at and just past it: a spec
// at the limit validates, one past it is refused with a message naming
// the limit, before anything of its size is allocated.
func TestSpecLimits(t *testing.T) {
	conv := func(pad int) nn.Spec {
		return nn.Spec{Input: []int{1, 1, 1}, Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 1, Pad: pad}}}
	}
	// A 1×1 convolution of one channel over a 1×1 image padded by p holds
	// (1+2p)² output values and as many column values per case: 2(1+2p)².
	// The largest p within MaxActivations:
	p := 0
	for 2*(1+2*(p+1))*(1+2*(p+1)) <= nn.MaxActivations {
		p++
	}
	tests := []struct {
		name string
		s    nn.Spec
		err  string // "" when the spec is within the limits
	}{
		{"activations at the limit", conv(p), ""},
		{"activations past the limit", conv(p + 1), "more than nn.MaxActivations"},
		{"padding 20000", conv(20000), "more than nn.MaxActivations"},
		{"padding 2e9", conv(2_000_000_000), "more than nn.MaxSize"},
		{"padding near 2^62", conv(1 << 62), "more than nn.MaxSize"},
		{"size at the limit", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: nn.MaxSize, Out: 1}}}, ""},
		{"size past the limit", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: nn.MaxSize + 1, Out: 1}}}, "more than nn.MaxSize"},
		{"input past the limit", nn.Spec{Input: []int{nn.MaxSize + 1}, Layers: nn.LayerSpecs{nn.ActivationSpec{Func: nn.ReLU}}}, "more than nn.MaxSize"},
		{"kernel past the limit", nn.Spec{Layers: nn.LayerSpecs{nn.MaxPool2DSpec{Kernel: nn.MaxSize + 1}}}, "more than nn.MaxSize"},
		// Linear(2¹⁴-1, n) has 2¹⁴·n parameters.
		{"params at the limit", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 1<<14 - 1, Out: nn.MaxParams >> 14}}}, ""},
		{"params past the limit", nn.Spec{Layers: nn.LayerSpecs{nn.LinearSpec{In: 1<<14 - 1, Out: nn.MaxParams>>14 + 1}}}, "more than nn.MaxParams"},
		{"hidden 100000,100000", nn.MLP(784, []int{100000, 100000}, 10, nn.ReLU, nn.MLPOptions{}), "more than nn.MaxParams"},
		{"params summed over layers", nn.Spec{Layers: nn.LayerSpecs{
			nn.LinearSpec{In: 1<<14 - 1, Out: nn.MaxParams >> 15}, nn.LinearSpec{In: nn.MaxParams >> 15, Out: 1<<14 + 1},
		}}, "more than nn.MaxParams"},
		{"wide linear activations", nn.Spec{Input: []int{1}, Layers: nn.LayerSpecs{
			nn.LinearSpec{In: 1, Out: nn.MaxActivations / 2}, nn.ActivationSpec{Func: nn.ReLU}, nn.ActivationSpec{Func: nn.ReLU},
		}}, "more than nn.MaxActivations"},
	}
	for _, tt := range tests {
		_, err := tt.s.Validate(nil)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.err)
		}
	}
}

func TestSpecFootprint(t *testing.T) {
	// SimpleConvNet on [1, 28, 28]: conv 30×24×24 = 17280 outputs and
	// 25×576 = 14400 column values, relu 17280, pool 30×12×12 = 4320,
	// flatten 4320, linear 100, relu 100, linear 10.
	fp, err := nn.SimpleConvNet().Footprint(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := nn.Footprint{
		Params:      30*25 + 30 + 4320*100 + 100 + 100*10 + 10,
		Activations: 17280 + 14400 + 17280 + 4320 + 4320 + 100 + 100 + 10,
	}
	if fp != want {
		t.Errorf("SimpleConvNet footprint %+v, want %+v", fp, want)
	}
	// Without an input shape the convolution's activations are unknown.
	s := nn.SimpleConvNet()
	s.Input = nil
	if fp, err := s.Footprint(nil); err != nil || fp.Activations != -1 || fp.Params != want.Params {
		t.Errorf("footprint without input: %+v, %v", fp, err)
	}
}

func TestSpecLimitsWithoutInput(t *testing.T) {
	// Without an input shape a convolution's activations are unknown, but
	// the Linear layers after it are still counted.
	s := nn.Spec{Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 1, Out: 1, Kernel: 1}, nn.FlattenSpec{},
		nn.LinearSpec{In: 4, Out: nn.MaxActivations/2 + 1}, nn.ActivationSpec{Func: nn.ReLU},
	}}
	if _, err := s.Validate(nil); err == nil || !strings.Contains(err.Error(), "layer 3 (relu)") || !strings.Contains(err.Error(), "nn.MaxActivations") {
		t.Errorf("error %v, want layer 3 past nn.MaxActivations", err)
	}
}

// FuzzSpecFootprint checks that Footprint counts what Build makes: for
// every spec it accepts (with few enough values to build quickly), the
// network has exactly Params parameter and buffer values, and one case
// runs through it to the shape Validate gives. Seeds include specs past
// the limits (issue 12).
func FuzzSpecFootprint(f *testing.F) {
	for _, s := range []nn.Spec{
		nn.SimpleConvNet(),
		nn.MLP(4, []int{3, 3}, 2, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.5}),
		{Input: []int{2, 5, 5}, Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 2, Out: 3, Kernel: 3, Pad: 1, NoBias: true}, nn.BatchNormSpec{Features: 3}, nn.MaxPool2DSpec{Kernel: 2}, nn.FlattenSpec{}}},
		{Input: []int{1, 28, 28}, Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 1, Pad: 20000}}},
		{Input: []int{1, 28, 28}, Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 1, Pad: 2_000_000_000}}},
		{Layers: nn.LayerSpecs{nn.LinearSpec{In: 100000, Out: 100000}}},
		{Input: []int{1 << 40, 1 << 40}, Layers: nn.LayerSpecs{nn.FlattenSpec{}}},
		{Input: []int{nn.MaxSize, nn.MaxSize}, Layers: nn.LayerSpecs{nn.FlattenSpec{}}},
		{Input: []int{-1, 28, 28}, Layers: nn.LayerSpecs{nn.FlattenSpec{}}},
		{Input: []int{3}, Layers: nn.LayerSpecs{nn.LinearSpec{In: -3, Out: -4}}},
		{Input: []int{1, 28, 28}, Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 3, Stride: -1}}},
	} {
		b, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, js string) {
		var s nn.Spec
		if json.Unmarshal([]byte(js), &s) != nil {
			return
		}
		fp, err := s.Footprint(nil)
		if err != nil || fp.Params > 1<<16 || fp.Activations > 1<<16 || len(s.Layers) > 100 {
			return
		}
		net, err := nn.Build[float64](s, nn.Normal(0.1), rng.NewNumpy(1))
		if err != nil {
			t.Fatalf("Footprint accepts %s, Build refuses it: %v", js, err)
		}
		n := 0
		for _, p := range net.Params() {
			n += p.Value.Len()
		}
		for _, b := range nn.BuffersOf[float64](net) {
			n += b.Value.Len()
		}
		if n != fp.Params {
			t.Fatalf("%s: Footprint counts %d parameter and buffer values, the network has %d", js, fp.Params, n)
		}
		if len(s.Input) == 0 || fp.Activations < 0 {
			return
		}
		want, _ := s.Validate(nil)
		y := net.Forward(tensor.New[float64](append([]int{1}, s.Input...)...), false)
		if !tensor.EqualShape(y.Shape()[1:], want) {
			t.Fatalf("%s: output %v, Validate says %v", js, y.Shape(), want)
		}
	})
}
