package layers

import (
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// MLP is a stack of lazily shaped Linear layers named l0, l1, ... with an
// activation between them (DeZero's models.MLP(fc_output_sizes,
// activation)).
type MLP[T tensor.Float] struct {
	Base[T]
	Layers     []*Linear[T]
	Activation func(*ag.Variable[T]) *ag.Variable[T]
}

// NewMLP returns an MLP with the given output sizes and activation
// (ag.Sigmoid[T] is DeZero's default). Its Linear layers hold float32
// values when f32 is set, as DeZero's do. It panics without sizes.
func NewMLP[T tensor.Float](sizes []int, activation func(*ag.Variable[T]) *ag.Variable[T], f32 bool, r *rng.MT) *MLP[T] {
	if len(sizes) == 0 {
		panic("layers: an MLP needs at least one output size")
	}
	m := &MLP[T]{Activation: activation}
	for i, s := range sizes {
		l := newLinear[T](0, s, false, r, f32)
		m.Layers = append(m.Layers, Add(&m.Base, fmt.Sprint("l", i), l))
	}
	return m
}

// Forward returns the network's output for x [N, in].
func (m *MLP[T]) Forward(x *ag.Variable[T]) *ag.Variable[T] {
	for _, l := range m.Layers[:len(m.Layers)-1] {
		x = m.Activation(l.Forward(x))
	}
	return m.Layers[len(m.Layers)-1].Forward(x)
}
