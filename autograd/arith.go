package autograd

import (
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// broadcast returns the shape a and b broadcast to, or panics naming op.
func broadcast[T tensor.Float](op string, a, b *Variable[T]) []int {
	as, bs := a.Shape(), b.Shape()
	if tensor.EqualShape(as, bs) {
		return as
	}
	n := max(len(as), len(bs))
	for i := 1; i <= n; i++ {
		da, db := 1, 1
		if i <= len(as) {
			da = as[len(as)-i]
		}
		if i <= len(bs) {
			db = bs[len(bs)-i]
		}
		if da != db && da != 1 && db != 1 {
			panicf(op, "shapes %v and %v do not broadcast", as, bs)
		}
	}
	return tensor.BroadcastShape(as, bs)
}

func binary[T tensor.Float](op string, o tensor.BinaryOp, a, b *Variable[T]) *tensor.Tensor[T] {
	return tensor.BinaryTo(tensor.New[T](broadcast(op, a, b)...), o, a.Data, b.Data)
}

type addFn[T tensor.Float] struct{ Node[T] }

// Add returns a + b elementwise, with numpy broadcasting.
func Add[T tensor.Float](a, b *Variable[T]) *Variable[T] {
	if bothScalar(a, b) {
		return scalar2[T, addFn[T]](a.Data.Data[0]+b.Data.Data[0], a, b, opAdd)
	}
	return Apply(&addFn[T]{}, binary("Add", tensor.OpAdd, a, b), a, b)
}

func (f *addFn[T]) Name() string { return "Add" }

func (f *addFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = SumTo(gy, f.Inputs()[0].Shape()...)
	gx[1] = SumTo(gy, f.Inputs()[1].Shape()...)
}

type subFn[T tensor.Float] struct{ Node[T] }

// Sub returns a - b elementwise, with numpy broadcasting.
func Sub[T tensor.Float](a, b *Variable[T]) *Variable[T] {
	if bothScalar(a, b) {
		return scalar2[T, subFn[T]](a.Data.Data[0]-b.Data.Data[0], a, b, opSub)
	}
	return Apply(&subFn[T]{}, binary("Sub", tensor.OpSub, a, b), a, b)
}

func (f *subFn[T]) Name() string { return "Sub" }

func (f *subFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = SumTo(gy, f.Inputs()[0].Shape()...)
	if f.NeedsGrad(1) {
		gx[1] = SumTo(Neg(gy), f.Inputs()[1].Shape()...)
	}
}

type mulFn[T tensor.Float] struct{ Node[T] }

// Mul returns a * b elementwise, with numpy broadcasting.
func Mul[T tensor.Float](a, b *Variable[T]) *Variable[T] {
	if bothScalar(a, b) {
		return scalar2[T, mulFn[T]](a.Data.Data[0]*b.Data.Data[0], a, b, opMul)
	}
	return Apply(&mulFn[T]{}, binary("Mul", tensor.OpMul, a, b), a, b)
}

func (f *mulFn[T]) Name() string { return "Mul" }

func (f *mulFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	a, b := f.Inputs()[0], f.Inputs()[1]
	if f.NeedsGrad(0) {
		gx[0] = SumTo(Mul(gy, b), a.Shape()...)
	}
	if f.NeedsGrad(1) {
		gx[1] = SumTo(Mul(gy, a), b.Shape()...)
	}
}

type divFn[T tensor.Float] struct{ Node[T] }

// Div returns a / b elementwise, with numpy broadcasting.
func Div[T tensor.Float](a, b *Variable[T]) *Variable[T] {
	if bothScalar(a, b) {
		return scalar2[T, divFn[T]](a.Data.Data[0]/b.Data.Data[0], a, b, 0)
	}
	return Apply(&divFn[T]{}, binary("Div", tensor.OpDiv, a, b), a, b)
}

func (f *divFn[T]) Name() string { return "Div" }

// Backward: d(a/b)/da = 1/b, d(a/b)/db = -a/b².
func (f *divFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	a, b := f.Inputs()[0], f.Inputs()[1]
	if f.NeedsGrad(0) {
		gx[0] = SumTo(Div(gy, b), a.Shape()...)
	}
	if f.NeedsGrad(1) {
		gx[1] = SumTo(Mul(gy, Div(Neg(a), Pow(b, 2))), b.Shape()...)
	}
}

type negFn[T tensor.Float] struct{ Node[T] }

// Neg returns -x.
func Neg[T tensor.Float](x *Variable[T]) *Variable[T] {
	y := tensor.New[T](x.Shape()...)
	for i, v := range x.Data.Data {
		y.Data[i] = -v
	}
	return Apply(&negFn[T]{}, y, x)
}

func (f *negFn[T]) Name() string { return "Neg" }

func (f *negFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) { gx[0] = Neg(gy) }

type powFn[T tensor.Float] struct {
	Node[T]
	c float64
}

// Pow returns x raised to the constant power c elementwise. Powers 2, 1,
// 0.5 and -1 are computed as numpy computes them (x·x, x, √x, 1/x), others
// with math.Pow.
func Pow[T tensor.Float](x *Variable[T], c float64) *Variable[T] {
	y := tensor.New[T](x.Shape()...)
	d := y.Data
	switch c {
	case 2:
		for i, v := range x.Data.Data {
			d[i] = v * v
		}
	case 1:
		copy(d, x.Data.Data)
	case 0.5:
		for i, v := range x.Data.Data {
			d[i] = T(math.Sqrt(float64(v)))
		}
	case -1:
		for i, v := range x.Data.Data {
			d[i] = 1 / v
		}
	default:
		for i, v := range x.Data.Data {
			d[i] = T(math.Pow(float64(v), c))
		}
	}
	return Apply(&powFn[T]{c: c}, y, x)
}

func (f *powFn[T]) Name() string { return "Pow" }

// Backward: d(x^c)/dx = c·x^(c-1), recorded as DeZero records it
// (x^(c-1)·c·gy), so that derivative graphs have DeZero's nodes. For c = 0
// the gradient is zero and Backward leaves it out, where DeZero computes
// 0·x⁻¹ (NaN at x = 0).
func (f *powFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	if f.c == 0 {
		return
	}
	gx[0] = Mul(Mul(Pow(f.Inputs()[0], f.c-1), ConstScalar(T(f.c))), gy)
}

// Methods for formulas that read left to right: x.Mul(y).Add(z).

// Add returns Add(v, w).
func (v *Variable[T]) Add(w *Variable[T]) *Variable[T] { return Add(v, w) }

// Sub returns Sub(v, w).
func (v *Variable[T]) Sub(w *Variable[T]) *Variable[T] { return Sub(v, w) }

// Mul returns Mul(v, w).
func (v *Variable[T]) Mul(w *Variable[T]) *Variable[T] { return Mul(v, w) }

// Div returns Div(v, w).
func (v *Variable[T]) Div(w *Variable[T]) *Variable[T] { return Div(v, w) }

// Neg returns Neg(v).
func (v *Variable[T]) Neg() *Variable[T] { return Neg(v) }

// Pow returns Pow(v, c).
func (v *Variable[T]) Pow(c float64) *Variable[T] { return Pow(v, c) }

// AddScalar returns v + c.
func (v *Variable[T]) AddScalar(c T) *Variable[T] { return Add(v, ConstScalar(c)) }

// MulScalar returns v · c.
func (v *Variable[T]) MulScalar(c T) *Variable[T] { return Mul(v, ConstScalar(c)) }
