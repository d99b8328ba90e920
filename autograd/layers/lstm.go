package layers

import (
	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// LSTM is a long short-term memory layer (DeZero's L.LSTM): each call
// takes x [N, In] and returns the new hidden state [N, Hidden],
//
//	f = σ(x·Wxf + bf + h·Whf)    forget gate
//	i = σ(x·Wxi + bi + h·Whi)    input gate
//	o = σ(x·Wxo + bo + h·Who)    output gate
//	u = tanh(x·Wxu + bu + h·Whu) new memory
//	c = f⊙c + i⊙u
//	h = o⊙tanh(c)
//
// where the h terms are left out on the first call after ResetState and
// the f⊙c term too (the state starts empty, as DeZero's). Its sub-layers
// are x2f, x2i, x2o, x2u (Linear In → Hidden) and h2f, h2i, h2o, h2u
// (Linear Hidden → Hidden without bias), so its parameters are named
// "x2f.W", "x2f.b", ..., "h2u.W".
type LSTM[T tensor.Float] struct {
	Base[T]
	X2F, X2I, X2O, X2U *Linear[T]
	H2F, H2I, H2O, H2U *Linear[T]
	// H and C are the hidden state and the memory cell, nil after
	// ResetState.
	H, C *ag.Variable[T]
}

// NewLSTM returns an LSTM with the given hidden size, its input size taken
// from the first call when in is 0. As DeZero's, it draws the four h2*
// weights from r here (randn(Hidden, Hidden)·√(1/Hidden), in the order f,
// i, o, u) and the x2* weights at the first call. f32 makes its Linear
// layers hold float32 values, as DeZero's do.
func NewLSTM[T tensor.Float](hidden, in int, f32 bool, r *rng.MT) *LSTM[T] {
	l := &LSTM[T]{}
	x := func(name string) *Linear[T] { return Add(&l.Base, name, newLinear[T](in, hidden, false, r, f32)) }
	h := func(name string) *Linear[T] { return Add(&l.Base, name, newLinear[T](hidden, hidden, true, r, f32)) }
	l.X2F, l.X2I, l.X2O, l.X2U = x("x2f"), x("x2i"), x("x2o"), x("x2u")
	l.H2F, l.H2I, l.H2O, l.H2U = h("h2f"), h("h2i"), h("h2o"), h("h2u")
	return l
}

// ResetState forgets the hidden state and the memory cell.
func (l *LSTM[T]) ResetState() { l.H, l.C = nil, nil }

// Forward returns the new hidden state for x [N, In] and keeps it and the
// new memory cell.
func (l *LSTM[T]) Forward(x *ag.Variable[T]) *ag.Variable[T] {
	gate := func(wx, wh *Linear[T]) *ag.Variable[T] {
		a := wx.Forward(x)
		if l.H != nil {
			a = ag.Add(a, wh.Forward(l.H))
		}
		return a
	}
	f := ag.Sigmoid(gate(l.X2F, l.H2F))
	i := ag.Sigmoid(gate(l.X2I, l.H2I))
	o := ag.Sigmoid(gate(l.X2O, l.H2O))
	u := ag.Tanh(gate(l.X2U, l.H2U))
	var c *ag.Variable[T]
	if l.C == nil {
		c = ag.Mul(i, u)
	} else {
		c = ag.Add(ag.Mul(f, l.C), ag.Mul(i, u)) // DeZero's order of evaluation
	}
	l.H, l.C = ag.Mul(o, ag.Tanh(c)), c
	return l.H
}
