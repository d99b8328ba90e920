package layers

import (
	"fmt"
	"strings"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// NN is an nn.Layer used inside an autograd graph: each Forward records one
// function whose backward is the layer's hand-written Backward, so that
// kiso's layers (Conv2D, BatchNorm, an LSTM, a whole Sequential) mix with
// autograd operations, custom losses and Optimizer. Its parameters are the
// layer's, as Variables sharing their tensors (an update through Optimizer
// updates the layer), named by the layer's own names with dots read as
// paths ("weight"; "0.weight" of a Sequential is sub-layer "0", "weight").
//
// An nn layer remembers only its last Forward, so one NN may be called
// once per Backward: calling it again before the Backward of an earlier
// call panics in that Backward. Its gradients are first derivatives only:
// a Backward with CreateGraph through it panics. Train selects the
// layer's training behaviour (Dropout, BatchNorm).
type NN[T tensor.Float] struct {
	Base[T]
	L     nn.Layer[T]
	Train bool

	vars  []*ag.Variable[T]
	calls uint64
}

// FromNN returns l as a layer of autograd graphs, in training mode.
func FromNN[T tensor.Float](l nn.Layer[T]) *NN[T] {
	m := &NN[T]{L: l, Train: true}
	holders := map[string]*Base[T]{"": &m.Base}
	for _, p := range l.Params() {
		parts := strings.Split(p.Name, ".")
		b, prefix := &m.Base, ""
		for _, dir := range parts[:len(parts)-1] {
			prefix += dir + "."
			if holders[prefix] == nil {
				h := &holder[T]{}
				Add[T](b, dir, h)
				holders[prefix] = &h.Base
			}
			b = holders[prefix]
		}
		m.vars = append(m.vars, b.Param(parts[len(parts)-1], ag.Named(p.Name, p.Value)))
	}
	return m
}

// holder is a sub-layer made for a dotted parameter name.
type holder[T tensor.Float] struct{ Base[T] }

// Forward returns the layer's output for x as a Variable (a copy of the
// layer's output tensor, which the layer reuses) recorded with x and the
// parameters as inputs.
func (m *NN[T]) Forward(x *ag.Variable[T]) *ag.Variable[T] {
	m.calls++
	y := m.L.Forward(x.Data, m.Train).Clone()
	f := &nnFn[T]{m: m, call: m.calls}
	return ag.Apply(f, y, append([]*ag.Variable[T]{x}, m.vars...)...)
}

type nnFn[T tensor.Float] struct {
	ag.Node[T]
	m    *NN[T]
	call uint64
}

// Name is the layer's type as Go writes it, without pointer and type
// parameters: "nn.Linear".
func (f *nnFn[T]) Name() string {
	name := strings.TrimPrefix(fmt.Sprintf("%T", f.m.L), "*")
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return name
}

func (f *nnFn[T]) Backward(gy *ag.Variable[T], gx []*ag.Variable[T]) {
	if gy.RequiresGrad() {
		panic(fmt.Sprintf("layers: %s: an nn layer's backward is hand-written: no CreateGraph through it", f.Name()))
	}
	if f.call != f.m.calls {
		panic(fmt.Sprintf("layers: %s: the layer ran Forward again before this call's Backward (an nn layer keeps only its last Forward): use one NN per call", f.Name()))
	}
	dx := f.m.L.Backward(gy.Data)
	if f.NeedsGrad(0) {
		gx[0] = ag.Const(dx.Clone())
	}
	for i, p := range f.m.L.Params() {
		gx[i+1] = ag.Const(p.Grad.Clone())
	}
}
