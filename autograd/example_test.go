package autograd_test

import (
	"fmt"

	"github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/tensor"
)

// A function, its first and its second derivative: Backward with
// CreateGraph records the gradient's own graph, which a second Backward
// differentiates (DeZero steps 33-34).
func Example() {
	x := autograd.Scalar(2.0)
	y := autograd.Sub(autograd.Pow(x, 4), autograd.Mul(autograd.ConstScalar(2.0), autograd.Pow(x, 2)))
	fmt.Println("y   =", y)

	y.Backward(autograd.CreateGraph)
	gx := x.Grad
	fmt.Println("y'  =", gx)

	x.ClearGrad()
	gx.Backward()
	fmt.Println("y'' =", x.Grad)
	// Output:
	// y   = variable(8.0)
	// y'  = variable(24.0)
	// y'' = variable(44.0)
}

// Broadcasting follows numpy, and gradients are summed back to each
// input's shape.
func ExampleAdd() {
	x := autograd.New(tensorOf([]float64{1, 2, 3, 4, 5, 6}, 2, 3))
	b := autograd.New(tensorOf([]float64{10, 20, 30}, 3))
	y := autograd.Sum(autograd.Mul(autograd.Add(x, b), x), false)
	y.Backward()
	fmt.Println(x.Grad)
	fmt.Println(b.Grad)
	// Output:
	// variable([[12. 24. 36.]
	//           [18. 30. 42.]])
	// variable([5. 7. 9.])
}

// The first three derivatives of tanh at 0.5 (1-t², -2t(1-t²), (1-t²)(6t²-2) with t = tanh 0.5): each Backward with CreateGraph
// differentiates the previous derivative's graph (step 35).
func ExampleTanh() {
	x := autograd.Scalar(0.5)
	y := autograd.Tanh(x)
	for i := 1; i <= 3; i++ {
		x.ClearGrad()
		y.Backward(autograd.CreateGraph)
		y = x.Grad
		fmt.Printf("order %d: %.6f\n", i, y.Item())
	}
	// Output:
	// order 1: 0.786448
	// order 2: -0.726862
	// order 3: -0.565209
}

func tensorOf(v []float64, shape ...int) *tensor.Tensor[float64] {
	return tensor.FromSlice(v, shape...)
}
