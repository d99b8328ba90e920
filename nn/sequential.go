package nn

import (
	"fmt"
	"strconv"

	"github.com/kiso-go/kiso/tensor"
)

// Sequential chains layers: the output of each is the input of the next.
// Its parameters are named PyTorch's way, by layer index: "0.weight",
// "0.bias", "2.weight", ... (see Container).
//
// Setting NoInputGrad makes Backward compute the parameter gradients only:
// it stops at the first layer that has parameters, which it asks for its
// parameter gradients alone when it can (Linear, Conv2D and nested
// Sequentials skip the product for dx, a third of a Linear layer's
// backward pass), and returns nil. The parameter gradients have the same
// bits either way. train.Trainer sets it for each of its backward passes,
// since nothing reads the gradient with respect to the data; gradient
// checks with respect to the input leave it unset.
type Sequential[T tensor.Float] struct {
	// Layers may be changed; Params follows.
	Layers      []Layer[T]
	NoInputGrad bool
	// Input is the shape of one case without the batch dimension, if
	// known: Build sets it from the spec, and exporters need it (when it
	// is empty they take a first Linear layer's input size).
	Input []int

	params paramList[T]
	built  *builtFrom[T]
}

// NewSequential returns the chain of layers. It panics if a layer is nil.
func NewSequential[T tensor.Float](layers ...Layer[T]) *Sequential[T] {
	for i, l := range layers {
		if l == nil {
			panic(fmt.Sprintf("nn: Sequential layer %d is nil", i))
		}
	}
	return &Sequential[T]{Layers: layers}
}

// Forward runs x through every layer in order.
func (s *Sequential[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	for _, l := range s.Layers {
		x = l.Forward(x, train)
	}
	return x
}

// Backward runs dy back through every layer in reverse order and returns
// the gradient with respect to the input, or, if NoInputGrad is set, stops
// at the first layer with parameters and returns nil (see Sequential).
func (s *Sequential[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if s.NoInputGrad {
		s.backwardParams(dy)
		return nil
	}
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Backward(dy)
	}
	return dy
}

// paramBackwarder is implemented by layers that can compute their
// parameter gradients without the gradient with respect to their input.
type paramBackwarder[T tensor.Float] interface {
	backwardParams(dy *tensor.Tensor[T])
}

// backwardParams runs dy back down to the first layer with parameters,
// which computes its parameter gradients alone when it can.
func (s *Sequential[T]) backwardParams(dy *tensor.Tensor[T]) {
	first := 0
	for first < len(s.Layers) && len(s.Layers[first].Params()) == 0 {
		first++
	}
	for i := len(s.Layers) - 1; i > first; i-- {
		dy = s.Layers[i].Backward(dy)
	}
	if first == len(s.Layers) {
		return
	}
	if l, ok := s.Layers[first].(paramBackwarder[T]); ok {
		l.backwardParams(dy)
		return
	}
	s.Layers[first].Backward(dy)
}

// Children returns the layers named by their index, "0", "1", ...
func (s *Sequential[T]) Children() []Child[T] {
	out := make([]Child[T], len(s.Layers))
	for i, l := range s.Layers {
		out[i] = Child[T]{Name: strconv.Itoa(i), Layer: l}
	}
	return out
}

// Params returns the parameters of every layer, in layer order, named
// "<index>.<name>". It is recomputed when the layers (or theirs) have
// changed since the last call, and otherwise returns the same slice
// without allocating.
func (s *Sequential[T]) Params() []*Param[T] {
	return s.params.get(len(s.Layers), func(i int) (string, Layer[T]) { return strconv.Itoa(i), s.Layers[i] })
}
