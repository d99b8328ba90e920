package optim

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// AdamW is Adam with decoupled weight decay (Loshchilov and Hutter,
// arXiv:1711.05101), computed as PyTorch's torch.optim.AdamW computes it.
// At step t (counting from 1), for each parameter with p.Decay set:
//
//	w ← w·(1 − η·λ)
//
// and then for every parameter:
//
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + (1−β2)·g²
//	w ← w − η/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
//
// element by element, with m and v (buffers "m" and "v") starting at zero.
// The decay shrinks the weight itself rather than adding λ·w to the
// gradient, so it is not scaled by Adam's per-element step as Adam's L2
// decay (SetWeightDecay on Adam) is. nanoGPT decays the parameters of two
// or more dimensions (matrices and embeddings) and no others; nn layers
// mark them with Decay. ε is 1e-8 (PyTorch's) unless SetEps changes it.
type AdamW[T tensor.Float] struct {
	base[T]
	beta1, beta2 float64
	eps          float64
}

// AdamWEps is AdamW's default ε, PyTorch's.
const AdamWEps = 1e-8

// NewAdamW returns AdamW with learning rate lr, decay rates beta1 and
// beta2 (nanoGPT uses 0.9 and 0.95, its CPU example and the anchor 0.9
// and 0.99) and decoupled weight decay weightDecay (nanoGPT's 0.1). It
// panics if lr or weightDecay is negative or not finite, or if a beta is
// outside [0, 1).
func NewAdamW[T tensor.Float](lr, beta1, beta2, weightDecay float64) *AdamW[T] {
	fraction.must("adamw", "beta1", beta1)
	fraction.must("adamw", "beta2", beta2)
	o := &AdamW[T]{base: newBase[T]("adamw", lr, "m", "v"), beta1: beta1, beta2: beta2, eps: AdamWEps}
	o.SetWeightDecay(weightDecay)
	return o
}

// SetEps sets ε, added to the corrected √v. It panics unless eps is finite
// and positive.
func (o *AdamW[T]) SetEps(eps float64) {
	if !(eps > 0) || math.IsInf(eps, 1) {
		panic(fmt.Sprintf("optim: adamw: eps = %v, want finite and > 0", eps))
	}
	o.eps = eps
}

// Betas returns β1 and β2.
func (o *AdamW[T]) Betas() (beta1, beta2 float64) { return o.beta1, o.beta2 }

// Step applies AdamW's update to every parameter with a gradient.
func (o *AdamW[T]) Step(params []*nn.Param[T]) {
	o.begin(params)
	bc1 := 1 - powInt(o.beta1, o.t)
	bc2 := T(math.Sqrt(1 - powInt(o.beta2, o.t)))
	step := T(o.lr / bc1)
	c1, c2, eps := T(1-o.beta1), T(1-o.beta2), T(o.eps)
	b1, b2 := T(o.beta1), T(o.beta2)
	for i, p := range params {
		if p.Grad == nil {
			continue
		}
		w, g := p.Value.Data, p.Grad.Data[:len(p.Value.Data)]
		m, v := o.slots[0][i][:len(w)], o.slots[1][i][:len(w)]
		if p.Decay && o.wd != 0 {
			shrink := T(1 - o.lr*o.wd) // PyTorch's param.mul_(1 - lr·weight_decay)
			for j := range w {
				w[j] *= shrink
			}
		}
		tensor.AdamWUpdate(w, g, m, v, step, b1, c1, b2, c2, bc2, eps)
	}
}

func (o *AdamW[T]) hyperparams() []hyper {
	return o.hypers(hyper{"beta1", &o.beta1, fraction}, hyper{"beta2", &o.beta2, fraction}, hyper{"eps", &o.eps, rate})
}

// State returns a copy of the optimizer's state.
func (o *AdamW[T]) State() State { return o.state(o.hyperparams()) }

// LoadState replaces the optimizer's state by s; see Optimizer.
func (o *AdamW[T]) LoadState(s State) error { return o.load(s, o.hyperparams()) }

// ClipGradNorm scales every gradient by maxNorm/‖g‖ when the global norm
// ‖g‖ (the square root of the sum of the squares of every element of
// every gradient, taken in float64) exceeds maxNorm, as PyTorch's
// clip_grad_norm_ does (which divides by ‖g‖ + 1e-6), and returns ‖g‖
// before clipping. Parameters without a gradient are skipped. It panics if
// maxNorm is not positive.
func ClipGradNorm[T tensor.Float](params []*nn.Param[T], maxNorm float64) float64 {
	if !(maxNorm > 0) {
		panic(fmt.Sprintf("optim: ClipGradNorm(%v): the norm must be positive", maxNorm))
	}
	var s float64
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		for _, v := range p.Grad.Data {
			s += float64(v) * float64(v)
		}
	}
	norm := math.Sqrt(s)
	if coef := maxNorm / (norm + 1e-6); coef < 1 {
		for _, p := range params {
			if p.Grad != nil {
				tensor.ScaleTo(p.Grad, T(coef), p.Grad)
			}
		}
	}
	return norm
}

// WarmupCosine is nanoGPT's learning-rate schedule: a linear warmup over
// Warmup steps, then half a cosine from Base down to Min at step Decay,
// then Min:
//
//	lr(step) = Base·(step+1)/(Warmup+1)                   step < Warmup
//	lr(step) = Min + (Base − Min)·(1 + cos(π·r))/2       r = (step−Warmup)/(Decay−Warmup), step ≤ Decay
//	lr(step) = Min                                        step > Decay
type WarmupCosine struct {
	Base, Min     float64
	Warmup, Decay int
}

// LR returns the learning rate of step (from 0). It panics if step is
// negative or Decay ≤ Warmup.
func (s WarmupCosine) LR(step int) float64 {
	mustStep(step)
	if s.Decay <= s.Warmup || s.Warmup < 0 {
		panic(fmt.Sprintf("optim: WarmupCosine warmup %d, decay %d: want 0 ≤ warmup < decay", s.Warmup, s.Decay))
	}
	if step < s.Warmup {
		return s.Base * float64(step+1) / float64(s.Warmup+1)
	}
	if step > s.Decay {
		return s.Min
	}
	r := float64(step-s.Warmup) / float64(s.Decay-s.Warmup)
	return s.Min + 0.5*(1+math.Cos(math.Pi*r))*(s.Base-s.Min)
}
