package playground

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/tensor"
)

func mustLearner(t testing.TB, c Config) *learner {
	t.Helper()
	if err := c.Validate(DefaultLimits); err != nil {
		t.Fatal(err)
	}
	l, err := newLearner(c)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func train(t testing.TB, l *learner, steps int) {
	t.Helper()
	for range steps {
		if _, err := l.step(); err != nil {
			t.Fatal(err)
		}
	}
}

// weightsOf returns a copy of every parameter value.
func weightsOf(l *learner) [][]float64 {
	var w [][]float64
	for _, p := range l.net.Params() {
		w = append(w, append([]float64(nil), p.Value.Data...))
	}
	return w
}

func sameBits(a, b [][]float64) bool {
	for i := range a {
		for j := range a[i] {
			if math.Float64bits(a[i][j]) != math.Float64bits(b[i][j]) {
				return false
			}
		}
	}
	return len(a) == len(b)
}

// TestSameSeedSameBits trains two learners from the same configuration
// and checks that they agree bit for bit, and that another seed differs.
func TestSameSeedSameBits(t *testing.T) {
	for _, data := range []string{"xor4", "spiral", "gauss"} {
		c := DefaultConfig()
		c.Data, c.Noise, c.Batch = data, 0.2, 7
		a, b := mustLearner(t, c), mustLearner(t, c)
		train(t, a, 100)
		train(t, b, 100)
		if !sameBits(weightsOf(a), weightsOf(b)) {
			t.Errorf("%s: the same configuration trained to different weights", data)
		}
		c.Seed++
		d := mustLearner(t, c)
		train(t, d, 100)
		if sameBits(weightsOf(a), weightsOf(d)) {
			t.Errorf("%s: seeds %d and %d trained to the same weights", data, c.Seed-1, c.Seed)
		}
	}
}

// TestNumericalMatchesBackprop checks that the two gradient methods agree
// on the playground's network, so that switching between them changes
// only the speed.
func TestNumericalMatchesBackprop(t *testing.T) {
	c := DefaultConfig()
	c.Layers = []Layer{{5, "tanh"}, {3, "sigmoid"}}
	c.Data, c.Noise = "circle", 0.1
	l := mustLearner(t, c)
	x, y := l.loader.Next()
	l.gradient(x, y, false)
	var bp []*tensor.Tensor[float64]
	for _, p := range l.net.Params() {
		bp = append(bp, p.Grad.Clone())
	}
	l.gradient(x, y, true)
	for i, p := range l.net.Params() {
		// Central differences with h = 1e-4 are accurate to about h² times
		// the third derivative; 1e-6 relative leaves room for that.
		for j, g := range p.Grad.Data {
			if d := math.Abs(g - bp[i].Data[j]); d > 1e-6*max(1, math.Abs(g)) {
				t.Fatalf("%s[%d]: numerical %v, backprop %v", p.Name, j, g, bp[i].Data[j])
			}
		}
	}
}

// TestLearnsXOR checks the newcomer's promise: the default network learns
// the tutorial's four XOR points, and the noisy XOR set, in a few hundred
// steps (seconds on the page at 10 steps per update).
func TestLearnsXOR(t *testing.T) {
	for _, data := range []string{"xor4", "xor"} {
		c := DefaultConfig()
		c.Data = data
		l := mustLearner(t, c)
		train(t, l, 600)
		_, acc := l.evaluate(l.train)
		if acc < 0.97 {
			t.Errorf("%s: training accuracy %v after 600 steps", data, acc)
		}
		if l.test != nil {
			if _, acc := l.evaluate(l.test); acc < 0.9 {
				t.Errorf("%s: test accuracy %v after 600 steps", data, acc)
			}
		}
	}
}

func TestL1(t *testing.T) {
	w := nn.NewParam("w", tensor.FromSlice([]float64{-2, 0, 3}), true)
	b := nn.NewParam("b", tensor.FromSlice([]float64{-1, 1}), false)
	w.Grad.Fill(1)
	optim.AddL1([]*nn.Param[float64]{w, b}, 0.5)
	if got := w.Grad.Data; got[0] != 0.5 || got[1] != 1 || got[2] != 1.5 {
		t.Errorf("weight gradient %v after L1 0.5, want [0.5 1 1.5]", got)
	}
	if got := b.Grad.Data; got[0] != 0 || got[1] != 0 {
		t.Errorf("bias gradient %v: biases are not regularized", got)
	}
}

// TestRegularizationShrinksWeights checks that L1 and L2 give smaller
// weights than no regularization after the same steps.
func TestRegularizationShrinksWeights(t *testing.T) {
	norm := func(reg string) float64 {
		c := DefaultConfig()
		c.Reg, c.RegRate = reg, 0.03
		l := mustLearner(t, c)
		train(t, l, 300)
		var s float64
		for _, p := range l.net.Params() {
			if p.Decay {
				for _, v := range p.Value.Data {
					s += math.Abs(v)
				}
			}
		}
		return s
	}
	none := norm("none")
	for _, reg := range []string{"l1", "l2"} {
		if n := norm(reg); !(n < 0.9*none) {
			t.Errorf("%s: ‖W‖₁ = %v, want well below %v without regularization", reg, n, none)
		}
	}
}

// TestDivergenceStops checks that a step whose loss is not finite is
// refused: an error, no update, no step counted.
func TestDivergenceStops(t *testing.T) {
	l := mustLearner(t, DefaultConfig())
	train(t, l, 5)
	l.linears[0].W.Value.Data[0] = math.NaN() // as if a large learning rate had blown it up
	before := weightsOf(l)
	_, err := l.step()
	if err == nil {
		t.Fatal("no error from a step with a NaN weight")
	}
	if l.steps != 5 || !sameBits(before, weightsOf(l)) {
		t.Errorf("the failed step counted (%d steps) or changed the weights", l.steps)
	}
}

func TestMakePoints(t *testing.T) {
	c := DefaultConfig()
	c.Data, c.Points, c.TestRatio = "circle", 101, 0.3
	pts, err := makePoints(&c)
	if err != nil {
		t.Fatal(err)
	}
	test := 0
	for _, p := range pts {
		if p.Test {
			test++
		}
	}
	if len(pts) != 101 || test != 30 {
		t.Errorf("%d points, %d for testing; want 101 and round(0.3·101) = 30", len(pts), test)
	}
	l := mustLearner(t, c)
	if l.train.Len() != 71 || l.test.Len() != 30 {
		t.Errorf("sets of %d and %d", l.train.Len(), l.test.Len())
	}
}

func TestPointEdit(t *testing.T) {
	pts := []Point{{0, 0, 0, false, 0}, {1, 1, 1, false, 0}}
	lim := DefaultLimits
	got, err := PointEdit{Action: "remove", X: 0.6, Y: 0.6, Radius: 1}.apply(pts, lim)
	if err != nil || len(got) != 1 || got[0] != pts[0] {
		t.Errorf("remove near (0.6, 0.6): %v, %v; want only (0, 0) left", got, err)
	}
	got, _ = PointEdit{Action: "remove", X: 5, Y: 5, Radius: 1}.apply(pts, lim)
	if len(got) != 2 {
		t.Errorf("remove far from every point removed one: %v", got)
	}
	got, _ = PointEdit{Action: "add", X: 2, Y: 3, Label: 1, Test: true}.apply(pts, lim)
	if len(got) != 3 || got[2] != (Point{2, 3, 1, true, 0}) || len(pts) != 2 {
		t.Errorf("add: %v (input now %v)", got, pts)
	}
	for _, e := range []PointEdit{
		{Action: "add", X: math.NaN()},
		{Action: "add", Label: lim.MaxClasses},
		{Action: "remove", Radius: math.Inf(1)},
		{Action: "paint"},
	} {
		if _, err := e.apply(pts, lim); err == nil {
			t.Errorf("%+v: no error", e)
		}
	}
}
