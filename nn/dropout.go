package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Dropout is inverted dropout (Srivastava et al., 2014): in training each
// element is dropped (set to 0) with probability P and the kept ones are
// scaled by 1/(1-P), so that the expectation of every output equals its
// input; in evaluation it is the identity. The book's Dropout instead
// scales by 1-P in evaluation; the two agree in expectation, and PyTorch
// does as this layer does. The output has the input's shape.
//
// The mask is drawn from the layer's generator, one Float64 per element in
// row-major order (an element is dropped when the draw is below P), at
// every training Forward, unless the layer is frozen.
type Dropout[T tensor.Float] struct {
	p      float64
	r      *rng.MT
	frozen bool

	mask  []T // 0 or 1/(1-p) per element, from the last training Forward
	train bool
	y, dx *tensor.Tensor[T]
}

// NewDropout returns a dropout layer with drop probability p in [0, 1),
// drawing its masks from r (which may be nil only when p is 0: a rate of 0
// draws nothing). It panics on a p outside [0, 1).
func NewDropout[T tensor.Float](p float64, r *rng.MT) *Dropout[T] {
	if !(p >= 0 && p < 1) {
		panic(fmt.Sprintf("nn: Dropout rate %v must be in [0, 1)", p))
	}
	if r == nil && p > 0 {
		panic("nn: Dropout needs a random generator")
	}
	return &Dropout[T]{p: p, r: r}
}

// P returns the drop probability.
func (d *Dropout[T]) P() float64 { return d.p }

// Freeze makes training Forwards reuse the current mask instead of drawing
// a new one (a mask is drawn at the first training Forward if there is
// none), so that every evaluation sees the same function, as a gradient
// check needs. While frozen, the input must keep its number of elements.
func (d *Dropout[T]) Freeze() { d.frozen = true }

// Unfreeze makes every training Forward draw a new mask again.
func (d *Dropout[T]) Unfreeze() { d.frozen = false }

// Forward returns x·mask/(1-P) in training and a copy of x in evaluation.
func (d *Dropout[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	d.train = train && d.p > 0
	d.y = tensor.Reuse(d.y, x.Shape()...)
	if !d.train {
		copy(d.y.Data, x.Data)
		return d.y
	}
	n := len(x.Data)
	if !d.frozen || len(d.mask) == 0 {
		d.draw(n)
	} else if len(d.mask) != n {
		panic(fmt.Sprintf("nn: frozen Dropout has a mask of %d elements, input %v has %d", len(d.mask), x.Shape(), n))
	}
	for i, v := range x.Data {
		d.y.Data[i] = v * d.mask[i]
	}
	return d.y
}

// draw fills the mask for n elements.
func (d *Dropout[T]) draw(n int) {
	if cap(d.mask) < n {
		d.mask = make([]T, n)
	}
	d.mask = d.mask[:n]
	keep := T(1 / (1 - d.p))
	for i := range d.mask {
		if d.r.Float64() < d.p {
			d.mask[i] = 0
		} else {
			d.mask[i] = keep
		}
	}
}

// Backward returns dy·mask/(1-P) after a training Forward and a copy of dy
// after an evaluation one.
func (d *Dropout[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, d.y) {
		panic(fmt.Sprintf("nn: Dropout backward got gradient of shape %v for output %v", dy.Shape(), d.y.Shape()))
	}
	d.dx = tensor.Reuse(d.dx, dy.Shape()...)
	if !d.train {
		copy(d.dx.Data, dy.Data)
		return d.dx
	}
	for i, g := range dy.Data {
		d.dx.Data[i] = g * d.mask[i]
	}
	return d.dx
}

// Params returns nil: dropout has no parameters.
func (d *Dropout[T]) Params() []*Param[T] { return nil }

// RNGs returns the generator the masks are drawn from (none when p is 0),
// so that a checkpoint can save and restore its state (train.RNGHolder).
func (d *Dropout[T]) RNGs() []*rng.MT {
	if d.r == nil {
		return nil
	}
	return []*rng.MT{d.r}
}
