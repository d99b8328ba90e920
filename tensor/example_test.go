package tensor_test

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// A batch of two cases through an affine map x·W + b.
func Example() {
	x := tensor.FromRows([][]float64{{1, 1}, {1, 0}})
	w := tensor.FromRows([][]float64{{0.5, -1}, {2, 0}})
	b := tensor.FromSlice([]float64{0.1, 0.2})
	y := tensor.MatMul(x, w)
	tensor.AddRowTo(y, y, b)
	fmt.Println(y)
	fmt.Println(tensor.ArgmaxRows(y), tensor.SumRows(y))
	// Output:
	// [[2.6 -0.8]
	//  [0.6 -0.8]]
	// [0 0] [3.2 -1.6]
}
