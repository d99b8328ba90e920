package optim

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Nesterov is Nesterov's accelerated gradient exactly as the book's code
// writes it (common/optimizer.py, which cites Bengio et al. 2012,
// arXiv:1212.0901; the book's text names the method without a formula):
//
//	v ← α·v − η·g
//	w ← w + α²·v − (1+α)·η·g
//
// element by element, with v (buffer "v") starting at zero. The second line
// uses the v just updated. In Bengio et al.'s reformulation, which PyTorch's
// SGD(nesterov=True) computes, it is the v from before the update:
// w ← w + α²·v_old − (1+α)·η·g, that is w ← w + α·v_new − η·g. Expanded,
// the book's step is w ← w + α³·v_old − (1+α+α²)·η·g against the paper's
// w ← w + α²·v_old − (1+α)·η·g: a longer step along the gradient and a
// shorter one along the velocity. kiso follows the book's code, so that its
// paths match the book's.
type Nesterov[T tensor.Float] struct {
	base[T]
	momentum float64
}

// NewNesterov returns Nesterov with learning rate lr and momentum α
// (DefaultMomentum is 0.9). It panics if lr is negative or not finite, or
// if momentum is outside [0, 1).
func NewNesterov[T tensor.Float](lr, momentum float64) *Nesterov[T] {
	fraction.must("nesterov", "momentum", momentum)
	return &Nesterov[T]{base: newBase[T]("nesterov", lr, "v"), momentum: momentum}
}

// Momentum returns α.
func (o *Nesterov[T]) Momentum() float64 { return o.momentum }

// Step applies the book's Nesterov update to every parameter.
func (o *Nesterov[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	// The book's scalars are Python floats, multiplied before they meet
	// the arrays: α·α and (1+α)·η are rounded once each.
	lr, a := T(o.lr), T(o.momentum)
	a2, c := T(o.momentum*o.momentum), T((1+o.momentum)*o.lr)
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
			w[j] += T(a2 * v[j])
			w[j] -= T(c * gj)
		}
	}
}

func (o *Nesterov[T]) hyperparams() []hyper {
	return o.hypers(hyper{"momentum", &o.momentum, fraction})
}

// State returns a copy of the optimizer's state.
func (o *Nesterov[T]) State() State { return o.state(o.hyperparams()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *Nesterov[T]) LoadState(s State) error { return o.load(s, o.hyperparams()) }
