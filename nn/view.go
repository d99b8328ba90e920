package nn

import "github.com/kiso-go/kiso/tensor"

// matrix returns data viewed as a [rows, cols] tensor, reusing v when it
// already has that shape, so that a layer can look at part of a batch (one
// image) as a matrix without allocating at every step. data must hold
// rows·cols elements.
func matrix[T tensor.Float](v *tensor.Tensor[T], data []T, rows, cols int) *tensor.Tensor[T] {
	if v != nil && v.Rank() == 2 && v.Dim(0) == rows && v.Dim(1) == cols && len(data) == len(v.Data) {
		v.Data = data
		return v
	}
	return tensor.FromSlice(data, rows, cols)
}

// viewAs is matrix for any shape; shape is kept by the caller (passing a
// stored slice rather than a list of sizes is what keeps the call from
// allocating).
func viewAs[T tensor.Float](v *tensor.Tensor[T], data []T, shape []int) *tensor.Tensor[T] {
	if v != nil && tensor.EqualShape(v.Shape(), shape) && len(data) == len(v.Data) {
		v.Data = data
		return v
	}
	return tensor.FromSlice(data, shape...)
}
