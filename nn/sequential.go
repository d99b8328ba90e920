package nn

import (
	"fmt"
	"strconv"

	"github.com/kiso-go/kiso/tensor"
)

// Sequential chains layers: the output of each is the input of the next.
// Its parameters are named PyTorch's way, by layer index: "0.weight",
// "0.bias", "2.weight", ...
type Sequential[T tensor.Float] struct {
	Layers []Layer[T]
	params []*Param[T]
}

// NewSequential returns the chain of layers and names their parameters
// "<index>.<name>".
func NewSequential[T tensor.Float](layers ...Layer[T]) *Sequential[T] {
	s := &Sequential[T]{Layers: layers}
	for i, l := range layers {
		if l == nil {
			panic(fmt.Sprintf("nn: Sequential layer %d is nil", i))
		}
		for _, p := range l.Params() {
			p.Name = strconv.Itoa(i) + "." + p.Name
			s.params = append(s.params, p)
		}
	}
	return s
}

// Forward runs x through every layer in order.
func (s *Sequential[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	for _, l := range s.Layers {
		x = l.Forward(x, train)
	}
	return x
}

// Backward runs dy back through every layer in reverse order.
func (s *Sequential[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Backward(dy)
	}
	return dy
}

// Params returns the parameters of every layer, in layer order.
func (s *Sequential[T]) Params() []*Param[T] { return s.params }
