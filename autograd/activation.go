package autograd

import (
	"math"
	"unsafe"

	"github.com/kiso-go/kiso/tensor"
)

type sigmoidFn[T tensor.Float] struct{ Node[T] }

// sigmoidGrain, sigmoid32Grain and sigmoidGradGrain are the elements
// worth a chunk of their own (see each) for Sigmoid in float64 (a tanh an
// element, some 10 ns), in float32 (tensor.Sigmoid, eight elements in a
// few nanoseconds) and for its backward (a few multiplications).
const (
	sigmoidGrain     = 4096
	sigmoid32Grain   = 32768
	sigmoidGradGrain = 16384
)

// Sigmoid returns 1/(1+e^-x) elementwise. float64 computes it as DeZero
// does, tanh(x/2)/2 + 1/2 (math.Tanh); float32 with tensor.Sigmoid, in
// float32 arithmetic eight elements at a time (within 3 ulp), as nn's
// LSTM gates do. Large inputs (a hidden layer's batch) are computed in
// chunks on tensor.Parallel, with the same bits.
func Sigmoid[T tensor.Float](x *Variable[T]) *Variable[T] {
	y := tensor.New[T](x.Shape()...)
	xs, ys := x.Data.Data, y.Data
	if unsafe.Sizeof(T(0)) == 4 {
		each(len(ys), sigmoid32Grain, func(lo, hi int) { tensor.Sigmoid(ys[lo:hi], xs[lo:hi]) })
		return Apply(&sigmoidFn[T]{}, y, x)
	}
	each(len(ys), sigmoidGrain, func(lo, hi int) {
		for i, v := range xs[lo:hi] {
			ys[lo+i] = T(math.Tanh(float64(v*0.5)))*0.5 + 0.5
		}
	})
	return Apply(&sigmoidFn[T]{}, y, x)
}

func (f *sigmoidFn[T]) Name() string { return "Sigmoid" }

// Backward: σ' = σ(1-σ). Unrecorded, it computes gy·y·(1 - y) in one
// pass (in chunks when large), with the same operations in the same order.
func (f *sigmoidFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	y := f.out
	if !recording(gy) {
		g := tensor.New[T](y.Shape()...)
		ys, gys, gs := y.Data.Data, gy.Data.Data, g.Data
		each(len(gs), sigmoidGradGrain, func(lo, hi int) {
			for i, v := range ys[lo:hi] {
				gs[lo+i] = gys[lo+i] * v * (1 - v)
			}
		})
		gx[0] = gradOf(g)
		return
	}
	gx[0] = Mul(Mul(gy, y), Sub(ConstScalar[T](1), y))
}

type reluFn[T tensor.Float] struct{ Node[T] }

// ReLU returns max(x, 0) elementwise.
func ReLU[T tensor.Float](x *Variable[T]) *Variable[T] {
	y := tensor.New[T](x.Shape()...)
	tensor.ReLU(y.Data, x.Data.Data)
	return Apply(&reluFn[T]{}, y, x)
}

func (f *reluFn[T]) Name() string { return "ReLU" }

// Backward passes the gradient where x > 0.
func (f *reluFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	x := f.Inputs()[0]
	mask := tensor.New[T](x.Shape()...)
	for i, v := range x.Data.Data {
		if v > 0 {
			mask.Data[i] = 1
		}
	}
	gx[0] = Mul(gy, Const(mask))
}

// normAxis returns axis within x's rank, or panics naming op.
func normAxis[T tensor.Float](op string, x *Variable[T], axis int) int {
	n := x.Rank()
	if axis < 0 {
		axis += n
	}
	if axis < 0 || axis >= n {
		panicf(op, "axis out of range for shape %v", x.Shape())
	}
	return axis
}

type softmaxFn[T tensor.Float] struct {
	Node[T]
	axis int
}

// Softmax returns exp(x) normalized to sum 1 along axis (DeZero's default
// axis is 1), computed with the maximum subtracted first.
func Softmax[T tensor.Float](x *Variable[T], axis int) *Variable[T] {
	axis = normAxis("Softmax", x, axis)
	m := tensor.MaxAxes(x.Data, false, true, axis)
	y := tensor.Binary(tensor.OpSub, x.Data, m)
	for i, v := range y.Data {
		y.Data[i] = T(tensor.Exp(float64(v)))
	}
	s := tensor.SumAxes(y, true, axis)
	tensor.BinaryTo(y, tensor.OpDiv, y, s)
	return Apply(&softmaxFn[T]{axis: axis}, y, x)
}

func (f *softmaxFn[T]) Name() string { return "Softmax" }

// Backward: gx = y·gy - y·Σ(y·gy).
func (f *softmaxFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	y := f.out
	g := Mul(y, gy)
	gx[0] = Sub(g, Mul(y, Sum(g, true, f.axis)))
}

// logSumExp returns log Σ exp(x) along axis, kept as size 1, as DeZero's
// utils.logsumexp computes it.
func logSumExp[T tensor.Float](x *tensor.Tensor[T], axis int) *tensor.Tensor[T] {
	m := tensor.MaxAxes(x, false, true, axis)
	y := tensor.Binary(tensor.OpSub, x, m)
	for i, v := range y.Data {
		y.Data[i] = T(tensor.Exp(float64(v)))
	}
	s := tensor.SumAxes(y, true, axis)
	for i, v := range s.Data {
		s.Data[i] = T(tensor.Log(float64(v))) + m.Data[i]
	}
	return s
}

type logSoftmaxFn[T tensor.Float] struct {
	Node[T]
	axis int
}

// LogSoftmax returns log(Softmax(x, axis)), computed stably as x minus the
// log-sum-exp along axis.
func LogSoftmax[T tensor.Float](x *Variable[T], axis int) *Variable[T] {
	axis = normAxis("LogSoftmax", x, axis)
	y := tensor.Binary(tensor.OpSub, x.Data, logSumExp(x.Data, axis))
	return Apply(&logSoftmaxFn[T]{axis: axis}, y, x)
}

func (f *logSoftmaxFn[T]) Name() string { return "LogSoftmax" }

// Backward: gx = gy - exp(y)·Σgy.
func (f *logSoftmaxFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = Sub(gy, Mul(Exp(f.out), Sum(gy, true, f.axis)))
}
