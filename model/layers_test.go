package model

import (
	"slices"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// double is a layer kind with a spec but no exporter: y = 2x. It is
// registered as "double", so a network holding it saves and loads, but
// exporting it must fail naming it.
type double[T tensor.Float] struct{ y, dx *tensor.Tensor[T] }

type doubleSpec struct{}

func (doubleSpec) Type() string                     { return "double" }
func (doubleSpec) OutShape(in []int) ([]int, error) { return in, nil }
func (doubleSpec) Footprint(_, out []int) (int, int) {
	n := 1
	for _, d := range out {
		if d < 0 {
			return 0, -1
		}
		n *= d
	}
	if out == nil {
		n = -1
	}
	return 0, n
}

func buildDouble[T tensor.Float](doubleSpec, *nn.Builder) (nn.Layer[T], error) {
	return &double[T]{}, nil
}

func init() { nn.Register("double", doubleSpec{}, buildDouble[float32], buildDouble[float64]) }

func (d *double[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	d.y = tensor.Reuse(d.y, x.Shape()...)
	for i, v := range x.Data {
		d.y.Data[i] = 2 * v
	}
	return d.y
}

func (d *double[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	d.dx = tensor.Reuse(d.dx, dy.Shape()...)
	for i, g := range dy.Data {
		d.dx.Data[i] = 2 * g
	}
	return d.dx
}

func (d *double[T]) Params() []*nn.Param[T] { return nil }
func (d *double[T]) Spec() nn.LayerSpec     { return doubleSpec{} }

// noSpec is a layer that cannot describe itself.
type noSpec[T tensor.Float] struct{ double[T] }

func (*noSpec[T]) Spec() {} // not nn.Specced: the wrong signature

// withLayer returns a copy of net (sharing its layers) with layer i
// replaced by l.
func withLayer[T tensor.Float](net *nn.Sequential[T], i int, l nn.Layer[T]) *nn.Sequential[T] {
	layers := slices.Clone(net.Layers)
	layers[i] = l
	s := nn.NewSequential(layers...)
	s.Input = net.Input
	return s
}
