package autograd

import (
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// unary returns a tensor of x's shape with f applied to each element.
func unary[T tensor.Float](x *Variable[T], f func(float64) float64) *tensor.Tensor[T] {
	y := tensor.New[T](x.Shape()...)
	for i, v := range x.Data.Data {
		y.Data[i] = T(f(float64(v)))
	}
	return y
}

type expFn[T tensor.Float] struct{ Node[T] }

// Exp returns e^x elementwise (correctly rounded, as tensor.Exp).
func Exp[T tensor.Float](x *Variable[T]) *Variable[T] {
	return Apply(&expFn[T]{}, unary(x, tensor.Exp), x)
}

func (f *expFn[T]) Name() string { return "Exp" }

func (f *expFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) { gx[0] = Mul(gy, f.out) }

type logFn[T tensor.Float] struct{ Node[T] }

// Log returns the natural logarithm of x elementwise.
func Log[T tensor.Float](x *Variable[T]) *Variable[T] {
	return Apply(&logFn[T]{}, unary(x, tensor.Log), x)
}

func (f *logFn[T]) Name() string { return "Log" }

func (f *logFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) { gx[0] = Div(gy, f.Inputs()[0]) }

type sinFn[T tensor.Float] struct{ Node[T] }

// Sin returns sin x elementwise.
func Sin[T tensor.Float](x *Variable[T]) *Variable[T] {
	return Apply(&sinFn[T]{}, unary(x, math.Sin), x)
}

func (f *sinFn[T]) Name() string { return "Sin" }

func (f *sinFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) { gx[0] = Mul(gy, Cos(f.Inputs()[0])) }

type cosFn[T tensor.Float] struct{ Node[T] }

// Cos returns cos x elementwise.
func Cos[T tensor.Float](x *Variable[T]) *Variable[T] {
	return Apply(&cosFn[T]{}, unary(x, math.Cos), x)
}

func (f *cosFn[T]) Name() string { return "Cos" }

func (f *cosFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = Mul(gy, Neg(Sin(f.Inputs()[0])))
}

type tanhFn[T tensor.Float] struct{ Node[T] }

// Tanh returns tanh x elementwise.
func Tanh[T tensor.Float](x *Variable[T]) *Variable[T] {
	return Apply(&tanhFn[T]{}, unary(x, math.Tanh), x)
}

func (f *tanhFn[T]) Name() string { return "Tanh" }

// Backward: tanh' = 1 - tanh².
// Unrecorded, it computes gy·(1 - y·y) in one loop, with the same
// operations in the same order.
func (f *tanhFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	y := f.out
	if !recording(gy) {
		g := tensor.New[T](y.Shape()...)
		for i, v := range y.Data.Data {
			g.Data[i] = gy.Data.Data[i] * (1 - T(v*v)) // T(): no fused multiply-add
		}
		gx[0] = gradOf(g)
		return
	}
	gx[0] = Mul(gy, Sub(ConstScalar[T](1), Mul(y, y)))
}

type clipFn[T tensor.Float] struct {
	Node[T]
	lo, hi T
}

// Clip returns x with every element limited to [lo, hi]. The gradient
// passes where lo <= x <= hi (ends included, as DeZero's).
func Clip[T tensor.Float](x *Variable[T], lo, hi T) *Variable[T] {
	if lo > hi {
		panicf("Clip", "lower bound %v above upper bound %v for shape %v", lo, hi, x.Shape())
	}
	y := tensor.New[T](x.Shape()...)
	for i, v := range x.Data.Data {
		y.Data[i] = min(max(v, lo), hi)
	}
	return Apply(&clipFn[T]{lo: lo, hi: hi}, y, x)
}

func (f *clipFn[T]) Name() string { return "Clip" }

func (f *clipFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	x := f.Inputs()[0]
	mask := tensor.New[T](x.Shape()...)
	for i, v := range x.Data.Data {
		if v >= f.lo && v <= f.hi {
			mask.Data[i] = 1
		}
	}
	gx[0] = Mul(gy, Const(mask))
}
