// Step 28 of DeZero: gradient descent on Rosenbrock's function, 1000
// iterations from (0, 2) with learning rate 0.001, printing (x0, x1) before
// each update.
//
//	go run ./examples/dezero/step28
package main

import (
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
)

type V = ag.Variable[float64]

// rosenbrock is 100(x1 - x0²)² + (x0 - 1)².
func rosenbrock(x0, x1 *V) *V {
	return ag.ConstScalar(100.0).Mul(x1.Sub(x0.Pow(2)).Pow(2)).Add(x0.AddScalar(-1).Pow(2))
}

func main() {
	x0 := ag.Scalar(0.0)
	x1 := ag.Scalar(2.0)
	const lr, iters = 0.001, 1000
	for range iters {
		fmt.Println(x0, x1)
		y := rosenbrock(x0, x1)
		x0.ClearGrad()
		x1.ClearGrad()
		y.Backward()
		x0.Data.Data[0] -= float64(lr * x0.Grad.Item())
		x1.Data.Data[0] -= float64(lr * x1.Grad.Item())
	}
}
