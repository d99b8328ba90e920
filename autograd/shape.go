package autograd

import (
	"slices"

	"github.com/kiso-go/kiso/tensor"
)

type reshapeFn[T tensor.Float] struct{ Node[T] }

// Reshape returns x with a new shape and the same elements in row-major
// order; one dimension may be -1 and is inferred. It returns x itself when
// the shape is unchanged (as DeZero does). The result shares x's data.
func Reshape[T tensor.Float](x *Variable[T], shape ...int) *Variable[T] {
	if tensor.EqualShape(x.Shape(), shape) {
		return x
	}
	n, infer := 1, -1
	for i, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panicf("Reshape", "cannot reshape %v to %v", x.Shape(), shape)
		default:
			n *= d
		}
	}
	if (infer < 0 && n != x.Len()) || (infer >= 0 && (n == 0 || x.Len()%n != 0)) {
		panicf("Reshape", "cannot reshape %v to %v", x.Shape(), shape)
	}
	return Apply(&reshapeFn[T]{}, x.Data.Reshape(shape...), x)
}

func (f *reshapeFn[T]) Name() string { return "Reshape" }

func (f *reshapeFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = Reshape(gy, f.Inputs()[0].Shape()...)
}

// Flatten returns x reshaped to [x.Shape()[0], -1] (the batch kept).
func Flatten[T tensor.Float](x *Variable[T]) *Variable[T] {
	if x.Rank() == 0 {
		panicf("Flatten", "needs a batch dimension, got shape %v", x.Shape())
	}
	return Reshape(x, x.Shape()[0], -1)
}

// ExpandDims returns x with a dimension of size 1 inserted at axis.
func ExpandDims[T tensor.Float](x *Variable[T], axis int) *Variable[T] {
	s := x.Shape()
	if axis < 0 {
		axis += len(s) + 1
	}
	if axis < 0 || axis > len(s) {
		panicf("ExpandDims", "axis out of range for shape %v", s)
	}
	return Reshape(x, slices.Insert(slices.Clone(s), axis, 1)...)
}

type transposeFn[T tensor.Float] struct {
	Node[T]
	axes []int
}

// Transpose returns x with its axes permuted: axis i of the result is axis
// axes[i] of x; with no axes they are reversed (numpy's transpose, DeZero's
// x.T). Negative axes count from the end.
func Transpose[T tensor.Float](x *Variable[T], axes ...int) *Variable[T] {
	n := x.Rank()
	if len(axes) == 0 {
		axes = make([]int, n)
		for i := range axes {
			axes[i] = n - 1 - i
		}
	} else {
		axes = slices.Clone(axes)
		for i, a := range axes {
			if a < 0 {
				axes[i] = a + n
			}
		}
	}
	if len(axes) != n {
		panicf("Transpose", "axes %v do not fit shape %v", axes, x.Shape())
	}
	seen := make([]bool, n)
	for _, a := range axes {
		if a < 0 || a >= n || seen[a] {
			panicf("Transpose", "axes %v are not a permutation for shape %v", axes, x.Shape())
		}
		seen[a] = true
	}
	return Apply(&transposeFn[T]{axes: axes}, tensor.Transpose(x.Data, axes...), x)
}

func (f *transposeFn[T]) Name() string { return "Transpose" }

func (f *transposeFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = Transpose(gy, tensor.InversePerm(f.axes)...)
}

// T returns the transpose of v (axes reversed), as DeZero's v.T.
func (v *Variable[T]) T() *Variable[T] { return Transpose(v) }

type broadcastToFn[T tensor.Float] struct{ Node[T] }

// BroadcastTo returns x repeated to the given shape under numpy's rules. It
// returns x itself when the shape is unchanged.
func BroadcastTo[T tensor.Float](x *Variable[T], shape ...int) *Variable[T] {
	if tensor.EqualShape(x.Shape(), shape) {
		return x
	}
	if !fitsIn(x.Shape(), shape) {
		panicf("BroadcastTo", "cannot broadcast %v to %v", x.Shape(), shape)
	}
	return Apply(&broadcastToFn[T]{}, tensor.BroadcastTo(x.Data, shape...), x)
}

func (f *broadcastToFn[T]) Name() string { return "BroadcastTo" }

func (f *broadcastToFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = SumTo(gy, f.Inputs()[0].Shape()...)
}

// fitsIn reports whether shape s broadcasts to shape out.
func fitsIn(s, out []int) bool {
	if len(s) > len(out) {
		return false
	}
	for i := 1; i <= len(s); i++ {
		if d := s[len(s)-i]; d != 1 && d != out[len(out)-i] {
			return false
		}
	}
	return true
}

type sumToFn[T tensor.Float] struct{ Node[T] }

// SumTo returns x summed down to shape, the reverse of BroadcastTo: the
// axes that broadcasting shape to x's shape would repeat are summed. It
// returns x itself when the shape is unchanged. Sums run in numpy's order
// (pairwise along contiguous runs), so they match numpy's bits.
func SumTo[T tensor.Float](x *Variable[T], shape ...int) *Variable[T] {
	if tensor.EqualShape(x.Shape(), shape) {
		return x
	}
	if !fitsIn(shape, x.Shape()) {
		panicf("SumTo", "cannot sum %v to %v", x.Shape(), shape)
	}
	return Apply(&sumToFn[T]{}, tensor.SumTo(x.Data, shape...), x)
}

func (f *sumToFn[T]) Name() string { return "SumTo" }

func (f *sumToFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = BroadcastTo(gy, f.Inputs()[0].Shape()...)
}
