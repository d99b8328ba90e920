package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// DropoutSpec is the config of a Dropout layer: {"type": "dropout", "p":
// 0.5}, P the drop probability in [0, 1).
type DropoutSpec struct {
	P float64 `json:"p,omitempty"`
}

func init() { Register("dropout", DropoutSpec{}, buildDropout[float32], buildDropout[float64]) }

// Type returns "dropout".
func (DropoutSpec) Type() string { return "dropout" }

// OutShape checks the rate and returns in.
func (s DropoutSpec) OutShape(in []int) ([]int, error) {
	if !(s.P >= 0 && s.P < 1) {
		return nil, fmt.Errorf("rate %v must be in [0, 1)", s.P)
	}
	return in, nil
}

// Footprint counts the output (the generator is not part of a model's
// state).
func (DropoutSpec) Footprint(_, out []int) (int, int) { return 0, numel(out) }

// buildDropout gives the layer its own generator, seeded with the next 32
// bits of b.Rand.
func buildDropout[T tensor.Float](s DropoutSpec, b *Builder) (Layer[T], error) {
	return NewDropout[T](s.P, rng.NewNumpy(b.Rand.Uint32())), nil
}

// Spec returns the layer's config.
func (d *Dropout[T]) Spec() LayerSpec { return DropoutSpec{P: d.p} }

// ExportONNX writes nothing: dropout is the identity at inference.
func (d *Dropout[T]) ExportONNX(g ONNXGraph) (string, error) { return g.Input(), nil }

// TorchModule returns nn.Dropout(p).
func (d *Dropout[T]) TorchModule(TorchGraph) (string, error) {
	return fmt.Sprintf("nn.Dropout(%s)", PyFloat(d.p)), nil
}

var (
	_ Layer[float64] = (*Dropout[float64])(nil)
	_ Specced        = (*Dropout[float64])(nil)
	_ ONNXExporter   = (*Dropout[float64])(nil)
	_ TorchExporter  = (*Dropout[float64])(nil)
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
