package tensor_test

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// A layer's x·W + b in one call.
func ExampleAffineTo() {
	x := tensor.FromRows([][]float64{{1, 1}, {1, 0}})
	w := tensor.FromRows([][]float64{{0.5, -1}, {2, 0}})
	b := tensor.FromSlice([]float64{0.1, 0.2})
	fmt.Println(tensor.AffineTo(tensor.New[float64](2, 2), x, w, b))
	// Output:
	// [[2.6 -0.8]
	//  [0.6 -0.8]]
}

// Exp and Log return the float64 nearest to the exact value, on every
// platform (math.Exp(1.5) and math.Log(3) are one off on amd64).
func ExampleExp() {
	fmt.Println(tensor.Exp(1.5), tensor.Log(3))
	// Output:
	// 4.4816890703380645 1.0986122886681098
}

// Kernels tells which matrix kernels the CPU selected; kiso version prints it.
func ExampleKernels() {
	k := tensor.Kernels()
	fmt.Println(k == "avx2+fma" || k == "portable")
	// Output:
	// true
}
