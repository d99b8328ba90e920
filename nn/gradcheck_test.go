package nn_test

import (
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// tolerance for float64 gradient checks of single layers and of the
// tutorial's two-layer net: central differences with h = 1e-4 are exact to
// about h²·f‴/6 ≈ 1e-8 relative, rounding adds about 1e-12 absolute (see
// numgrad.Floor). Deeper compositions have larger third derivatives, so
// their truncation error is larger; they are held to deepTolerance.
const (
	tolerance     = 1e-7
	deepTolerance = 1e-6
)

// linear returns a Linear layer with Xavier weights (std 1/sqrt(in)) and
// small random biases, so that pre-activations stay O(1). The truncation
// error of a central difference, about h²·f‴/(6f′), grows where sigmoid and
// tanh saturate; these checks are about the backward formulas, not about the
// limits of finite differences.
func linear(r *rng.MT, in, out int) *nn.Linear[float64] {
	l := nn.NewLinear[float64](in, out)
	l.Reset(nn.Xavier, r)
	tensor.FillNormal(l.B.Value, r, 0, 0.1)
	return l
}

func act(f nn.Func) *nn.Activation[float64] { return nn.NewActivation[float64](f) }

// classTargets returns n class indices in [0, c) and the one-hot form.
func classTargets(r *rng.MT, n, c int) (idx, onehot *tensor.Tensor[float64]) {
	idx, onehot = tensor.New[float64](n), tensor.New[float64](n, c)
	for i := 0; i < n; i++ {
		k := r.Below(c)
		idx.Data[i] = float64(k)
		onehot.Set(1, i, k)
	}
	return
}

func TestGradientChecks(t *testing.T) {
	r := rng.NewNumpy(42)
	idx, onehot := classTargets(r, 5, 3)
	soft := tensor.RandN[float64](r, 1, 5, 3)
	loss.SoftmaxTo(soft, soft)
	regress := tensor.RandN[float64](r, 1, 5, 3)
	bits := tensor.New[float64](5, 3)
	for i := range bits.Data {
		bits.Data[i] = float64(r.Below(2))
	}
	tests := []struct {
		name string
		net  nn.Layer[float64]
		loss loss.Loss[float64]
		t    *tensor.Tensor[float64]
		tol  float64
	}{
		{"Linear/softmax-CE one-hot", linear(r, 4, 3), &loss.SoftmaxCrossEntropy[float64]{}, onehot, 0},
		{"Linear/softmax-CE indices", linear(r, 4, 3), &loss.SoftmaxCrossEntropy[float64]{}, idx, 0},
		{"Linear/softmax-CE soft targets", linear(r, 4, 3), &loss.SoftmaxCrossEntropy[float64]{}, soft, 0},
		{"Linear/MSE", linear(r, 4, 3), &loss.MSE[float64]{}, regress, 0},
		{"Linear/sigmoid-BCE", linear(r, 4, 3), &loss.SigmoidBCE[float64]{}, bits, 0},
		{"Sigmoid", nn.NewSequential(linear(r, 4, 3), act(nn.Sigmoid)), &loss.MSE[float64]{}, regress, 0},
		{"Tanh", nn.NewSequential(linear(r, 4, 3), act(nn.Tanh)), &loss.MSE[float64]{}, regress, 0},
		{"ReLU", nn.NewSequential(linear(r, 4, 3), act(nn.ReLU)), &loss.MSE[float64]{}, regress, 0},
		{"LeakyReLU", nn.NewSequential(linear(r, 4, 3), act(nn.LeakyReLU)), &loss.MSE[float64]{}, regress, 0},
		{"Identity", nn.NewSequential(linear(r, 4, 3), act(nn.Identity)), &loss.MSE[float64]{}, regress, 0},
		{"tutorial net 4-6-3", nn.NewSequential(linear(r, 4, 6), act(nn.Sigmoid), linear(r, 6, 3)), &loss.SoftmaxCrossEntropy[float64]{}, onehot, 0},
		{"deep net", nn.NewSequential(linear(r, 4, 8), act(nn.Tanh), linear(r, 8, 8), act(nn.ReLU), linear(r, 8, 3)), &loss.SoftmaxCrossEntropy[float64]{}, idx, deepTolerance},
	}
	for _, tt := range tests {
		tol := tt.tol
		if tol == 0 {
			tol = tolerance
		}
		t.Run(tt.name, func(t *testing.T) {
			x := tensor.RandN[float64](r, 1, 5, 4)
			for _, res := range numgrad.Check(tt.net, tt.loss, x, tt.t, true, numgrad.H) {
				if !(res.MaxRelErr < tol) {
					t.Errorf("%s: max relative error %.3g (abs %.3g), want < %g", res.Name, res.MaxRelErr, res.MaxAbsErr, tol)
				}
			}
			if e := numgrad.CheckInput(tt.net, tt.loss, x, tt.t, true, numgrad.H); !(e < tol) {
				t.Errorf("input gradient: max relative error %.3g, want < %g", e, tol)
			}
		})
	}
}

func TestCheckCatchesWrongGradient(t *testing.T) {
	// A check that cannot fail proves nothing: break a layer's backward
	// and the check must see it.
	r := rng.NewNumpy(1)
	_, onehot := classTargets(r, 3, 2)
	net := brokenLinear{linear(r, 2, 2)}
	res := numgrad.Check[float64](net, &loss.SoftmaxCrossEntropy[float64]{}, tensor.RandN[float64](r, 1, 3, 2), onehot, true, numgrad.H)
	if numgrad.MaxRelErr(res) < 1e-3 {
		t.Errorf("a doubled weight gradient passed the check: %+v", res)
	}
}

type brokenLinear struct{ *nn.Linear[float64] }

func (b brokenLinear) Backward(dy *tensor.Tensor[float64]) *tensor.Tensor[float64] {
	dx := b.Linear.Backward(dy)
	tensor.ScaleTo(b.W.Grad, 2, b.W.Grad)
	return dx
}

func TestSigmoidExtremeInputs(t *testing.T) {
	for _, x := range []float64{-1e4, -800, -40, 0, 40, 800, 1e4} {
		y := nn.Sigmoid.F(x)
		if y != y || y < 0 || y > 1 {
			t.Errorf("sigmoid(%v) = %v", x, y)
		}
		if d := nn.Sigmoid.D(x, y); d != d {
			t.Errorf("sigmoid'(%v) = %v", x, d)
		}
	}
	a := act(nn.Sigmoid)
	y := a.Forward(tensor.FromSlice([]float64{-1e4, 1e4}, 1, 2), true)
	if y.Data[0] != 0 || y.Data[1] != 1 {
		t.Errorf("sigmoid layer at ±1e4 = %v, want [0 1]", y.Data)
	}
	a32 := nn.NewActivation[float32](nn.Sigmoid)
	y32 := a32.Forward(tensor.FromSlice([]float32{-1e4, 1e4}, 1, 2), true)
	dx := a32.Backward(tensor.FromSlice([]float32{1, 1}, 1, 2))
	for _, v := range append(y32.Data, dx.Data...) {
		if v != v || v > 1 || v < 0 {
			t.Errorf("float32 sigmoid at ±1e4: outputs %v, gradients %v", y32.Data, dx.Data)
		}
	}
}

func TestFunctionsAndDerivatives(t *testing.T) {
	for _, f := range []nn.Func{nn.Identity, nn.Sigmoid, nn.ReLU, nn.Tanh, nn.LeakyReLU} {
		for _, x := range []float64{-2.5, -0.3, 0.7, 3} {
			h := 1e-5
			num := (f.F(x+h) - f.F(x-h)) / (2 * h)
			if d := f.D(x, f.F(x)); numgrad.RelErr(d, num) > 1e-8 {
				t.Errorf("%v'(%v) = %v, central difference %v", f, x, d, num)
			}
		}
	}
	if nn.Step.F(0.5) != 1 || nn.Step.F(-0.5) != 0 || nn.Step.F(0) != 0 || nn.Step.D(1, 1) != 0 {
		t.Error("step function")
	}
	for _, f := range []nn.Func{nn.Identity, nn.Step, nn.Sigmoid, nn.ReLU, nn.Tanh, nn.LeakyReLU} {
		if g, err := nn.ParseFunc(f.String()); err != nil || g != f {
			t.Errorf("ParseFunc(%q) = %v, %v", f.String(), g, err)
		}
	}
	if _, err := nn.ParseFunc("softplus"); err == nil {
		t.Error("unknown activation accepted")
	}
}

func TestSequentialNamesAndInit(t *testing.T) {
	s := nn.NewSequential[float64](nn.NewLinear[float64](3, 4), act(nn.ReLU), nn.NewLinear[float64](4, 2))
	var names []string
	for _, p := range s.Params() {
		names = append(names, p.Name)
	}
	if got := len(names); got != 4 || names[0] != "0.weight" || names[1] != "0.bias" || names[2] != "2.weight" || names[3] != "2.bias" {
		t.Errorf("names %v, want [0.weight 0.bias 2.weight 2.bias]", names)
	}
	l := nn.NewLinear[float64](400, 300)
	l.Reset(nn.He, rng.NewNumpy(0))
	var ss float64
	for _, v := range l.W.Value.Data {
		ss += v * v
	}
	std := ss / float64(l.W.Value.Len())
	if want := 2.0 / 400; std < 0.95*want || std > 1.05*want {
		t.Errorf("He variance %v, want about %v", std, want)
	}
	for _, s := range []string{"he", "xavier", "0.01", "std=0.1"} {
		if _, err := nn.ParseInit(s); err != nil {
			t.Errorf("ParseInit(%q): %v", s, err)
		}
	}
	if _, err := nn.ParseInit("-1"); err == nil {
		t.Error("negative std accepted")
	}
}

func TestLinearFloat32MatchesFloat64(t *testing.T) {
	r := rng.NewNumpy(5)
	l64 := linear(r, 6, 3)
	l32 := nn.NewLinear[float32](6, 3)
	copy(l32.W.Value.Data, tensor.Convert[float32](l64.W.Value).Data)
	copy(l32.B.Value.Data, tensor.Convert[float32](l64.B.Value).Data)
	x := tensor.RandN[float64](r, 1, 4, 6)
	y64 := l64.Forward(x, true)
	y32 := l32.Forward(tensor.Convert[float32](x), true)
	if d := tensor.MaxAbsDiff(tensor.Convert[float64](y32), y64); d > 1e-5 {
		t.Errorf("float32 and float64 outputs differ by %v", d)
	}
}

func TestSteadyStateAllocations(t *testing.T) {
	r := rng.NewNumpy(3)
	net := nn.NewSequential(linear(r, 4, 8), act(nn.ReLU), linear(r, 8, 3))
	var l loss.SoftmaxCrossEntropy[float64]
	x := tensor.RandN[float64](r, 1, 16, 4)
	idx, _ := classTargets(r, 16, 3)
	step := func() { l.Forward(net.Forward(x, true), idx); net.Backward(l.Backward()) }
	step()
	if n := testing.AllocsPerRun(50, step); n != 0 && !nn.RaceEnabled {
		t.Errorf("a training step allocates %v times", n)
	}
}
