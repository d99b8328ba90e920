package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// FlattenSpec is the config of a Flatten layer: {"type": "flatten"}.
type FlattenSpec struct{}

func init() { Register("flatten", FlattenSpec{}, buildFlatten[float32], buildFlatten[float64]) }

// Type returns "flatten".
func (FlattenSpec) Type() string { return "flatten" }

// OutShape returns [n] for an input case of n elements.
func (FlattenSpec) OutShape(in []int) ([]int, error) {
	if n := numel(in); n > 0 {
		return []int{n}, nil
	}
	return []int{-1}, nil
}

// Footprint counts the output (a view, but counted as the other layers'
// outputs are).
func (FlattenSpec) Footprint(_, out []int) (int, int) { return 0, numel(out) }

func buildFlatten[T tensor.Float](FlattenSpec, *Builder) (Layer[T], error) {
	return NewFlatten[T](), nil
}

// Spec returns the layer's config.
func (f *Flatten[T]) Spec() LayerSpec { return FlattenSpec{} }

// ExportONNX writes Flatten (axis 1).
func (f *Flatten[T]) ExportONNX(g ONNXGraph) (string, error) {
	return g.Node("Flatten", "flatten", []string{g.Input()}, IntAttr("axis", 1)), nil
}

// TorchModule returns nn.Flatten().
func (f *Flatten[T]) TorchModule(TorchGraph) (string, error) { return "nn.Flatten()", nil }

var (
	_ Layer[float64] = (*Flatten[float64])(nil)
	_ Specced        = (*Flatten[float64])(nil)
	_ ONNXExporter   = (*Flatten[float64])(nil)
	_ TorchExporter  = (*Flatten[float64])(nil)
)

// Flatten reshapes a batch [batch, d1, d2, ...] to [batch, d1·d2·...], as
// between the convolutional and the fully connected part of a network.
// Its output shares storage with its input, and Backward's dx shares
// storage with dy: nothing is copied.
type Flatten[T tensor.Float] struct {
	xShape, yShape []int
	y, dx          *tensor.Tensor[T]
}

// NewFlatten returns a Flatten layer.
func NewFlatten[T tensor.Float]() *Flatten[T] { return &Flatten[T]{} }

// Forward returns x viewed as [batch, rest].
func (f *Flatten[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if x.Rank() < 1 {
		panic("nn: Flatten needs a batch, got a scalar")
	}
	f.xShape = append(f.xShape[:0], x.Shape()...)
	if len(f.yShape) != 2 || f.yShape[0] != x.Rows() || f.yShape[1] != x.Cols() {
		f.yShape = []int{x.Rows(), x.Cols()}
	}
	f.y = view(f.y, x.Data, f.yShape)
	return f.y
}

// Backward returns dy viewed in the shape of the last input.
func (f *Flatten[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, f.y) {
		panic(fmt.Sprintf("nn: Flatten backward got gradient of shape %v for output %v", dy.Shape(), f.y.Shape()))
	}
	f.dx = view(f.dx, dy.Data, f.xShape)
	return f.dx
}

// Params returns nil: Flatten has no parameters.
func (f *Flatten[T]) Params() []*Param[T] { return nil }
