package autograd

import (
	"github.com/kiso-go/kiso/tensor"
)

type mseFn[T tensor.Float] struct{ Node[T] }

// MeanSquaredError returns Σ(x0-x1)² / len(x0), the sum over every element
// divided by the size of the first axis (DeZero's mean_squared_error). x0
// and x1 must have the same shape.
func MeanSquaredError[T tensor.Float](x0, x1 *Variable[T]) *Variable[T] {
	if !tensor.EqualShape(x0.Shape(), x1.Shape()) || x0.Rank() == 0 {
		panicf("MeanSquaredError", "needs two inputs of one shape with a first axis, got %s", shapesOf(x0, x1))
	}
	d := tensor.Binary(tensor.OpSub, x0.Data, x1.Data)
	for i, v := range d.Data {
		d.Data[i] = v * v
	}
	y := tensor.New[T]()
	y.Data[0] = tensor.PairwiseSum(d.Data) / T(x0.Shape()[0])
	return Apply(&mseFn[T]{}, y, x0, x1)
}

func (f *mseFn[T]) Name() string { return "MeanSquaredError" }

// Backward: the gradient of x0 is gy·(x0-x1)·2/N, that of x1 its negation.
func (f *mseFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	x0, x1 := f.Inputs()[0], f.Inputs()[1]
	g := Mul(Mul(gy, Sub(x0, x1)), ConstScalar(T(2.0/float64(x0.Shape()[0]))))
	gx[0] = g
	if f.NeedsGrad(1) {
		gx[1] = Neg(g)
	}
}

type softmaxCEFn[T tensor.Float] struct {
	Node[T]
	t []int
}

// SoftmaxCrossEntropy returns the mean over the batch of -log softmax(x)
// at each label, for scores x [N, C] and labels t (N of them, each in
// [0, C)), as DeZero's softmax_cross_entropy, computed with log-sum-exp.
func SoftmaxCrossEntropy[T tensor.Float](x *Variable[T], t []int) *Variable[T] {
	if x.Rank() != 2 || len(t) != x.Shape()[0] {
		panicf("SoftmaxCrossEntropy", "needs x [N, C] and N labels, got shape %v and %d labels", x.Shape(), len(t))
	}
	n, c := x.Shape()[0], x.Shape()[1]
	lz := logSumExp(x.Data, 1)
	p := make([]T, n)
	for i, k := range t {
		if k < 0 || k >= c {
			panicf("SoftmaxCrossEntropy", "label %d out of range for shape %v", k, x.Shape())
		}
		p[i] = x.Data.Data[i*c+k] - lz.Data[i]
	}
	y := tensor.New[T]()
	y.Data[0] = -tensor.PairwiseSum(p) / T(n)
	return Apply(&softmaxCEFn[T]{t: append([]int(nil), t...)}, y, x)
}

func (f *softmaxCEFn[T]) Name() string { return "SoftmaxCrossEntropy" }

// Backward: (softmax(x) - onehot(t))·gy/N.
func (f *softmaxCEFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	x := f.Inputs()[0]
	n, c := x.Shape()[0], x.Shape()[1]
	gy = Mul(gy, ConstScalar(T(1/float64(n))))
	onehot := tensor.New[T](n, c)
	for i, k := range f.t {
		onehot.Data[i*c+k] = 1
	}
	gx[0] = Mul(Sub(Softmax(x, 1), Const(onehot)), gy)
}

// SigmoidCrossEntropy returns the mean binary cross-entropy of sigmoid(x)
// against targets t of x's shape (DeZero's sigmoid_cross_entropy), the
// probabilities clipped to [1e-15, 1].
func SigmoidCrossEntropy[T tensor.Float](x, t *Variable[T]) *Variable[T] {
	if !tensor.EqualShape(x.Shape(), t.Shape()) || x.Rank() == 0 {
		panicf("SigmoidCrossEntropy", "needs x and t of one shape with a first axis, got %s", shapesOf(x, t))
	}
	p := Clip(Sigmoid(x), 1e-15, 1)
	one := ConstScalar[T](1)
	tlogp := Add(Mul(t, Log(p)), Mul(Sub(one, t), Log(Sub(one, p))))
	return Div(Mul(ConstScalar[T](-1), Sum(tlogp, false)), ConstScalar(T(x.Shape()[0])))
}

// Accuracy returns the fraction of rows of y [N, C] whose largest score is
// at the label t[i], as a 0-dimensional constant (not differentiable).
func Accuracy[T tensor.Float](y *Variable[T], t []int) *Variable[T] {
	if y.Rank() != 2 || len(t) != y.Shape()[0] {
		panicf("Accuracy", "needs y [N, C] and N labels, got shape %v and %d labels", y.Shape(), len(t))
	}
	pred := tensor.ArgmaxRows(y.Data)
	hit := 0
	for i, p := range pred {
		if p == t[i] {
			hit++
		}
	}
	return ConstScalar(T(float64(hit) / float64(len(t))))
}
