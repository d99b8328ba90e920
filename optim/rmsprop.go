package optim

import (
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// RMSprop is AdaGrad with an exponentially decaying mean of the squared
// gradients in place of their sum, as the book describes it beside AdaGrad
// (§6.1.5) and its code computes it:
//
//	h ← ρ·h + (1−ρ)·g·g
//	w ← w − η·g / (√h + ε)
//
// element by element, with h (buffer "h") starting at zero and ε = Eps. This
// is PyTorch's RMSprop(alpha=ρ, eps=1e-7).
type RMSprop[T tensor.Float] struct {
	base[T]
	decayRate float64
}

// NewRMSprop returns RMSprop with learning rate lr (the book's default is
// 0.01) and decay rate ρ (DefaultDecay is 0.99). It panics if lr is
// negative or not finite, or if decay is outside [0, 1).
func NewRMSprop[T tensor.Float](lr, decay float64) *RMSprop[T] {
	fraction.must("rmsprop", "decay", decay)
	return &RMSprop[T]{base: newBase[T]("rmsprop", lr, "h"), decayRate: decay}
}

// Decay returns ρ.
func (o *RMSprop[T]) Decay() float64 { return o.decayRate }

// Step applies h ← ρ·h + (1−ρ)·g·g; w ← w − η·g/(√h + ε) to every parameter.
func (o *RMSprop[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	lr, eps := T(o.lr), T(Eps)
	rho, c := T(o.decayRate), T(1-o.decayRate)
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
			h[j] = T(h[j] * rho) // not fused with the next line
			h[j] += T(c * gj * gj)
			w[j] -= lr * gj / (T(math.Sqrt(float64(h[j]))) + eps)
		}
	}
}

func (o *RMSprop[T]) hyperparams() []hyper {
	return o.hypers(hyper{"decay", &o.decayRate, fraction})
}

// State returns a copy of the optimizer's state.
func (o *RMSprop[T]) State() State { return o.state(o.hyperparams()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *RMSprop[T]) LoadState(s State) error { return o.load(s, o.hyperparams()) }
