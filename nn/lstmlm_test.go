package nn_test

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// ceLoss returns the mean softmax cross-entropy of logits [n, V] against
// targets and its gradient.
func ceLoss(logits *tensor.Tensor[float64], targets []int) (float64, *tensor.Tensor[float64]) {
	v := logits.Dim(-1)
	n := logits.Len() / v
	d := tensor.New[float64](logits.Shape()...)
	var total float64
	for i, y := range targets {
		x, g := logits.Data[i*v:(i+1)*v], d.Data[i*v:(i+1)*v]
		m := x[0]
		for _, e := range x {
			m = max(m, e)
		}
		var s float64
		for j, e := range x {
			g[j] = math.Exp(e - m)
			s += g[j]
		}
		total += m + math.Log(s) - x[y]
		for j := range g {
			g[j] /= s * float64(n)
		}
		g[y] -= 1 / float64(n)
	}
	return total / float64(n), d
}

// TestLSTMLMGradients checks every parameter of the simple model and of
// the better one (2 layers, dropout with frozen masks, tied weights) in
// float64 against central differences (h 1e-5, as the recurrent layers'
// checks: 4 steps of 2 stacked LSTMs), each Forward from a zero state.
// Tolerance 1e-6 relative (numgrad.RelErr).
func TestLSTMLMGradients(t *testing.T) {
	for _, c := range []nn.LSTMLMConfig{
		{Vocab: 7, Embed: 3, Hidden: 4},
		{Vocab: 7, Embed: 4, Hidden: 4, Layers: 2, Dropout: 0.3, Tie: true},
	} {
		r := rng.NewNumpy(9)
		m := nn.NewLSTMLM[float64](c, r)
		for _, p := range m.Params() {
			tensor.FillNormal(p.Value, r, 0, 0.5)
		}
		ids, targets := make([]int, 8), make([]int, 8)
		for i := range ids {
			ids[i], targets[i] = r.Below(7), r.Below(7)
		}
		m.ResetState()
		m.Forward(ids, 2, 4, true)
		for _, d := range m.Dropouts() {
			d.Freeze()
		}
		f := func() float64 {
			m.ResetState()
			l, _ := ceLoss(m.Forward(ids, 2, 4, true), targets)
			return l
		}
		m.ResetState()
		_, d := ceLoss(m.Forward(ids, 2, 4, true), targets)
		m.Backward(d)
		worst := 0.0
		for _, p := range m.Params() {
			got := p.Grad.Clone()
			want := numgrad.GradientTo(tensor.New[float64](p.Value.Shape()...), f, p.Value, 1e-5)
			for i := range want.Data {
				e := numgrad.RelErr(got.Data[i], want.Data[i])
				worst = max(worst, e)
				if e > 1e-6 {
					t.Fatalf("%+v: %s[%d]: backprop %v, numerical %v", c, p.Name, i, got.Data[i], want.Data[i])
				}
			}
		}
		t.Logf("%+v: largest relative error %.3g", c, worst)
	}
}

// TestLSTMLMCarriesState checks truncated backpropagation's forward half:
// two Forwards of 3 and 2 steps give the logits one Forward of 5 gives.
func TestLSTMLMCarriesState(t *testing.T) {
	r := rng.NewNumpy(2)
	m := nn.NewLSTMLM[float64](nn.LSTMLMConfig{Vocab: 6, Embed: 3, Hidden: 5}, r)
	ids := []int{1, 2, 3, 4, 5, 0, 1, 2, 3, 4}
	m.ResetState()
	whole := m.Forward(ids, 2, 5, false).Clone()
	m.ResetState()
	a := m.Forward([]int{1, 2, 3, 0, 1, 2}, 2, 3, false).Clone()
	b := m.Forward([]int{4, 5, 3, 4}, 2, 2, false)
	for row := 0; row < 2; row++ {
		for s := 0; s < 5; s++ {
			var got []float64
			if s < 3 {
				got = a.Data[(row*3+s)*6 : (row*3+s+1)*6]
			} else {
				got = b.Data[(row*2+s-3)*6 : (row*2+s-2)*6]
			}
			want := whole.Data[(row*5+s)*6 : (row*5+s+1)*6]
			for j := range got {
				if math.Abs(got[j]-want[j]) > 1e-12 {
					t.Fatalf("row %d step %d: %v, want %v", row, s, got, want)
				}
			}
		}
	}
}
