package numgrad_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func TestGradientOfKnownFunctions(t *testing.T) {
	x := tensor.FromSlice([]float64{3, 4, -1.5})
	tests := []struct {
		name string
		f    func() float64
		want func(v float64) float64
	}{
		{"sum of squares", func() float64 { return x.Data[0]*x.Data[0] + x.Data[1]*x.Data[1] + x.Data[2]*x.Data[2] }, func(v float64) float64 { return 2 * v }},
		{"sum of sines", func() float64 { return math.Sin(x.Data[0]) + math.Sin(x.Data[1]) + math.Sin(x.Data[2]) }, math.Cos},
	}
	for _, tt := range tests {
		before := x.Clone()
		g := numgrad.Gradient(tt.f, x)
		for i, v := range x.Data {
			if !(numgrad.RelErr(g.Data[i], tt.want(v)) < 1e-7) {
				t.Errorf("%s: gradient[%d] = %v, want %v", tt.name, i, g.Data[i], tt.want(v))
			}
		}
		if tensor.MaxAbsDiff(before, x) != 0 {
			t.Errorf("%s: x not restored: %v", tt.name, x.Data)
		}
	}
}

func TestLayersGradientBitIdentical(t *testing.T) {
	// Restarting the chain at the perturbed layer must give exactly the
	// bits of evaluating the whole chain every time.
	r := rng.NewNumpy(9)
	l1, l2 := nn.NewLinear[float64](3, 4), nn.NewLinear[float64](4, 2)
	l1.Reset(nn.Normal(0.5), r)
	l2.Reset(nn.Normal(0.5), r)
	layers := []nn.Layer[float64]{l1, nn.NewActivation[float64](nn.Sigmoid), l2}
	net := nn.NewSequential(layers...)
	var sce loss.SoftmaxCrossEntropy[float64]
	x, tg := tensor.RandN[float64](r, 1, 5, 3), tensor.FromSlice([]float64{0, 1, 1, 0, 1})
	full := map[string]*tensor.Tensor[float64]{}
	for _, p := range net.Params() {
		full[p.Name] = numgrad.GradientTo(tensor.New[float64](p.Value.Shape()...), func() float64 { return sce.Forward(net.Forward(x, true), tg) }, p.Value, numgrad.H)
	}
	numgrad.LayersGradient(layers, &sce, x, tg, true, numgrad.H)
	for _, p := range net.Params() {
		for i, v := range p.Grad.Data {
			if v != full[p.Name].Data[i] {
				t.Fatalf("%s[%d]: %v, whole-chain %v", p.Name, i, v, full[p.Name].Data[i])
			}
		}
	}
}

func TestLayersGradientSkipsUnchangedOutputsExactly(t *testing.T) {
	// Inputs of exactly 0 (as XOR has) make perturbations of the weights
	// they multiply leave the first layer's output unchanged, and a ReLU
	// that is off hides the perturbations of its unit's weights: the
	// shortcut must still give the whole chain's bits, and the zeros.
	r := rng.NewNumpy(10)
	l1, l2 := nn.NewLinear[float64](4, 5), nn.NewLinear[float64](5, 3)
	l1.Reset(nn.Normal(1), r)
	l2.Reset(nn.Normal(1), r)
	l1.B.Value.Data[0] = -100 // unit 0 is off for every case below
	layers := []nn.Layer[float64]{l1, nn.NewActivation[float64](nn.ReLU), l2}
	net := nn.NewSequential(layers...)
	var sce loss.SoftmaxCrossEntropy[float64]
	x := tensor.FromRows([][]float64{{1, 0, 0.5, 0}, {0, 0, 2, 0}})
	tg := tensor.FromSlice([]float64{2, 0})
	full := map[string]*tensor.Tensor[float64]{}
	for _, p := range net.Params() {
		full[p.Name] = numgrad.GradientTo(tensor.New[float64](p.Value.Shape()...), func() float64 { return sce.Forward(net.Forward(x, true), tg) }, p.Value, numgrad.H)
	}
	f0 := numgrad.LayersGradient(layers, &sce, x, tg, true, numgrad.H)
	if want := sce.Forward(net.Forward(x, true), tg); f0 != want {
		t.Errorf("LayersGradient returned loss %v, want %v", f0, want)
	}
	for _, p := range net.Params() {
		for i, v := range p.Grad.Data {
			if v != full[p.Name].Data[i] {
				t.Fatalf("%s[%d]: %v, whole-chain %v", p.Name, i, v, full[p.Name].Data[i])
			}
		}
	}
	// Row 1 of W1 meets only zeros; column 0 of W1 feeds the unit that is off.
	for _, i := range []int{5, 6, 7, 8, 9, 0, 10} {
		if g := l1.W.Grad.Data[i]; g != 0 {
			t.Errorf("0.weight[%d] = %v, want exactly 0", i, g)
		}
	}
}

func TestRelErrFloor(t *testing.T) {
	if e := numgrad.RelErr(1e-12, 2e-12); e > 1e-8 {
		t.Errorf("noise-level gradients: relative error %v", e)
	}
	if e := numgrad.RelErr(1, 1.5); math.Abs(e-1.0/3) > 1e-15 {
		t.Errorf("RelErr(1, 1.5) = %v, want 1/3", e)
	}
}

// The tutorial's example: the gradient of x0² + x1² at (3, 4).
func ExampleGradient() {
	x := tensor.FromSlice([]float64{3, 4})
	f := func() float64 { return x.Data[0]*x.Data[0] + x.Data[1]*x.Data[1] }
	g := numgrad.Gradient(f, x)
	fmt.Printf("%.6f %.6f\n", g.Data[0], g.Data[1])
	// Output: 6.000000 8.000000
}
