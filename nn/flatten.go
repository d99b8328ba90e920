package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// Flatten reshapes a batch [batch, d1, d2, ...] to [batch, d1·d2·...], as
// between the convolutional and the fully connected part of a network.
// Its output shares storage with its input, and Backward's dx shares
// storage with dy: nothing is copied.
type Flatten[T tensor.Float] struct {
	xShape []int
	y, dx  *tensor.Tensor[T]
}

// NewFlatten returns a Flatten layer.
func NewFlatten[T tensor.Float]() *Flatten[T] { return &Flatten[T]{} }

// Forward returns x viewed as [batch, rest].
func (f *Flatten[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if x.Rank() < 1 {
		panic("nn: Flatten needs a batch, got a scalar")
	}
	f.xShape = append(f.xShape[:0], x.Shape()...)
	f.y = matrix(f.y, x.Data, x.Rows(), x.Cols())
	return f.y
}

// Backward returns dy viewed in the shape of the last input.
func (f *Flatten[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, f.y) {
		panic(fmt.Sprintf("nn: Flatten backward got gradient of shape %v for output %v", dy.Shape(), f.y.Shape()))
	}
	f.dx = viewAs(f.dx, dy.Data, f.xShape)
	return f.dx
}

// Params returns nil: Flatten has no parameters.
func (f *Flatten[T]) Params() []*Param[T] { return nil }
