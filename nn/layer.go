// Package nn holds kiso's layers: the Layer interface, parameters, Linear,
// activations, normalization, Dropout, convolution and pooling,
// embeddings, attention, recurrent layers, Sequential and composite
// modules, and the weight initializers.
//
// Each layer kind describes itself in its own file: its JSON config,
// shapes, construction (Register), and its ONNX and PyTorch export (see
// export.go). A Spec lists a chain of kinds or names an architecture
// (RegisterArchitecture) with its config. docs/layers.md shows how to add
// a kind in one file.
//
// Every layer keeps its Forward, Backward and Params side by side in one
// short file. Forward computes the output for a batch and remembers what
// Backward needs; Backward takes the gradient of the loss with respect to
// that output and returns the gradient with respect to the input, storing
// the gradients of the layer's parameters in their Grad tensors (overwriting
// them, as the book's layers do). Every layer has a float64 gradient check
// against central differences in its tests.
package nn

import "github.com/kiso-go/kiso/tensor"

// Layer is one differentiable stage of a network.
//
// Forward takes a batch x (the first dimension is the batch) and returns the
// output; train selects training behaviour where it differs from evaluation
// (Dropout, BatchNorm). The returned tensor belongs to the layer and stays
// valid until its next Forward; x must stay unchanged until Backward.
//
// Backward takes dy, the gradient of the loss with respect to the last
// output, and returns dx, the gradient with respect to the last input (owned
// by the layer, valid until the next Backward). It overwrites the Grad of
// every parameter.
//
// Params returns the layer's trainable parameters, in a fixed order; a layer
// without any returns nil.
type Layer[T tensor.Float] interface {
	Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T]
	Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T]
	Params() []*Param[T]
}

// Param is a trainable tensor and the gradient of the loss with respect to
// it. Name is the PyTorch-style name ("weight", "bias"; "0.weight" once a
// Sequential has numbered it), or the tutorial's ("W1", "b1") in
// tutorial.TwoLayerNet.
type Param[T tensor.Float] struct {
	Name  string
	Value *tensor.Tensor[T]
	Grad  *tensor.Tensor[T]
	// Decay reports whether L2 weight decay applies: true for weights,
	// false for biases and normalization parameters.
	Decay bool
	// Transposed reports whether model files and PyTorch hold the
	// transpose of Value: true for Linear's weight, kept [in, out] by kiso
	// and [out, in] by PyTorch.
	Transposed bool
}

// NewParam returns a parameter holding value, with a zero gradient of the
// same shape.
func NewParam[T tensor.Float](name string, value *tensor.Tensor[T], decay bool) *Param[T] {
	return &Param[T]{Name: name, Value: value, Grad: tensor.New[T](value.Shape()...), Decay: decay}
}

// ZeroGrad sets the gradient of every parameter to zero.
func ZeroGrad[T tensor.Float](params []*Param[T]) {
	for _, p := range params {
		p.Grad.Zero()
	}
}
