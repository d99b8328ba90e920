package layers

import (
	"fmt"
	"math"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Linear is x·W + b for x [N, In], W [In, Out] and b [Out] (DeZero's
// L.Linear). When In is 0 it is taken from the first input, and W is drawn
// then: W = randn(In, Out)·√(1/In) from R, in numpy's order, so that a
// program seeded as DeZero's gets DeZero's weights. b starts at zero.
//
// Like DeZero's, whose parameters are float32 arrays by default, a Linear
// made with NewLinear32 keeps float32 values in a float64 network: W is
// drawn as float32(randn)·float32(√(1/In)) in float32, and both parameters
// are registered with Param32.
type Linear[T tensor.Float] struct {
	Base[T]
	In, Out int
	W, B    *ag.Variable[T] // B is nil without a bias
	R       *rng.MT
	f32     bool
}

// NewLinear returns a Linear to Out features whose input size is taken from
// the first call (in = 0) or given, with a bias unless nobias. It panics
// if out < 1 or in < 0.
func NewLinear[T tensor.Float](in, out int, nobias bool, r *rng.MT) *Linear[T] {
	return newLinear[T](in, out, nobias, r, false)
}

// NewLinear32 returns a Linear whose parameters hold float32 values, as
// DeZero's L.Linear(out) (dtype np.float32).
func NewLinear32[T tensor.Float](in, out int, nobias bool, r *rng.MT) *Linear[T] {
	return newLinear[T](in, out, nobias, r, true)
}

func newLinear[T tensor.Float](in, out int, nobias bool, r *rng.MT, f32 bool) *Linear[T] {
	if out < 1 || in < 0 {
		panic(fmt.Sprintf("layers: Linear(%d, %d): sizes must be positive", in, out))
	}
	l := &Linear[T]{In: in, Out: out, R: r, f32: f32}
	reg := l.Param
	if f32 {
		reg = l.Param32
	}
	l.W = reg("W", ag.New[T](nil))
	if !nobias {
		l.B = reg("b", ag.New(tensor.New[T](out)))
	}
	if in > 0 {
		l.initW()
	}
	return l
}

func (l *Linear[T]) initW() {
	w := tensor.New[T](l.In, l.Out)
	scale := math.Sqrt(1 / float64(l.In))
	for i := range w.Data {
		if l.f32 {
			w.Data[i] = T(float32(l.R.Norm()) * float32(scale))
		} else {
			w.Data[i] = T(l.R.Norm() * scale)
		}
	}
	l.W.Data = w
}

// Forward returns x·W + b for x [N, In]; the first call fixes In when it
// was 0. It panics if x is not [N, In].
func (l *Linear[T]) Forward(x *ag.Variable[T]) *ag.Variable[T] {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("layers: Linear needs an input [N, in], got %v", x.Shape()))
	}
	if l.W.Data == nil {
		l.In = x.Shape()[1]
		l.initW()
	} else if l.In == 0 {
		l.In = l.W.Shape()[0] // W came from Load
	}
	return ag.Linear(x, l.W, l.B)
}
