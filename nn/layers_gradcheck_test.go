package nn_test

import (
	"fmt"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// layerTolerance is the float64 gradient-check tolerance for Dropout,
// BatchNorm, Conv2D, MaxPool2D, Flatten and the networks made of them:
// central differences with h = 1e-4 are exact to about h²·f‴/6 relative,
// and normalization and stacked layers have larger third derivatives than a
// single Linear (see deepTolerance).
const layerTolerance = 1e-6

// gradCase is one gradient check: the loss l of net on x against t, in
// training or evaluation mode.
type gradCase struct {
	name string
	net  nn.Layer[float64]
	x, t *tensor.Tensor[float64]
	l    loss.Loss[float64]
	eval bool
	// noInput skips the check of the input gradient, for cases whose
	// input has exact ties that a perturbation of the input would break.
	noInput bool
}

func runGradCases(t *testing.T, cases []gradCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, res := range numgrad.Check(c.net, c.l, c.x, c.t, !c.eval, numgrad.H) {
				if !(res.MaxRelErr < layerTolerance) {
					t.Errorf("%s %v: max relative error %.3g (abs %.3g), want < %g", res.Name, res.Shape, res.MaxRelErr, res.MaxAbsErr, layerTolerance)
				}
			}
			if c.noInput {
				return
			}
			if e := numgrad.CheckInput(c.net, c.l, c.x, c.t, !c.eval, numgrad.H); !(e < layerTolerance) {
				t.Errorf("input gradient: max relative error %.3g, want < %g", e, layerTolerance)
			}
		})
	}
}

// mse returns an MSE loss and random targets for outputs of the given shape.
func mse(r *rng.MT, shape ...int) (loss.Loss[float64], *tensor.Tensor[float64]) {
	return &loss.MSE[float64]{}, tensor.RandN[float64](r, 1, shape...)
}

// conv returns a Conv2D with He weights and small random biases.
func conv(r *rng.MT, in, out int, g nn.Window, bias bool) *nn.Conv2D[float64] {
	c := nn.NewConv2D[float64](in, out, g, bias)
	c.Reset(nn.He, r)
	if bias {
		tensor.FillNormal(c.B.Value, r, 0, 0.1)
	}
	return c
}

func TestConv2DGradients(t *testing.T) {
	r := rng.NewNumpy(7)
	tests := []struct {
		name           string
		in, out        int
		g              nn.Window
		bias           bool
		n, h, w        int
		wantOH, wantOW int
	}{
		{"1x1", 3, 2, nn.Window{H: 1, W: 1, Stride: 1}, true, 2, 5, 5, 5, 5},
		{"1x1 stride 2 pad 2 (windows of padding only)", 2, 2, nn.Window{H: 1, W: 1, Stride: 2, Pad: 2}, true, 2, 4, 5, 4, 5},
		{"3x3 pad 1", 2, 3, nn.Window{H: 3, W: 3, Stride: 1, Pad: 1}, true, 2, 6, 6, 6, 6},
		{"3x3 stride 2 pad 1, divides", 2, 2, nn.Window{H: 3, W: 3, Stride: 2, Pad: 1}, true, 2, 7, 7, 4, 4},
		{"3x3 stride 2, does not divide", 1, 3, nn.Window{H: 3, W: 3, Stride: 2}, true, 2, 6, 6, 2, 2},
		{"3x3 stride 3 pad 2", 3, 2, nn.Window{H: 3, W: 3, Stride: 3, Pad: 2}, true, 2, 7, 8, 3, 4},
		{"5x5", 1, 4, nn.Window{H: 5, W: 5, Stride: 1}, true, 2, 7, 7, 3, 3},
		{"5x5 stride 3 pad 2, non-square input", 2, 3, nn.Window{H: 5, W: 5, Stride: 3, Pad: 2}, true, 2, 8, 9, 3, 3},
		{"3x5 stride 2 pad 1, no bias", 2, 2, nn.Window{H: 3, W: 5, Stride: 2, Pad: 1}, false, 3, 6, 7, 3, 3},
		{"kernel as large as the padded input", 2, 2, nn.Window{H: 5, W: 5, Stride: 2, Pad: 1}, true, 2, 3, 3, 1, 1},
	}
	var cases []gradCase
	for _, tt := range tests {
		c := conv(r, tt.in, tt.out, tt.g, tt.bias)
		x := tensor.RandN[float64](r, 1, tt.n, tt.in, tt.h, tt.w)
		if s := c.Forward(x, true).Shape(); !tensor.EqualShape(s, []int{tt.n, tt.out, tt.wantOH, tt.wantOW}) {
			t.Errorf("%s: output shape %v, want [%d %d %d %d]", tt.name, s, tt.n, tt.out, tt.wantOH, tt.wantOW)
		}
		l, target := mse(r, tt.n, tt.out, tt.wantOH, tt.wantOW)
		cases = append(cases, gradCase{name: tt.name, net: c, x: x, t: target, l: l})
	}
	runGradCases(t, cases)
}

func TestBatchNormGradients(t *testing.T) {
	r := rng.NewNumpy(11)
	bn := func(features int) *nn.BatchNorm[float64] {
		b := nn.NewBatchNorm[float64](features)
		tensor.FillNormal(b.Gamma.Value, r, 1, 0.3)
		tensor.FillNormal(b.Beta.Value, r, 0, 0.3)
		// Running statistics away from (0, 1), for the evaluation cases.
		tensor.FillNormal(b.RunningMean.Value, r, 0, 0.5)
		tensor.FillUniform(b.RunningVar.Value, r, 0.5, 2)
		return b
	}
	var cases []gradCase
	for _, shape := range [][]int{{2, 3}, {5, 4}, {2, 3, 3, 3}, {3, 2, 2, 4}, {4, 3, 5}} {
		for _, eval := range []bool{false, true} {
			name := fmt.Sprint("train ", shape)
			if eval {
				name = fmt.Sprint("eval ", shape)
			}
			x := tensor.RandN[float64](r, 1, shape...)
			if len(shape) == 2 && shape[0] == 2 {
				// With two cases, x̂ = ±d/sqrt(d² + 4·Eps) for
				// their difference d: the output hardly depends on
				// x, and it curves on the scale of |d|, so a pair
				// closer than about 0.1 would measure the truncation
				// error of the central difference, (h/d)², not the
				// backward formula. Keep the pairs 1 or more apart.
				for j, v := range x.Row(0) {
					x.Row(1)[j] = v + 1 + r.Float64()
				}
			}
			l, target := mse(r, shape...)
			cases = append(cases, gradCase{name: name, net: bn(shape[1]), x: x, t: target, l: l, eval: eval})
		}
	}
	// Behind a Linear, the gradient flows through the batch statistics to
	// the weights.
	idx, _ := classTargets(r, 6, 3)
	cases = append(cases, gradCase{
		name: "Linear-BatchNorm-Tanh-Linear", net: nn.NewSequential(linear(r, 4, 5), bn(5), act(nn.Tanh), linear(r, 5, 3)),
		x: tensor.RandN[float64](r, 1, 6, 4), t: idx, l: &loss.SoftmaxCrossEntropy[float64]{},
	})
	runGradCases(t, cases)
}

func TestDropoutGradients(t *testing.T) {
	r := rng.NewNumpy(13)
	frozen := func(p float64) *nn.Dropout[float64] {
		d := nn.NewDropout[float64](p, rng.NewNumpy(uint32(100*p)))
		d.Freeze()
		return d
	}
	var cases []gradCase
	for _, p := range []float64{0, 0.2, 0.5} {
		l, target := mse(r, 4, 5)
		cases = append(cases, gradCase{name: fmt.Sprint("Linear-Dropout p=", p), net: nn.NewSequential(linear(r, 3, 5), frozen(p)),
			x: tensor.RandN[float64](r, 1, 4, 3), t: target, l: l})
	}
	l, target := mse(r, 2, 3, 4, 4)
	cases = append(cases, gradCase{name: "rank 4 p=0.5", net: frozen(0.5), x: tensor.RandN[float64](r, 1, 2, 3, 4, 4), t: target, l: l})
	l, target = mse(r, 4, 5)
	cases = append(cases, gradCase{name: "eval", net: nn.NewSequential(linear(r, 3, 5), nn.NewDropout[float64](0.5, rng.NewNumpy(1))),
		x: tensor.RandN[float64](r, 1, 4, 3), t: target, l: l, eval: true})
	runGradCases(t, cases)
}

func TestMaxPoolGradients(t *testing.T) {
	r := rng.NewNumpy(17)
	pool := func(h, w, stride, pad int) *nn.MaxPool2D[float64] {
		return nn.NewMaxPool2D[float64](nn.Window{H: h, W: w, Stride: stride, Pad: pad})
	}
	var cases []gradCase
	for _, tt := range []struct {
		name   string
		p      *nn.MaxPool2D[float64]
		x      []int
		oh, ow int
	}{
		{"2x2 stride 2", pool(2, 2, 2, 0), []int{2, 3, 4, 4}, 2, 2},
		{"2x2 stride 2, odd input drops the last row and column", pool(2, 2, 2, 0), []int{2, 2, 5, 5}, 2, 2},
		{"3x3 stride 2, overlapping", pool(3, 3, 2, 0), []int{2, 2, 7, 7}, 3, 3},
		{"3x3 stride 1 pad 1", pool(3, 3, 1, 1), []int{1, 2, 4, 5}, 4, 5},
		{"2x3 stride 3 pad 1", pool(2, 3, 3, 1), []int{2, 1, 6, 8}, 3, 3},
	} {
		l, target := mse(r, tt.x[0], tt.x[1], tt.oh, tt.ow)
		cases = append(cases, gradCase{name: tt.name, net: tt.p, x: tensor.RandN[float64](r, 1, tt.x...), t: target, l: l})
	}

	// Ties. Where two cells share a window's maximum the function has no
	// derivative (a central difference across the tie sees half the slope),
	// so a check on ties must keep the perturbations from breaking them.
	// Two ways in which that happens in real networks:
	//
	// ReLU then max pool: a window whose inputs are all negative holds only
	// zeros after the ReLU, and small perturbations keep them zero. The
	// gradient goes to the first zero and the ReLU stops it there; both
	// sides of the check see 0. The inputs stay at least 0.3 from zero.
	x := tensor.RandN[float64](r, 1, 2, 2, 4, 4)
	for i, v := range x.Data {
		if v > -0.3 && v < 0.3 {
			x.Data[i] = -0.3 - v
		}
	}
	for i := 0; i < 2; i++ { // the first window of each channel of case 0 is all negative
		for _, k := range []int{0, 1, 4, 5} {
			x.Data[i*16+k] = -0.5 - float64(k)*0.1
		}
	}
	l, target := mse(r, 2, 2, 2, 2)
	cases = append(cases, gradCase{name: "ties at zero after ReLU", net: nn.NewSequential(act(nn.ReLU), pool(2, 2, 2, 0)), x: x, t: target, l: l})

	// A 1×1 convolution of one channel maps tied inputs to tied outputs for
	// every weight and bias, so perturbing the parameters keeps the ties:
	// the parameter gradients are well defined even though the first tied
	// cell gets all the gradient. (Perturbing one input cell would break
	// the tie, hence no input check.)
	x = tensor.New[float64](2, 1, 4, 4)
	for i := range x.Data {
		n, y, xx := i/16, i/4%4, i%4
		x.Data[i] = float64((n+1)*(y/2*2+xx/2+1)) * 0.25 // constant 2×2 blocks
	}
	l, target = mse(r, 2, 2, 2, 2)
	cases = append(cases, gradCase{name: "tied blocks after 1x1 conv", net: nn.NewSequential(conv(r, 1, 2, nn.Window{H: 1, W: 1, Stride: 1}, true), pool(2, 2, 2, 0)),
		x: x, t: target, l: l, noInput: true})
	runGradCases(t, cases)
}

func TestMaxPoolRoutesTiesToFirst(t *testing.T) {
	// One window per row of this table: the maximum 2 appears twice and the
	// whole gradient must go to its first occurrence in row-major order.
	x := tensor.FromSlice([]float64{
		2, 2, 1, 0, // window (0,0): cells 0,1,4,5; window (0,1): cells 2,3,6,7
		1, 0, 3, 3,
		5, 1, -1, -1, // window (1,0): max 5 once; window (1,1): all -1
		5, 0, -1, -1,
	}, 1, 1, 4, 4)
	p := nn.NewMaxPool2D[float64](nn.Window{H: 2, W: 2, Stride: 2})
	y := p.Forward(x, true)
	if want := []float64{2, 3, 5, -1}; !equal(y.Data, want) {
		t.Errorf("max pool of ties = %v, want %v", y.Data, want)
	}
	dx := p.Backward(tensor.FromSlice([]float64{10, 20, 30, 40}, 1, 1, 2, 2))
	want := make([]float64, 16)
	want[0], want[6], want[8], want[10] = 10, 20, 30, 40
	if !equal(dx.Data, want) {
		t.Errorf("gradient routed to %v, want %v", dx.Data, want)
	}
}

func TestFlattenGradients(t *testing.T) {
	r := rng.NewNumpy(19)
	idx, _ := classTargets(r, 3, 4)
	l, target := mse(r, 2, 60)
	runGradCases(t, []gradCase{
		{name: "Flatten", net: nn.NewFlatten[float64](), x: tensor.RandN[float64](r, 1, 2, 3, 4, 5), t: target, l: l},
		{name: "Conv-Flatten-Linear", net: nn.NewSequential(conv(r, 2, 3, nn.Window{H: 3, W: 3, Stride: 1}, true), nn.NewFlatten[float64](), linear(r, 3*3*2, 4)),
			x: tensor.RandN[float64](r, 1, 3, 2, 5, 4), t: idx, l: &loss.SoftmaxCrossEntropy[float64]{}},
	})
	f := nn.NewFlatten[float64]()
	x := tensor.RandN[float64](r, 1, 2, 3, 4)
	if y := f.Forward(x, true); !tensor.EqualShape(y.Shape(), []int{2, 12}) || &y.Data[0] != &x.Data[0] {
		t.Errorf("Flatten of %v: %v, want a [2 12] view", x.Shape(), y.Shape())
	}
}

// freezeDropouts freezes the masks of every Dropout in net.
func freezeDropouts(net *nn.Sequential[float64]) {
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dropout[float64]); ok {
			d.Freeze()
		}
	}
}

// build builds s in float64 with He weights and small random biases, and
// freezes its dropout masks.
func build(t *testing.T, s nn.Spec, seed uint32) *nn.Sequential[float64] {
	t.Helper()
	r := rng.NewNumpy(seed)
	net, err := nn.Build[float64](s, nn.He, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		if len(p.Name) > 5 && p.Name[len(p.Name)-5:] == ".bias" {
			tensor.FillNormal(p.Value, r, 0, 0.1)
		}
	}
	freezeDropouts(net)
	return net
}

// smallConvNet and smallDeepConvNet are SimpleConvNet and DeepConvNet with
// fewer channels, on [1, 8, 8] inputs.
var (
	smallConvNet = nn.Spec{Input: []int{1, 8, 8}, Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 1, Out: 3, Kernel: 3},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2, Stride: 2},
		nn.FlattenSpec{},
		nn.LinearSpec{In: 3 * 3 * 3, Out: 6},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.LinearSpec{In: 6, Out: 3},
	}}
	smallDeepConvNet = nn.Spec{Input: []int{1, 8, 8}, Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 1, Out: 2, Kernel: 3, Pad: 1}, nn.ActivationSpec{Func: nn.ReLU},
		nn.Conv2DSpec{In: 2, Out: 2, Kernel: 3, Pad: 1}, nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2}, // 4×4
		nn.Conv2DSpec{In: 2, Out: 3, Kernel: 3, Pad: 1}, nn.ActivationSpec{Func: nn.ReLU},
		nn.Conv2DSpec{In: 3, Out: 3, Kernel: 3, Pad: 2}, nn.ActivationSpec{Func: nn.ReLU}, // 6×6
		nn.MaxPool2DSpec{Kernel: 2}, // 3×3
		nn.Conv2DSpec{In: 3, Out: 4, Kernel: 3, Pad: 1}, nn.ActivationSpec{Func: nn.ReLU},
		nn.Conv2DSpec{In: 4, Out: 4, Kernel: 3, Pad: 1}, nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2}, // 1×1
		nn.FlattenSpec{},
		nn.LinearSpec{In: 4, Out: 5}, nn.ActivationSpec{Func: nn.ReLU},
		nn.DropoutSpec{P: 0.5},
		nn.LinearSpec{In: 5, Out: 3},
		nn.DropoutSpec{P: 0.5},
	}}
)

func TestNetworkGradients(t *testing.T) {
	r := rng.NewNumpy(23)
	idx, _ := classTargets(r, 4, 3)
	ce := &loss.SoftmaxCrossEntropy[float64]{}
	runGradCases(t, []gradCase{
		{name: "MLP with BatchNorm and Dropout", net: build(t, nn.MLP(4, []int{6, 5}, 3, nn.Tanh, nn.MLPOptions{BatchNorm: true, Dropout: 0.3}), 1),
			x: tensor.RandN[float64](r, 1, 4, 4), t: idx, l: ce},
		{name: "MLP with BatchNorm and Dropout, ReLU", net: build(t, nn.MLP(4, []int{6, 5}, 3, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.3}), 2),
			x: tensor.RandN[float64](r, 1, 4, 4), t: idx, l: ce},
		{name: "SimpleConvNet-like", net: build(t, smallConvNet, 3), x: tensor.RandN[float64](r, 1, 4, 1, 8, 8), t: idx, l: ce},
		{name: "DeepConvNet-like", net: build(t, smallDeepConvNet, 4), x: tensor.RandN[float64](r, 1, 4, 1, 8, 8), t: idx, l: ce},
	})
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
