package layers

import (
	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// RNN is an Elman recurrent layer with tanh (DeZero's L.RNN): each call
// takes x [N, In] and returns the new hidden state [N, Hidden],
//
//	h = tanh(x·Wxh + bxh + h·Whh)
//
// where the h·Whh term is left out on the first call after ResetState (the
// state starts empty, not at zero, as DeZero's). The state is kept between
// calls, so that the layer reads a sequence one step per call. Its
// sub-layers are x2h (Linear In → Hidden) and h2h (Linear Hidden → Hidden
// without bias), so its parameters are named "x2h.W", "x2h.b", "h2h.W".
type RNN[T tensor.Float] struct {
	Base[T]
	X2H, H2H *Linear[T]
	// H is the hidden state, nil after ResetState.
	H *ag.Variable[T]
}

// NewRNN returns an RNN with the given hidden size, its input size taken
// from the first call when in is 0 (DeZero's default). Its weights are
// drawn from r lazily as DeZero's are: x2h's at the first call, h2h's at
// the second (the first that uses it). f32 makes its Linear layers hold
// float32 values, as DeZero's do. (DeZero gives h2h the input size when
// in_size is given, which fails for in ≠ hidden; here h2h is always
// Hidden → Hidden.)
func NewRNN[T tensor.Float](hidden, in int, f32 bool, r *rng.MT) *RNN[T] {
	l := &RNN[T]{}
	l.X2H = Add(&l.Base, "x2h", newLinear[T](in, hidden, false, r, f32))
	l.H2H = Add(&l.Base, "h2h", newLinear[T](0, hidden, true, r, f32))
	return l
}

// ResetState forgets the hidden state (DeZero's reset_state).
func (l *RNN[T]) ResetState() { l.H = nil }

// Forward returns the new hidden state for x [N, In] and keeps it.
func (l *RNN[T]) Forward(x *ag.Variable[T]) *ag.Variable[T] {
	a := l.X2H.Forward(x)
	if l.H != nil {
		a = ag.Add(a, l.H2H.Forward(l.H))
	}
	l.H = ag.Tanh(a)
	return l.H
}
