package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// Linear is the affine layer y = x·W + b (the book's Affine).
//
// Shapes: x [batch, in] (or any [batch, ...] with in elements per case,
// which Linear flattens), W [in, out], b [out], y [batch, out]. W is stored
// [in, out] as in the book so that the product needs no transpose; model
// files store it transposed as PyTorch's [out, in].
type Linear[T tensor.Float] struct {
	W, B    *Param[T]
	in, out int

	params []*Param[T]

	x      *tensor.Tensor[T] // last input, viewed as [batch, in]
	y, dx  *tensor.Tensor[T]
	xShape []int
}

// NewLinear returns a Linear layer from in to out features with zero
// weights and biases; initialize W with an Init (He, Xavier, Normal).
func NewLinear[T tensor.Float](in, out int) *Linear[T] {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("nn: Linear(%d, %d): sizes must be positive", in, out))
	}
	return &Linear[T]{
		W:  NewParam("weight", tensor.New[T](in, out), true),
		B:  NewParam("bias", tensor.New[T](out), false),
		in: in, out: out,
	}
}

// In and Out return the layer's input and output sizes.
func (l *Linear[T]) In() int  { return l.in }
func (l *Linear[T]) Out() int { return l.out }

// Forward returns x·W + b.
func (l *Linear[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	in, out := l.in, l.out
	shape := x.Shape()
	if !tensor.EqualShape(l.xShape, shape) {
		l.xShape = append(l.xShape[:0], shape...)
	}
	if len(shape) != 2 || shape[1] != in {
		if x.Cols() != in {
			panic(fmt.Sprintf("nn: Linear(%d, %d) got input of shape %v", in, out, shape))
		}
		x = x.Reshape(x.Rows(), in)
	}
	l.x = x
	if y := l.y; y == nil || y.Rank() != 2 || y.Rows() != x.Rows() {
		l.y = tensor.Reuse(l.y, x.Rows(), out)
	}
	return tensor.AffineTo(l.y, x, l.W.Value, l.B.Value)
}

// Backward stores dW = xᵀ·dy and db = Σ_batch dy and returns dx = dy·Wᵀ in
// the shape of the last input.
func (l *Linear[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	l.backwardParams(dy)
	if dx := l.dx; dx == nil || dx.Rows() != l.x.Rows() {
		l.dx = tensor.Reuse(l.dx, l.x.Rows(), l.in)
	}
	tensor.MatMulTo(l.dx, dy, l.W.Value, false, true)
	if len(l.xShape) != 2 {
		return l.dx.Reshape(l.xShape...)
	}
	return l.dx
}

// backwardParams stores dW = xᵀ·dy and db = Σ_batch dy.
func (l *Linear[T]) backwardParams(dy *tensor.Tensor[T]) {
	tensor.MatMulTo(l.W.Grad, l.x, dy, true, false)
	tensor.SumRowsTo(l.B.Grad, dy)
}

// Params returns W and b.
func (l *Linear[T]) Params() []*Param[T] {
	if len(l.params) != 2 || l.params[0] != l.W || l.params[1] != l.B {
		l.params = []*Param[T]{l.W, l.B} // made once: numerical gradients ask often
	}
	return l.params
}
