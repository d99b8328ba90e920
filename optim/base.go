package optim

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// base holds what every optimizer shares: its name, learning rate, weight
// decay, step counter and per-parameter buffers. The concrete optimizers
// embed it and add their own hyperparameters and Step.
type base[T tensor.Float] struct {
	name string
	lr   float64
	wd   float64
	t    int

	// slotNames names the per-parameter buffers ("v"; "h"; "m", "v").
	// slots[k][i] is buffer k of parameter i, as long as its value; slots[k]
	// is nil until the first Step or LoadState sets it.
	slotNames []string
	slots     [][][]T
}

func newBase[T tensor.Float](name string, lr float64, slotNames ...string) base[T] {
	rate.must(name, "lr", lr)
	return base[T]{name: name, lr: lr, slotNames: slotNames, slots: make([][][]T, len(slotNames))}
}

// Name returns the optimizer's name as New accepts it.
func (b *base[T]) Name() string { return b.name }

// LR returns the learning rate η.
func (b *base[T]) LR() float64 { return b.lr }

// SetLR sets the learning rate η used by the following Steps. It panics if
// lr is negative, infinite or NaN.
func (b *base[T]) SetLR(lr float64) {
	rate.must(b.name, "lr", lr)
	b.lr = lr
}

// WeightDecay returns the L2 weight-decay coefficient λ.
func (b *base[T]) WeightDecay() float64 { return b.wd }

// SetWeightDecay sets the L2 weight-decay coefficient λ (0, the default,
// turns it off). It panics if lambda is negative, infinite or NaN.
//
// Weight decay adds ½λ‖W‖² to the loss for every weight W (book §6.4.2),
// so Step uses the gradient g + λ·w in place of g for each parameter with
// p.Decay set (weights, not biases), in every formula of the optimizer. The
// book adds λW to the weight gradients before calling update; Step computes
// the sum element by element instead and leaves p.Grad unchanged. This is
// PyTorch's weight_decay (coupled L2, not AdamW's decoupled decay), applied
// only to the parameters marked for it.
func (b *base[T]) SetWeightDecay(lambda float64) {
	rate.must(b.name, "weight_decay", lambda)
	b.wd = lambda
}

// Steps returns the number of Steps taken since construction (or as
// restored by LoadState).
func (b *base[T]) Steps() int { return b.t }

// decay returns λ as T for parameter p: 0 unless p.Decay is set.
func (b *base[T]) decay(p *nn.Param[T]) T {
	if p.Decay {
		return T(b.wd)
	}
	return 0
}

// begin checks params against the optimizer's buffers, allocates the
// buffers on the first Step, and counts the step. It panics if a gradient's
// size differs from its value's or if the parameters differ in number or
// size from those of earlier Steps (or of a loaded State).
func (b *base[T]) begin(params []*nn.Param[T]) {
	for i, p := range params {
		if p == nil || p.Value == nil {
			panic(fmt.Sprintf("optim: %s: parameter %d is nil or has no value", b.name, i))
		}
		if p.Grad != nil && len(p.Grad.Data) != len(p.Value.Data) {
			panic(fmt.Sprintf("optim: %s: parameter %d (%q) has gradient of shape %v for value of shape %v",
				b.name, i, p.Name, p.Grad.Shape(), p.Value.Shape()))
		}
	}
	if len(b.slots) > 0 {
		if b.slots[0] == nil {
			for k := range b.slots {
				b.slots[k] = make([][]T, len(params))
				for i, p := range params {
					b.slots[k][i] = make([]T, len(p.Value.Data))
				}
			}
		}
		b.mustMatch(params)
	}
	b.t++
}

func (b *base[T]) mustMatch(params []*nn.Param[T]) {
	held := b.slots[0]
	if len(params) != len(held) {
		panic(fmt.Sprintf("optim: %s: Step got %d parameters, state holds %d "+
			"(pass the same parameters in the same order at every Step)", b.name, len(params), len(held)))
	}
	for i, p := range params {
		if len(p.Value.Data) != len(held[i]) {
			panic(fmt.Sprintf("optim: %s: parameter %d (%q) has %d elements, state holds %d "+
				"(pass the same parameters in the same order at every Step)",
				b.name, i, p.Name, len(p.Value.Data), len(held[i])))
		}
	}
}

// rule is the valid range of a hyperparameter.
type rule struct {
	ok   func(float64) bool
	want string // the range, for messages
}

var (
	rate     = rule{func(x float64) bool { return x >= 0 && !math.IsInf(x, 1) }, "finite and >= 0"}
	fraction = rule{func(x float64) bool { return x >= 0 && x < 1 }, "in [0, 1)"}
)

// must panics if x breaks the rule for hyperparameter key of optimizer name
// (NaN breaks every rule).
func (r rule) must(name, key string, x float64) {
	if !r.ok(x) {
		panic(fmt.Sprintf("optim: %s: %s = %v, want %s", name, key, x, r.want))
	}
}

// hyper is one named hyperparameter of an optimizer, as State.Hyper keys it.
type hyper struct {
	key  string
	p    *float64
	rule rule
}

// hypers returns the hyperparameters every optimizer has, followed by extra.
func (b *base[T]) hypers(extra ...hyper) []hyper {
	return append([]hyper{{"lr", &b.lr, rate}, {"weight_decay", &b.wd, rate}}, extra...)
}
