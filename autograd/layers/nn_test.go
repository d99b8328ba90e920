package layers

import (
	"math"
	"strings"
	"testing"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type v64 = *ag.Variable[float64]

// nnCase is an nn layer and its forward written with autograd's
// operations (given the input and the layer's parameters as Variables).
type nnCase struct {
	name  string
	layer func() nn.Layer[float64]
	in    []int
	fwd   func(l nn.Layer[float64], x v64, p []v64) v64
}

func activation(f nn.Func, g func(v64) v64) nnCase {
	return nnCase{name: f.String(), layer: func() nn.Layer[float64] { return nn.NewActivation[float64](f) },
		in: []int{4, 5}, fwd: func(_ nn.Layer[float64], x v64, _ []v64) v64 { return g(x) }}
}

// batchNorm is training-mode batch normalization from primitives: the
// batch's mean and biased variance over every axis but the channel's.
func batchNorm(l nn.Layer[float64], x v64, p []v64) v64 {
	eps := l.(*nn.BatchNorm[float64]).Eps
	axes, shape := []int{0}, []int{1, x.Shape()[1]}
	for i := 2; i < x.Rank(); i++ {
		axes = append(axes, i)
		shape = append(shape, 1)
	}
	mu := ag.Mean(x, true, axes...)
	xc := ag.Sub(x, mu)
	variance := ag.Mean(ag.Mul(xc, xc), true, axes...)
	xhat := ag.Div(xc, ag.Pow(ag.Add(variance, ag.ConstScalar(eps)), 0.5))
	return ag.Add(ag.Mul(xhat, ag.Reshape(p[0], shape...)), ag.Reshape(p[1], shape...))
}

var nnCases = []nnCase{
	{name: "Linear", layer: func() nn.Layer[float64] { return nn.NewLinear[float64](4, 3) }, in: []int{5, 4},
		fwd: func(_ nn.Layer[float64], x v64, p []v64) v64 { return ag.Linear(x, p[0], p[1]) }},
	activation(nn.Identity, func(x v64) v64 { return x }),
	activation(nn.Sigmoid, ag.Sigmoid[float64]),
	activation(nn.ReLU, ag.ReLU[float64]),
	activation(nn.Tanh, ag.Tanh[float64]),
	activation(nn.LeakyReLU, func(x v64) v64 {
		return ag.Sub(ag.ReLU(x), ag.Mul(ag.ConstScalar(nn.LeakySlope), ag.ReLU(ag.Neg(x))))
	}),
	{name: "Conv2D 3x3 pad 1", layer: func() nn.Layer[float64] {
		return nn.NewConv2D[float64](2, 3, nn.Window{H: 3, W: 3, Stride: 1, Pad: 1}, true)
	},
		in: []int{2, 2, 5, 5}, fwd: func(_ nn.Layer[float64], x v64, p []v64) v64 { return ag.Conv2D(x, p[0], p[1], 1, 1) }},
	{name: "Conv2D 2x3 stride 2", layer: func() nn.Layer[float64] {
		return nn.NewConv2D[float64](3, 2, nn.Window{H: 2, W: 3, Stride: 2, Pad: 0}, false)
	},
		in: []int{2, 3, 6, 7}, fwd: func(_ nn.Layer[float64], x v64, p []v64) v64 { return ag.Conv2D(x, p[0], nil, 2, 0) }},
	{name: "MaxPool2D", layer: func() nn.Layer[float64] { return nn.NewMaxPool2D[float64](nn.Window{H: 2, W: 2, Stride: 2}) },
		in: []int{2, 3, 4, 6}, fwd: func(_ nn.Layer[float64], x v64, _ []v64) v64 {
			return ag.MaxPool2D(x, ag.Window{KH: 2, KW: 2, Stride: 2})
		}},
	{name: "BatchNorm [N, F]", layer: func() nn.Layer[float64] { return nn.NewBatchNorm[float64](3) }, in: []int{6, 3}, fwd: batchNorm},
	{name: "BatchNorm [N, C, H, W]", layer: func() nn.Layer[float64] { return nn.NewBatchNorm[float64](2) }, in: []int{3, 2, 2, 3}, fwd: batchNorm},
	{name: "Dropout (fixed mask)", layer: func() nn.Layer[float64] {
		d := nn.NewDropout[float64](0.4, rng.NewNumpy(3))
		d.Freeze()
		return d
	}, in: []int{4, 5}, fwd: func(l nn.Layer[float64], x v64, _ []v64) v64 {
		ones := tensor.New[float64](x.Shape()...)
		ones.Fill(1)
		mask := l.Forward(ones, true).Clone() // the frozen mask, scaled by 1/(1-p)
		return ag.Mul(x, ag.Const(mask))
	}},
	{name: "Flatten", layer: func() nn.Layer[float64] { return nn.NewFlatten[float64]() }, in: []int{2, 3, 2, 2},
		fwd: func(_ nn.Layer[float64], x v64, _ []v64) v64 { return ag.Reshape(x, 2, -1) }},
}

// nnTol is the largest difference allowed between nn's backward and
// autograd's, relative to max(1, |g|): both are exact formulas in float64
// that sum in different orders (blocked GEMM against im2col products,
// BatchNorm's closed form against its chain of primitives), which leaves
// differences of a few ulps times the number of terms; 1e-12 is far above
// that (the largest seen is logged) and far below any wrong term.
const nnTol = 1e-12

func relErr(a, b []float64) float64 {
	worst := 0.0
	for i := range a {
		worst = max(worst, math.Abs(a[i]-b[i])/math.Max(1, math.Abs(b[i])))
	}
	return worst
}

// TestNNBackwardIsAutograd checks each nn layer three ways on random
// inputs, parameters and output gradient gy: nn's Forward and Backward;
// the layer inside a graph through FromNN (the same bits: its backward is
// nn's); and autograd of its forward written with autograd's operations
// (within nnTol): the input's gradient and every parameter's.
func TestNNBackwardIsAutograd(t *testing.T) {
	for _, c := range nnCases {
		t.Run(c.name, func(t *testing.T) {
			r := rng.NewNumpy(11)
			l := c.layer()
			for _, p := range l.Params() {
				for i := range p.Value.Data {
					p.Value.Data[i] = r.Norm()
				}
			}
			x := tensor.RandN[float64](r, 1, c.in...)
			y := l.Forward(x, true).Clone()
			gy := tensor.RandN[float64](r, 1, y.Shape()...)
			dx := l.Backward(gy).Clone()
			var dp []*tensor.Tensor[float64]
			for _, p := range l.Params() {
				dp = append(dp, p.Grad.Clone())
			}

			// The layer as a function of a graph.
			m := FromNN(l)
			xv := ag.New(x)
			yv := m.Forward(xv)
			ag.Sum(ag.Mul(yv, ag.Const(gy)), false).Backward()
			if !tensor.SameBits(yv.Data.Data, y.Data) || !tensor.SameBits(xv.Grad.Data.Data, dx.Data) {
				t.Fatal("FromNN's output or input gradient differs from nn's")
			}
			for i, p := range Params[float64](m) {
				if !tensor.SameBits(p.Grad.Data.Data, dp[i].Data) {
					t.Fatalf("FromNN's gradient of %s differs from nn's", p.Name)
				}
			}

			// Autograd of the forward.
			xa := ag.New(x)
			var pa []v64
			for _, p := range l.Params() {
				pa = append(pa, ag.New(p.Value))
			}
			ya := c.fwd(l, xa, pa)
			ag.Sum(ag.Mul(ya, ag.Const(gy)), false).Backward()
			worst := relErr(ya.Data.Data, y.Data)
			if worst > nnTol {
				t.Fatalf("forward differs by %.3g", worst)
			}
			worst = max(worst, relErr(xa.Grad.Data.Data, dx.Data))
			for i, p := range pa {
				worst = max(worst, relErr(p.Grad.Data.Data, dp[i].Data))
			}
			if worst > nnTol {
				t.Fatalf("nn's backward and autograd's differ by %.3g (tolerance %g)", worst, nnTol)
			}
			t.Logf("largest relative difference %.3g", worst)
		})
	}
}

// TestSoftmaxCrossEntropyIsAutograd checks loss.SoftmaxCrossEntropy's
// backward against autograd of its forward, −mean(log(softmax(x)[t] +
// Delta)) with the book's Delta, within nnTol.
func TestSoftmaxCrossEntropyIsAutograd(t *testing.T) {
	r := rng.NewNumpy(5)
	x := tensor.RandN[float64](r, 2, 6, 4)
	labels := []int{0, 3, 1, 1, 2, 3}
	tt := tensor.New[float64](6)
	for i, k := range labels {
		tt.Data[i] = float64(k)
	}
	var l loss.SoftmaxCrossEntropy[float64]
	want := l.Forward(x, tt)
	dx := l.Backward()

	xa := ag.New(x)
	p := ag.Pick(ag.Softmax(xa, 1), labels)
	out := ag.Neg(ag.Mean(ag.Log(ag.Add(p, ag.ConstScalar(loss.Delta))), false))
	out.Backward()
	if d := math.Abs(out.Item()-want) / want; d > nnTol {
		t.Fatalf("loss %v, autograd %v", want, out.Item())
	}
	if worst := relErr(xa.Grad.Data.Data, dx.Data); worst > nnTol {
		t.Fatalf("gradients differ by %.3g", worst)
	} else {
		t.Logf("largest relative difference %.3g", worst)
	}
}

// TestNNInGraph checks that a Sequential's parameters are named by path
// and that misuse (two calls before a Backward, CreateGraph) panics.
func TestNNInGraph(t *testing.T) {
	seq := nn.NewSequential[float64](nn.NewLinear[float64](3, 2), nn.NewActivation[float64](nn.ReLU))
	m := FromNN[float64](seq)
	got := paths[float64](m)
	if len(got) != 2 || got[0] != "0.weight" || got[1] != "0.bias" {
		t.Fatalf("paths %v, want [0.weight 0.bias]", got)
	}
	x := ag.Const(tensor.RandN[float64](rng.NewNumpy(1), 1, 4, 3))
	y1 := m.Forward(x)
	m.Forward(x)
	func() {
		defer func() {
			msg, _ := recover().(string)
			if !strings.Contains(msg, "ran Forward again") {
				t.Fatalf("panic %q", msg)
			}
		}()
		ag.Sum(y1, false).Backward()
	}()
	func() {
		defer func() {
			msg, _ := recover().(string)
			if !strings.Contains(msg, "no CreateGraph") {
				t.Fatalf("panic %q", msg)
			}
		}()
		ag.Sum(m.Forward(x), false).Backward(ag.CreateGraph)
	}()
}
