package autograd

import "github.com/kiso-go/kiso/tensor"

// Scalar graphs (micrograd's way of computing, one number a node) spend
// their time allocating, not computing. A 0-dimensional result of the
// arithmetic operations is therefore made in one allocation: the function,
// its output variable, the output's tensor and its element together.

// The scalar operations whose gradients Backward computes inline (a
// Variable's op).
const (
	opAdd uint8 = 1 + iota
	opSub
	opMul
)

// scalarGrad returns a 0-dimensional gradient holding v that records
// nothing, made by Backward pass id and held by one variable (its acc).
func scalarGrad[T tensor.Float](v T, id uint64) *Variable[T] {
	box := &struct {
		v Variable[T]
		t tensor.Tensor[T]
		d [1]T
	}{}
	box.d[0] = v
	box.t.Data = box.d[:]
	box.v.Data = &box.t
	box.v.flags = constant | noGrad
	box.v.acc = id
	return &box.v
}

// scalarBox is a function of type F and its 0-dimensional output.
type scalarBox[T tensor.Float, F any] struct {
	f F
	v Variable[T]
	t tensor.Tensor[T] // the zero Tensor with Data set is 0-dimensional
	d [1]T
}

// fnPtr is a pointer to a function struct F that implements Function.
type fnPtr[T tensor.Float, F any] interface {
	*F
	Function[T]
}

// scalar2 returns the 0-dimensional result y of F applied to a and b,
// recorded as Apply records it.
func scalar2[T tensor.Float, F any, P fnPtr[T, F]](y T, a, b *Variable[T], op uint8) *Variable[T] {
	if (a.flags|b.flags)&noGrad != 0 || a.flags&b.flags&constant != 0 {
		// Nothing is recorded (a gradient computed in a Backward
		// without CreateGraph, a constant): no function either.
		box := &struct {
			v Variable[T]
			t tensor.Tensor[T]
			d [1]T
		}{}
		box.d[0] = y
		box.t.Data = box.d[:]
		box.v.Data = &box.t
		return applyTo[T](nil, &box.v, a, b)
	}
	box := &scalarBox[T, F]{}
	box.d[0] = y
	box.t.Data = box.d[:]
	box.v.Data = &box.t
	box.v.op = op
	return applyTo[T](P(&box.f), &box.v, a, b)
}

// bothScalar reports whether a and b are 0-dimensional.
func bothScalar[T tensor.Float](a, b *Variable[T]) bool { return a.Rank() == 0 && b.Rank() == 0 }

// recording reports whether operations on the gradient gy are recorded
// (a Backward with CreateGraph): if not, a Backward may compute its
// gradient directly instead of through the package's operations.
func recording[T tensor.Float](gy *Variable[T]) bool { return gy.flags&noGrad == 0 }

// gradOf returns t as a gradient that records nothing. t must be storage
// made for this gradient alone (new, or from gradBuf): it is marked owned,
// so that RecycleGrad may keep it for reuse.
func gradOf[T tensor.Float](t *tensor.Tensor[T]) *Variable[T] {
	return &Variable[T]{Data: t, flags: constant | noGrad | owned}
}
