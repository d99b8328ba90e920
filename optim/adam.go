package optim

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Adam combines momentum with RMSprop's scaling and corrects both moving
// averages for their start at zero (Kingma and Ba, arXiv:1412.6980; the
// book's §6.1.6 describes it and its code computes it). At step t (counting
// from 1):
//
//	η_t = η·√(1−β2^t) / (1−β1^t)
//	m ← m + (1−β1)·(g − m)
//	v ← v + (1−β2)·(g·g − v)
//	w ← w − η_t·m / (√v + ε)
//
// element by element, with m and v (buffers "m" and "v") starting at zero
// and ε = Eps unless SetEps changed it. The first two lines are m ← β1·m + (1−β1)·g and
// v ← β2·v + (1−β2)·g², rearranged as the book's code does; η_t folds both
// bias corrections into the learning rate (the paper's §2 "more efficient"
// order), which puts ε in a slightly different place than PyTorch's Adam.
// The powers β^t are rounded once (as C's pow does for the book's NumPy);
// math.Pow drifts by several ulps by t = 30.
type Adam[T tensor.Float] struct {
	base[T]
	beta1, beta2 float64
	eps          float64
	f32          bool
}

// NewAdam returns Adam with learning rate lr (DefaultAdamLR is 0.001) and
// decay rates β1 and β2 (DefaultBeta1 0.9 and DefaultBeta2 0.999). It
// panics if lr is negative or not finite, or if a beta is outside [0, 1).
func NewAdam[T tensor.Float](lr, beta1, beta2 float64) *Adam[T] {
	fraction.must("adam", "beta1", beta1)
	fraction.must("adam", "beta2", beta2)
	return &Adam[T]{base: newBase[T]("adam", lr, "m", "v"), beta1: beta1, beta2: beta2, eps: Eps}
}

// SetEps sets ε, the constant added to √v (Eps, the first book's 1e-7, by
// default; DeZero's Adam and PyTorch's use 1e-8). It panics unless eps is
// finite and positive. ε is a setting, not state: State does not carry it.
func (o *Adam[T]) SetEps(eps float64) {
	if !(eps > 0) || math.IsInf(eps, 1) {
		panic(fmt.Sprintf("optim: adam: eps = %v, want finite and > 0", eps))
	}
	o.eps = eps
}

// SetFloat32 makes Step compute as NumPy does for a program in float64
// whose parameters and moments are float32 arrays (DeZero's: its layers
// store float32, and Adam's m and v are zeros_like the parameter): m and v
// are rounded to float32 after their update (computed from the gradient
// in T), and w − η_t·m/(√v + ε) is computed in float32 arithmetic (η_t and
// ε rounded to float32) and stored as a float32 value. It changes nothing
// when T is float32. Off by default; State does not carry it.
func (o *Adam[T]) SetFloat32(on bool) { o.f32 = on }

// Eps returns ε.
func (o *Adam[T]) Eps() float64 { return o.eps }

// Betas returns β1 and β2.
func (o *Adam[T]) Betas() (beta1, beta2 float64) { return o.beta1, o.beta2 }

// Step applies Adam's update to every parameter.
func (o *Adam[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	lrt := T(o.lr * math.Sqrt(1-powInt(o.beta2, o.t)) / (1 - powInt(o.beta1, o.t)))
	c1, c2, eps := T(1-o.beta1), T(1-o.beta2), T(o.eps)
	for i, p := range params {
		if p.Grad == nil {
			continue // skipped this step (see Optimizer)
		}
		w, g, lam := p.Value.Data, p.Grad.Data[:len(p.Value.Data)], o.decay(p)
		m, v := o.slots[0][i][:len(w)], o.slots[1][i][:len(w)]
		if lam == 0 && !o.f32 {
			tensor.AdamUpdate(w, g, m, v, lrt, c1, c2, eps) // the loop's last three lines, fast
			continue
		}
		for j := range w {
			gj := g[j]
			if lam != 0 {
				gj += T(lam * w[j])
			}
			if o.f32 {
				// float64 arithmetic rounded to float32 gives float32's
				// correctly rounded +, −, ×, ÷ and √ (53 ≥ 2·24 + 2 bits).
				m[j] = T(float32(m[j] + T(c1*(gj-m[j]))))
				v[j] = T(float32(v[j] + T(c2*(T(gj*gj)-v[j]))))
				num := float32(lrt) * float32(m[j])
				den := float32(math.Sqrt(float64(v[j]))) + float32(eps)
				w[j] = T(float32(w[j]) - num/den)
				continue
			}
			m[j] += T(c1 * (gj - m[j]))
			v[j] += T(c2 * (T(gj*gj) - v[j]))
			w[j] -= lrt * m[j] / (T(math.Sqrt(float64(v[j]))) + eps)
		}
	}
}

func (o *Adam[T]) hyperparams() []hyper {
	return o.hypers(hyper{"beta1", &o.beta1, fraction}, hyper{"beta2", &o.beta2, fraction})
}

// State returns a copy of the optimizer's state.
func (o *Adam[T]) State() State { return o.state(o.hyperparams()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *Adam[T]) LoadState(s State) error { return o.load(s, o.hyperparams()) }
