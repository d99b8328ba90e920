package optim

import (
	"testing"

	"github.com/kiso-go/kiso/tensor"
)

// TestWeightDecayOnlyWeights steps every optimizer with zero gradients and
// λ = 0.5: parameters marked Decay (the weight) must move towards zero
// (RMSprop's first step, 10η, may overshoot it),
// the others (the bias) must not move, and no gradient may change. For SGD
// the new weight is checked against the formula, w − η·λ·w.
func TestWeightDecayOnlyWeights(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			eachType(t,
				func(t *testing.T) { checkDecay[float32](t, name) },
				func(t *testing.T) { checkDecay[float64](t, name) })
		})
	}
}

func checkDecay[T tensor.Float](t *testing.T, name string) {
	const lr, lambda = 0.1, 0.5
	params := testParams[T](4)
	w0, b0 := params[0].Value.Clone(), params[1].Value.Clone()
	o, err := New[T](name, lr)
	if err != nil {
		t.Fatal(err)
	}
	o.SetWeightDecay(lambda)
	if o.WeightDecay() != lambda {
		t.Fatalf("WeightDecay() = %v, want %v", o.WeightDecay(), lambda)
	}
	o.Step(params)
	for _, p := range params {
		for j, g := range p.Grad.Data {
			if g != 0 {
				t.Fatalf("Step changed %s.Grad[%d] to %v", p.Name, j, g)
			}
		}
	}
	if d := tensor.MaxAbsDiff(params[1].Value, b0); d != 0 {
		t.Errorf("bias moved by %v under weight decay with zero gradient", d)
	}
	for j, w := range params[0].Value.Data {
		before := w0.Data[j]
		if !(float64(w-before)*float64(before) < 0) {
			t.Errorf("weight[%d] went from %v to %v, want a move towards 0", j, before, w)
		}
		if name == "sgd" {
			want := float64(before) - lr*lambda*float64(before)
			if !close(float64(w), want, 1e-6) {
				t.Errorf("weight[%d] = %v, want w − η·λ·w = %v", j, w, want)
			}
		}
	}
}

// TestNoDecayByDefault checks that with λ left at 0 and zero gradients
// nothing moves.
func TestNoDecayByDefault(t *testing.T) {
	for _, name := range Names() {
		params := testParams[float64](4)
		before := []*tensor.Tensor[float64]{params[0].Value.Clone(), params[1].Value.Clone()}
		o, _ := New[float64](name, 0.1)
		o.Step(params)
		for i, p := range params {
			if d := tensor.MaxAbsDiff(p.Value, before[i]); d != 0 {
				t.Errorf("%s: %s moved by %v with zero gradient and no decay", name, p.Name, d)
			}
		}
	}
}
