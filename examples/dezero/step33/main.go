// Step 33 of DeZero: Newton's method on y = x⁴ - 2x², the second
// derivative taken from the recorded graph of the first (CreateGraph). It
// reaches x = 1.0 at iteration 7.
//
//	go run ./examples/dezero/step33
package main

import (
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
)

type V = ag.Variable[float64]

func f(x *V) *V { return x.Pow(4).Sub(ag.ConstScalar(2.0).Mul(x.Pow(2))) }

func main() {
	x := ag.Scalar(2.0)
	for i := range 10 {
		fmt.Println(i, x)
		y := f(x)
		x.ClearGrad()
		y.Backward(ag.CreateGraph)
		gx := x.Grad
		x.ClearGrad()
		gx.Backward()
		gx2 := x.Grad
		x.Data.Data[0] -= gx.Item() / gx2.Item()
	}
}
