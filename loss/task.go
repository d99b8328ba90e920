package loss

import "github.com/kiso-go/kiso/tensor"

// ForTask returns the loss kiso trains and evaluates a task with: softmax
// cross-entropy for a classification into classes > 0 classes, mean
// squared error for a regression (classes 0), as data.Set.Classes tells
// them apart.
func ForTask[T tensor.Float](classes int) Loss[T] {
	if classes == 0 {
		return &MSE[T]{}
	}
	return &SoftmaxCrossEntropy[T]{}
}
