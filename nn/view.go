package nn

import "github.com/kiso-go/kiso/tensor"

// view returns data viewed in the given shape: v itself if v already views
// this very storage in that shape, otherwise a new tensor. A view that a
// layer has returned keeps its storage: it is never pointed elsewhere, so
// a caller holding an earlier output does not see it change under it. In
// a training loop the storage and shape repeat, and the call allocates
// nothing. shape is kept by the caller (passing a stored slice rather than
// a list of sizes is what keeps the call from allocating).
func view[T tensor.Float](v *tensor.Tensor[T], data []T, shape []int) *tensor.Tensor[T] {
	if v != nil && len(data) == len(v.Data) && (len(data) == 0 || &data[0] == &v.Data[0]) && tensor.EqualShape(v.Shape(), shape) {
		return v
	}
	return tensor.FromSlice(data, shape...)
}
