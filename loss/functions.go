// Package loss turns a network's outputs and the targets into a number and
// the first gradient of backpropagation: softmax with cross-entropy, sigmoid
// with binary cross-entropy, and mean squared error; and the tutorial's
// functions softmax, cross_entropy_error and sum_squared_error.
//
// Targets come in two forms, as in the book: a tensor of the outputs' shape
// (one-hot rows, or any distribution), or a vector [batch] of class indices
// stored as T.
package loss

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// Delta is the tutorial's 1e-7 added inside the logarithm of the
// cross-entropy so that a probability of exactly 0 gives a large finite loss
// instead of +Inf.
const Delta = 1e-7

// SoftmaxTo sets dst to the softmax of each row of x (a rank-1 x is one
// row): exp(x - max) / Σ exp(x - max), the maximum subtracted first so that
// no exponential overflows. dst may be x. It returns dst. The loop is
// tensor.SoftmaxTo's.
func SoftmaxTo[T tensor.Float](dst, x *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dst, x) {
		panic(fmt.Sprintf("loss: SoftmaxTo: shape mismatch %v and %v", dst.Shape(), x.Shape()))
	}
	return tensor.SoftmaxTo(dst, x)
}

// Softmax returns the softmax of each row of x (see SoftmaxTo).
func Softmax[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return SoftmaxTo(tensor.New[T](x.Shape()...), x)
}

// batchOf returns the number of rows and the row length of y: a rank-1 y is
// a single case.
func batchOf[T tensor.Float](y *tensor.Tensor[T]) (n, c int) {
	if y.Rank() == 1 {
		return 1, y.Len()
	}
	return y.Rows(), y.Cols()
}

// isIndex reports whether t holds class indices for outputs y rather than a
// tensor of y's shape, and panics if it is neither.
func isIndex[T tensor.Float](op string, y, t *tensor.Tensor[T]) bool {
	if tensor.SameShape(y, t) {
		return false
	}
	n, _ := batchOf(y)
	if t.Rank() == 1 && t.Len() == n {
		return true
	}
	panic(fmt.Sprintf("loss: %s: targets of shape %v fit neither outputs %v nor %d class indices", op, t.Shape(), y.Shape(), n))
}

// classOf returns the class index stored in v, panicking if it is not an
// integer in [0, c).
func classOf[T tensor.Float](v T, c int) int {
	k := int(v)
	if T(k) != v || k < 0 || k >= c {
		panic(fmt.Sprintf("loss: class index %v out of range [0, %d)", v, c))
	}
	return k
}

// CrossEntropy returns the tutorial's cross_entropy_error averaged over the
// batch: -Σ t·log(y + Delta) / batch, for probabilities y [batch, classes]
// (or one case [classes]) and targets t of y's shape (one-hot) or class
// indices [batch]. The sum is accumulated in float64.
func CrossEntropy[T tensor.Float](y, t *tensor.Tensor[T]) float64 {
	n, c := batchOf(y)
	var s float64
	if isIndex("CrossEntropy", y, t) {
		for i := 0; i < n; i++ {
			s += tensor.Log(float64(y.Data[i*c+classOf(t.Data[i], c)]) + Delta)
		}
	} else {
		for i, p := range y.Data {
			// A zero target adds exactly nothing; skipping its logarithm
			// changes no bit of the sum.
			if ti := float64(t.Data[i]); ti != 0 {
				s += ti * tensor.Log(float64(p)+Delta)
			}
		}
	}
	return -s / float64(n)
}

// SumSquares returns the tutorial's sum_squared_error, 0.5·Σ (y - t)²,
// summed over every element (not averaged). t has y's shape.
func SumSquares[T tensor.Float](y, t *tensor.Tensor[T]) float64 {
	if !tensor.SameShape(y, t) {
		panic(fmt.Sprintf("loss: SumSquares: shape mismatch %v and %v", y.Shape(), t.Shape()))
	}
	var s float64
	for i, v := range y.Data {
		d := float64(v) - float64(t.Data[i])
		s += d * d
	}
	return 0.5 * s
}
