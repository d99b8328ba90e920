package optim

import (
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// AdaGrad adapts the step of each element to the sum of its squared
// gradients, the book's equations (6.5) and (6.6) with the book's code's ε:
//
//	h ← h + g·g
//	w ← w − η·g / (√h + ε)
//
// element by element, with h (buffer "h") starting at zero and ε = Eps.
type AdaGrad[T tensor.Float] struct {
	base[T]
}

// NewAdaGrad returns AdaGrad with learning rate lr (the book's default is
// 0.01). It panics if lr is negative or not finite.
func NewAdaGrad[T tensor.Float](lr float64) *AdaGrad[T] {
	return &AdaGrad[T]{base: newBase[T]("adagrad", lr, "h")}
}

// Step applies h ← h + g·g; w ← w − η·g/(√h + ε) to every parameter.
func (o *AdaGrad[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	lr, eps := T(o.lr), T(Eps)
	for i, p := range params {
		if p.Grad == nil {
			continue // skipped this step (see Optimizer)
		}
		w, g, lam := p.Value.Data, p.Grad.Data[:len(p.Value.Data)], o.decay(p)
		h := o.slots[0][i][:len(w)]
		for j := range w {
			gj := g[j]
			if lam != 0 {
				gj += T(lam * w[j])
			}
			h[j] += T(gj * gj)
			w[j] -= lr * gj / (T(math.Sqrt(float64(h[j]))) + eps)
		}
	}
}

// State returns a copy of the optimizer's state.
func (o *AdaGrad[T]) State() State { return o.state(o.hypers()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *AdaGrad[T]) LoadState(s State) error { return o.load(s, o.hypers()) }
