package autograd

import (
	"github.com/kiso-go/kiso/tensor"
)

// axesOK panics naming op unless axes are distinct and within x's rank.
func axesOK[T tensor.Float](op string, x *Variable[T], axes []int) {
	n := x.Rank()
	seen := make([]bool, n)
	for _, a := range axes {
		if a < 0 {
			a += n
		}
		if a < 0 || a >= n || seen[a] {
			panicf(op, "axes %v out of range or repeated for shape %v", axes, x.Shape())
		}
		seen[a] = true
	}
}

type sumFn[T tensor.Float] struct {
	Node[T]
	axes []int
	keep bool
}

// Sum returns the sum of x's elements over the given axes, or over all of
// them when none is given; keepdims keeps the summed axes as size 1
// (numpy's sum(axis, keepdims)).
func Sum[T tensor.Float](x *Variable[T], keepdims bool, axes ...int) *Variable[T] {
	axesOK("Sum", x, axes)
	y := tensor.SumAxes(x.Data, keepdims, axes...)
	return Apply(&sumFn[T]{axes: append([]int(nil), axes...), keep: keepdims}, y, x)
}

func (f *sumFn[T]) Name() string { return "Sum" }

func (f *sumFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	xs := f.Inputs()[0].Shape()
	gy = Reshape(gy, tensor.ReducedShape(xs, f.axes, true)...)
	gx[0] = BroadcastTo(gy, xs...)
}

// Mean returns the average of x's elements over the given axes (all with
// none), as DeZero's average: the sum times (elements out / elements in).
func Mean[T tensor.Float](x *Variable[T], keepdims bool, axes ...int) *Variable[T] {
	y := Sum(x, keepdims, axes...)
	return Mul(y, ConstScalar(T(float64(y.Len())/float64(x.Len()))))
}

type maxFn[T tensor.Float] struct {
	Node[T]
	axes []int
	keep bool
}

// Max returns the largest of x's elements over the given axes (all with
// none). The gradient flows to every element equal to the maximum (as
// DeZero's, not split between ties as PyTorch's amax).
func Max[T tensor.Float](x *Variable[T], keepdims bool, axes ...int) *Variable[T] {
	return maxMin(x, false, keepdims, axes)
}

// Min returns the smallest of x's elements over the given axes; see Max.
func Min[T tensor.Float](x *Variable[T], keepdims bool, axes ...int) *Variable[T] {
	return maxMin(x, true, keepdims, axes)
}

type minFn[T tensor.Float] struct{ maxFn[T] }

func (f *minFn[T]) Name() string { return "Min" }

func maxMin[T tensor.Float](x *Variable[T], min, keepdims bool, axes []int) *Variable[T] {
	op := "Max"
	if min {
		op = "Min"
	}
	axesOK(op, x, axes)
	if x.Len() == 0 {
		panicf(op, "empty input of shape %v", x.Shape())
	}
	y := tensor.MaxAxes(x.Data, min, keepdims, axes...)
	f := maxFn[T]{axes: append([]int(nil), axes...), keep: keepdims}
	if min {
		return Apply(&minFn[T]{f}, y, x)
	}
	return Apply(&f, y, x)
}

func (f *maxFn[T]) Name() string { return "Max" }

func (f *maxFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	x := f.Inputs()[0]
	kept := tensor.ReducedShape(x.Shape(), f.axes, true)
	y := f.out.Data.Reshape(kept...)
	mask := tensor.New[T](x.Shape()...)
	yb := tensor.BroadcastTo(y, x.Shape()...)
	for i, v := range x.Data.Data {
		if v == yb.Data[i] {
			mask.Data[i] = 1
		}
	}
	gx[0] = Mul(BroadcastTo(Reshape(gy, kept...), x.Shape()...), Const(mask))
}
