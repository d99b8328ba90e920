package autograd

import "github.com/kiso-go/kiso/tensor"

type matmulFn[T tensor.Float] struct {
	Node[T]
	ta, tb bool
}

// MatMul returns the matrix product a·b of a [m, k] and b [k, n] as
// [m, n], computed by tensor's GEMM.
func MatMul[T tensor.Float](a, b *Variable[T]) *Variable[T] { return matmulT(a, b, false, false) }

// matmulT returns op(a)·op(b), op transposing when its flag is set; the
// backward products read transposes in place instead of copying them.
func matmulT[T tensor.Float](a, b *Variable[T], ta, tb bool) *Variable[T] {
	if a.Rank() != 2 || b.Rank() != 2 {
		panicf("MatMul", "needs two matrices, got shapes %s", shapesOf(a, b))
	}
	m, k := a.Shape()[0], a.Shape()[1]
	if ta {
		m, k = k, m
	}
	kb, n := b.Shape()[0], b.Shape()[1]
	if tb {
		kb, n = n, kb
	}
	if k != kb {
		panicf("MatMul", "shapes %s do not fit (%s%v · %s%v)", shapesOf(a, b), tmark(ta), a.Shape(), tmark(tb), b.Shape())
	}
	y := tensor.MatMulTo(tensor.New[T](m, n), a.Data, b.Data, ta, tb)
	return Apply(&matmulFn[T]{ta: ta, tb: tb}, y, a, b)
}

func tmark(t bool) string {
	if t {
		return "ᵀ"
	}
	return ""
}

func (f *matmulFn[T]) Name() string { return "MatMul" }

// Backward of y = op(a)·op(b): the gradient of op(a) is gy·op(b)ᵀ and
// that of op(b) is op(a)ᵀ·gy, each transposed back when op transposed.
func (f *matmulFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	a, b := f.Inputs()[0], f.Inputs()[1]
	if f.NeedsGrad(0) {
		if !f.ta {
			gx[0] = gradProduct(a, gy, b, false, !f.tb)
		} else {
			gx[0] = gradProduct(a, b, gy, f.tb, true)
		}
	}
	if f.NeedsGrad(1) {
		if !f.tb {
			gx[1] = gradProduct(b, a, gy, !f.ta, false)
		} else {
			gx[1] = gradProduct(b, gy, a, true, f.ta)
		}
	}
}

// gradProduct returns op(p)·op(q) as the gradient of x. When one factor
// is no-grad (the output's gradient in a Backward without CreateGraph),
// the product records nothing and is written into the storage x's last
// gradient left (see RecycleGrad), which it overwrites: no allocation and
// no clearing of a weight's gradient at each training step. Otherwise it
// is matmulT's. The bits are the same either way.
func gradProduct[T tensor.Float](x, p, q *Variable[T], tp, tq bool) *Variable[T] {
	if p.flags&noGrad == 0 && q.flags&noGrad == 0 {
		return matmulT(p, q, tp, tq)
	}
	return gradOf(tensor.MatMulTo(gradBuf(x), p.Data, q.Data, tp, tq))
}

type linearFn[T tensor.Float] struct{ Node[T] }

// Linear returns x·W + b for x [m, k], W [k, n] and b [n] (or any shape
// that broadcasts to [m, n]), or x·W when b is nil: DeZero's F.linear, one
// function in the graph instead of two.
func Linear[T tensor.Float](x, W, b *Variable[T]) *Variable[T] {
	if b == nil {
		return MatMul(x, W)
	}
	if x.Rank() != 2 || W.Rank() != 2 || x.Shape()[1] != W.Shape()[0] {
		panicf("Linear", "shapes %s do not fit x·W + b", shapesOf(x, W, b))
	}
	m, n := x.Shape()[0], W.Shape()[1]
	if !fitsIn(b.Shape(), []int{m, n}) {
		panicf("Linear", "bias of shape %v does not broadcast to %v (shapes %s)", b.Shape(), []int{m, n}, shapesOf(x, W, b))
	}
	var y *tensor.Tensor[T]
	if b.Len() == n {
		y = tensor.AffineTo(tensor.New[T](m, n), x.Data, W.Data, b.Data)
	} else {
		y = tensor.MatMulTo(tensor.New[T](m, n), x.Data, W.Data, false, false)
		tensor.BinaryTo(y, tensor.OpAdd, y, b.Data)
	}
	return Apply(&linearFn[T]{}, y, x, W, b)
}

func (f *linearFn[T]) Name() string { return "Linear" }

func (f *linearFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	x, W, b := f.Inputs()[0], f.Inputs()[1], f.Inputs()[2]
	if f.NeedsGrad(0) {
		gx[0] = gradProduct(x, gy, W, false, true)
	}
	if f.NeedsGrad(1) {
		gx[1] = gradProduct(W, x, gy, true, false)
	}
	if f.NeedsGrad(2) {
		gx[2] = SumTo(gy, b.Shape()...)
	}
}
