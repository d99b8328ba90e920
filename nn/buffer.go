package nn

import "github.com/kiso-go/kiso/tensor"

// Buffer is a tensor that a layer keeps but does not train, such as
// BatchNorm's running statistics. Buffers belong to the model: they are saved
// in model files next to the parameters and restored on load, under
// PyTorch's state_dict names ("running_mean", "1.running_var").
type Buffer[T tensor.Float] struct {
	Name  string
	Value *tensor.Tensor[T]
}

// Buffered is implemented by layers that have buffers. Buffers returns them
// in a fixed order, named as in the layer alone ("running_mean"); the
// returned Values are the layer's own tensors, so a loader restores a buffer
// by copying into its Value.
type Buffered[T tensor.Float] interface {
	Buffers() []*Buffer[T]
}

// BuffersOf returns the buffers of l, or nil if it has none. A Buffered layer
// gives its own Buffers. A Container (a Sequential, a composite module)
// gives the buffers of its children, in order, with names prefixed by the
// child's name the way its parameter names are ("1.running_mean",
// "blocks.0.norm.running_var"), descending into nested containers; these
// Buffers are new values whose Value is the layer's tensor, so copy into
// Value to restore one.
func BuffersOf[T tensor.Float](l Layer[T]) []*Buffer[T] {
	switch l := l.(type) {
	case Buffered[T]:
		return l.Buffers()
	case Container[T]:
		var out []*Buffer[T]
		for _, c := range l.Children() {
			for _, b := range BuffersOf(c.Layer) {
				out = append(out, &Buffer[T]{Name: c.Name + "." + b.Name, Value: b.Value})
			}
		}
		return out
	}
	return nil
}
