package optim

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// SGD is stochastic gradient descent, the book's equation (6.1):
//
//	w ← w − η·g
//
// for each element w of a parameter and g of its gradient (g + λ·w with
// weight decay). It keeps no state beyond the step count.
type SGD[T tensor.Float] struct {
	base[T]
}

// NewSGD returns plain SGD with learning rate lr (the book's default is
// 0.01). It panics if lr is negative or not finite.
func NewSGD[T tensor.Float](lr float64) *SGD[T] {
	return &SGD[T]{base: newBase[T]("sgd", lr)}
}

// Step applies w ← w − η·g to every parameter.
func (o *SGD[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	lr := T(o.lr)
	for _, p := range params {
		if p.Grad == nil {
			continue // skipped this step (see Optimizer)
		}
		w, g, lam := p.Value.Data, p.Grad.Data[:len(p.Value.Data)], o.decay(p)
		if lam == 0 {
			// w + (−η)·g has the bits of w − η·g (negation is exact), and
			// AddScaled runs it eight elements at a time where it can.
			tensor.AddScaled(p.Value, -lr, p.Grad)
			continue
		}
		for j := range w {
			gj := g[j]
			if lam != 0 {
				gj += T(lam * w[j])
			}
			w[j] -= T(lr * gj)
		}
	}
}

// State returns a copy of the optimizer's state.
func (o *SGD[T]) State() State { return o.state(o.hypers()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *SGD[T]) LoadState(s State) error { return o.load(s, o.hypers()) }
