package nn_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// recurrentLayer is what the three recurrent kinds share.
type recurrentLayer[T tensor.Float] interface {
	nn.Layer[T]
	SetState(h, c *tensor.Tensor[T])
	ResetState()
	State() (h, c *tensor.Tensor[T])
	StateGrad() (dh0, dc0 *tensor.Tensor[T])
	Dropouts() []*nn.Dropout[T]
	Reset(nn.Init, *rng.MT)
}

func newRecurrent[T tensor.Float](kind string, s nn.RecurrentSpec, r *rng.MT) recurrentLayer[T] {
	var l recurrentLayer[T]
	switch kind {
	case "lstm":
		l = nn.NewLSTM[T](s, r)
	case "gru":
		l = nn.NewGRU[T](s, r)
	default:
		l = nn.NewRNN[T](s, r)
	}
	l.Reset(nn.Xavier, r)
	return l
}

// recurrentH is the step of the central differences: 1e-5 rather than
// numgrad.H, since five steps of recurrence compose five layers whose
// third derivatives make the truncation error (about h²·f‴/6) of h = 1e-4
// reach 4e-7 relative on the RNN; rounding at h = 1e-5 stays near 1e-11
// absolute.
const recurrentH = 1e-5

// TestRecurrentGradients checks every recurrent kind over 5 time steps
// against central differences (h = recurrentH, float64): the weights and biases
// of each stacked layer, the input, and the initial state h0 (and c0),
// whose gradient carries the error through every step. The tolerance is
// the single layers' 1e-7 for one layer and deepTolerance for stacks,
// whose compositions have larger third derivatives.
func TestRecurrentGradients(t *testing.T) {
	for _, kind := range []string{"rnn", "lstm", "gru"} {
		for _, s := range []nn.RecurrentSpec{
			{In: 3, Hidden: 4},
			{In: 3, Hidden: 4, Layers: 2, Dropout: 0.3},
		} {
			t.Run(fmt.Sprintf("%s/%d layers", kind, s.Layers), func(t *testing.T) {
				r := rng.NewNumpy(7)
				l := newRecurrent[float64](kind, s, r)
				for _, p := range l.Params() {
					if p.Name[:4] == "bias" {
						tensor.FillNormal(p.Value, r, 0, 0.1)
					}
				}
				for _, d := range l.Dropouts() {
					d.Freeze()
				}
				const n, steps = 2, 5
				L := max(s.Layers, 1)
				h0 := tensor.RandN[float64](r, 0.5, L, n, s.Hidden)
				c0 := tensor.RandN[float64](r, 0.5, L, n, s.Hidden)
				l.SetState(h0, c0)
				x := tensor.RandN[float64](r, 1, n, steps, s.In)
				target := tensor.RandN[float64](r, 0.5, n, steps, s.Hidden)
				tol := 1e-7
				if s.Layers > 1 {
					tol = deepTolerance
				}
				for _, res := range numgrad.Check[float64](l, &loss.MSE[float64]{}, x, target, true, recurrentH) {
					if !(res.MaxRelErr < tol) {
						t.Errorf("%s: max relative error %.3g (abs %.3g), want < %g", res.Name, res.MaxRelErr, res.MaxAbsErr, tol)
					}
				}
				if e := numgrad.CheckInput[float64](l, &loss.MSE[float64]{}, x, target, true, recurrentH); !(e < tol) {
					t.Errorf("input gradient: max relative error %.3g, want < %g", e, tol)
				}
				// The initial state's gradient.
				var lf loss.MSE[float64]
				lf.Forward(l.Forward(x, true), target)
				l.Backward(lf.Backward())
				dh0, dc0 := l.StateGrad()
				dh0, dc0 = dh0.Clone(), dc0.Clone()
				f := func() float64 {
					l.SetState(h0, c0)
					return lf.Forward(l.Forward(x, true), target)
				}
				states := []struct {
					name string
					v, g *tensor.Tensor[float64]
				}{{"h0", h0, dh0}}
				if kind == "lstm" {
					states = append(states, struct {
						name string
						v, g *tensor.Tensor[float64]
					}{"c0", c0, dc0})
				}
				for _, st := range states {
					num := numgrad.GradientTo(tensor.New[float64](st.v.Shape()...), f, st.v, recurrentH)
					worst := 0.0
					for i := range num.Data {
						worst = max(worst, numgrad.RelErr(num.Data[i], st.g.Data[i]))
					}
					if !(worst < tol) {
						t.Errorf("%s gradient: max relative error %.3g, want < %g", st.name, worst, tol)
					}
				}
			})
		}
	}
}

// TestRecurrentCarriesState runs a Stateful layer over two windows and
// checks its outputs equal one run over the whole sequence; ResetState
// starts again from zeros.
func TestRecurrentCarriesState(t *testing.T) {
	for _, kind := range []string{"rnn", "lstm", "gru"} {
		r := rng.NewNumpy(3)
		s := nn.RecurrentSpec{In: 2, Hidden: 3, Layers: 2}
		whole := newRecurrent[float64](kind, s, rng.NewNumpy(5))
		parts := newRecurrent[float64](kind, s, rng.NewNumpy(5))
		setStateful(parts)
		const n, steps = 2, 6
		x := tensor.RandN[float64](r, 1, n, steps, 2)
		y := whole.Forward(x, false).Clone()
		half := func(k int) *tensor.Tensor[float64] {
			out := tensor.New[float64](n, steps/2, 2)
			for b := 0; b < n; b++ {
				copy(out.Data[b*steps/2*2:(b+1)*steps/2*2], x.Data[(b*steps+k*steps/2)*2:(b*steps+(k+1)*steps/2)*2])
			}
			return out
		}
		for k := 0; k < 2; k++ {
			got := parts.Forward(half(k), false)
			for b := 0; b < n; b++ {
				for tt := 0; tt < steps/2; tt++ {
					for j := 0; j < 3; j++ {
						want := y.At(b, k*steps/2+tt, j)
						if g := got.At(b, tt, j); g != want {
							t.Fatalf("%s: window %d case %d step %d unit %d: %v, one run gives %v", kind, k, b, tt, j, g, want)
						}
					}
				}
			}
		}
		parts.ResetState()
		got := parts.Forward(half(0), false)
		if got.At(1, 2, 2) != y.At(1, 2, 2) {
			t.Errorf("%s: after ResetState the first window gives %v, want %v", kind, got.At(1, 2, 2), y.At(1, 2, 2))
		}
	}
}

func setStateful[T tensor.Float](l recurrentLayer[T]) {
	switch l := l.(type) {
	case *nn.LSTM[T]:
		l.Stateful = true
	case *nn.GRU[T]:
		l.Stateful = true
	case *nn.RNN[T]:
		l.Stateful = true
	}
}

// TestRecurrentAllocatesNothing: a training step of a stateful float32
// LSTM stack allocates nothing once its shapes are seen.
func TestRecurrentAllocatesNothing(t *testing.T) {
	r := rng.NewNumpy(1)
	l := nn.NewLSTM[float32](nn.RecurrentSpec{In: 8, Hidden: 16, Layers: 2, Dropout: 0.5}, r)
	l.Reset(nn.Xavier, r)
	l.Stateful = true
	x := tensor.RandN[float32](r, 1, 4, 7, 8)
	dy := tensor.RandN[float32](r, 1, 4, 7, 16)
	step := func() {
		l.Forward(x, true)
		l.Backward(dy)
	}
	step()
	if n := testing.AllocsPerRun(20, step); n != 0 && !nn.RaceEnabled {
		t.Errorf("a training step allocates %v times", n)
	}
}

func TestRecurrentSpecs(t *testing.T) {
	for _, tt := range []struct {
		json string
		out  []int
		err  bool
	}{
		{`{"input": [35, 100], "layers": [{"type": "lstm", "in": 100, "hidden": 50, "layers": 2, "dropout": 0.5}]}`, []int{35, 50}, false},
		{`{"input": [7, 3], "layers": [{"type": "gru", "in": 3, "hidden": 5}]}`, []int{7, 5}, false},
		{`{"input": [7, 3], "layers": [{"type": "rnn", "in": 4, "hidden": 5}]}`, nil, true},
		{`{"input": [7, 3], "layers": [{"type": "lstm", "in": 3, "hidden": 5, "dropout": 1}]}`, nil, true},
		{`{"input": [7, 3], "layers": [{"type": "lstm", "in": 3, "hidden": 0}]}`, nil, true},
	} {
		var s nn.Spec
		err := json.Unmarshal([]byte(tt.json), &s)
		if err == nil {
			var out []int
			out, err = s.Validate(nil)
			if err == nil && fmt.Sprint(out) != fmt.Sprint(tt.out) {
				t.Errorf("%s: output %v, want %v", tt.json, out, tt.out)
			}
		}
		if (err != nil) != tt.err {
			t.Errorf("%s: error %v, want error %v", tt.json, err, tt.err)
		}
	}
}
