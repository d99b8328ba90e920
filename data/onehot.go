package data

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// OneHot returns the one-hot encoding of the class indices y: a matrix
// [n, classes] with a 1 in column y[i] of row i and 0 elsewhere. y holds n
// class indices (a vector [n], as Set.Y does for classification). It panics
// if classes < 1 or a label is not an integer in [0, classes).
func OneHot[T tensor.Float](y *tensor.Tensor[T], classes int) *tensor.Tensor[T] {
	return OneHotTo(nil, y, classes)
}

// OneHotTo is OneHot writing into dst, resized with tensor.Reuse (dst may
// be nil), so that a training loop allocates nothing per batch. It returns
// dst.
func OneHotTo[T tensor.Float](dst, y *tensor.Tensor[T], classes int) *tensor.Tensor[T] {
	if classes < 1 {
		panic(fmt.Sprintf("data: OneHot: %d classes", classes))
	}
	n := len(y.Data)
	dst = tensor.Reuse(dst, n, classes)
	dst.Zero()
	for i, v := range y.Data {
		if v != T(int(v)) || v < 0 || int(v) >= classes {
			panic(fmt.Sprintf("data: OneHot: label %v of case %d out of range [0, %d)", v, i, classes))
		}
		dst.Data[i*classes+int(v)] = 1
	}
	return dst
}
