package optim

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Momentum is SGD with momentum, the book's equations (6.3) and (6.4):
//
//	v ← α·v − η·g
//	w ← w + v
//
// element by element, with v (buffer "v") starting at zero. This is the
// book's form; PyTorch's SGD(momentum=α) keeps b = v/(−η) and gives the same
// path while η is constant.
type Momentum[T tensor.Float] struct {
	base[T]
	momentum float64
}

// NewMomentum returns Momentum with learning rate lr and momentum α
// (DefaultMomentum is 0.9). It panics if lr is negative or not finite, or
// if momentum is outside [0, 1).
func NewMomentum[T tensor.Float](lr, momentum float64) *Momentum[T] {
	fraction.must("momentum", "momentum", momentum)
	return &Momentum[T]{base: newBase[T]("momentum", lr, "v"), momentum: momentum}
}

// Momentum returns α.
func (o *Momentum[T]) Momentum() float64 { return o.momentum }

// Step applies v ← α·v − η·g; w ← w + v to every parameter.
func (o *Momentum[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	lr, a := T(o.lr), T(o.momentum)
	for i, p := range params {
		if p.Grad == nil {
			continue // skipped this step (see Optimizer)
		}
		w, g, lam := p.Value.Data, p.Grad.Data[:len(p.Value.Data)], o.decay(p)
		v := o.slots[0][i][:len(w)]
		for j := range w {
			gj := g[j]
			if lam != 0 {
				gj += T(lam * w[j])
			}
			v[j] = T(a*v[j]) - T(lr*gj)
			w[j] += v[j]
		}
	}
}

func (o *Momentum[T]) hyperparams() []hyper {
	return o.hypers(hyper{"momentum", &o.momentum, fraction})
}

// State returns a copy of the optimizer's state.
func (o *Momentum[T]) State() State { return o.state(o.hyperparams()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *Momentum[T]) LoadState(s State) error { return o.load(s, o.hyperparams()) }
