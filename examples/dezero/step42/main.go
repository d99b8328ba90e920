// Step 42 of DeZero: linear regression by gradient descent on 100 points
// y = 5 + 2x + noise (numpy's random numbers, seed 0), printing W, b and the
// mean squared error after each of 100 updates.
//
//	go run ./examples/dezero/step42
package main

import (
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type V = ag.Variable[float64]

func main() {
	r := rng.NewNumpy(0)
	x := tensor.New[float64](100, 1)
	for i := range x.Data {
		x.Data[i] = r.Float64() // np.random.rand(100, 1)
	}
	y := tensor.New[float64](100, 1)
	for i := range y.Data {
		y.Data[i] = 5 + 2*x.Data[i] + r.Float64() // evaluated left to right, as numpy does
	}
	xv, yv := ag.Const(x), ag.Const(y)
	W := ag.New(tensor.New[float64](1, 1))
	b := ag.New(tensor.New[float64](1))
	predict := func(x *V) *V { return ag.MatMul(x, W).Add(b) }
	// The step's own mean squared error, written with operators.
	mse := func(x0, x1 *V) *V {
		diff := x0.Sub(x1)
		return ag.Sum(diff.Pow(2), false).Div(ag.ConstScalar(float64(diff.Shape()[0])))
	}
	const lr, iters = 0.1, 100
	for range iters {
		loss := mse(yv, predict(xv))
		W.ClearGrad()
		b.ClearGrad()
		loss.Backward()
		tensor.AddScaled(W.Data, -lr, W.Grad.Data)
		tensor.AddScaled(b.Data, -lr, b.Grad.Data)
		fmt.Println(W, b, loss)
	}
}
