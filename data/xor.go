package data

import "github.com/kiso-go/kiso/tensor"

// XOR returns the tutorial's four XOR cases in the tutorial's order:
// (1,1) → class 0, (1,0) → class 1, (0,1) → class 1, (0,0) → class 0.
// X is [4, 2], Y is [4] and Classes is 2.
func XOR[T tensor.Float]() *Set[T] {
	return &Set[T]{
		X:            tensor.FromSlice([]T{1, 1, 1, 0, 0, 1, 0, 0}, 4, 2),
		Y:            tensor.FromSlice([]T{0, 1, 1, 0}),
		Classes:      2,
		FeatureNames: []string{"x1", "x2"},
	}
}
