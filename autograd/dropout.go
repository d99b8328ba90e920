package autograd

import (
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Dropout returns x with each element kept with probability 1-ratio and
// scaled by 1/(1-ratio), the others zeroed, when train is set, and x itself
// otherwise (DeZero's dropout under Config.train). The mask draws one
// uniform number per element from r in row-major order, kept when it is
// above ratio, as np.random.rand(*x.shape) > ratio does.
func Dropout[T tensor.Float](x *Variable[T], ratio float64, train bool, r *rng.MT) *Variable[T] {
	if ratio < 0 || ratio >= 1 {
		panicf("Dropout", "ratio %v outside [0, 1) for shape %v", ratio, x.Shape())
	}
	if !train {
		return x
	}
	mask := tensor.New[T](x.Shape()...)
	for i := range mask.Data {
		if r.Float64() > ratio {
			mask.Data[i] = 1
		}
	}
	return Div(Mul(x, Const(mask)), ConstScalar(T(1-ratio)))
}
