// Step 43 of DeZero: a two-layer network (1-10-1, sigmoid) fitted to
// y = sin(2πx) + noise by 10,000 steps of gradient descent, the loss
// printed every 1000 steps. -iters shortens the run.
//
//	go run ./examples/dezero/step43
package main

import (
	"flag"
	"fmt"
	"math"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func main() {
	iters := flag.Int("iters", 10000, "the number of updates")
	flag.Parse()
	r := rng.NewNumpy(0)
	x := tensor.New[float64](100, 1)
	for i := range x.Data {
		x.Data[i] = r.Float64()
	}
	y := tensor.New[float64](100, 1)
	for i := range y.Data {
		y.Data[i] = math.Sin(2*math.Pi*x.Data[i]) + r.Float64()
	}
	const I, H, O = 1, 10, 1
	randn := func(rows, cols int) *tensor.Tensor[float64] {
		t := tensor.New[float64](rows, cols)
		for i := range t.Data {
			t.Data[i] = 0.01 * r.Norm()
		}
		return t
	}
	W1 := ag.New(randn(I, H))
	b1 := ag.New(tensor.New[float64](H))
	W2 := ag.New(randn(H, O))
	b2 := ag.New(tensor.New[float64](O))
	params := []*ag.Variable[float64]{W1, b1, W2, b2}
	xv, yv := ag.Const(x), ag.Const(y)
	predict := func(x *ag.Variable[float64]) *ag.Variable[float64] {
		return ag.Linear(ag.Sigmoid(ag.Linear(x, W1, b1)), W2, b2)
	}
	const lr = 0.2
	for i := range *iters {
		loss := ag.MeanSquaredError(yv, predict(xv))
		for _, p := range params {
			p.ClearGrad()
		}
		loss.Backward()
		for _, p := range params {
			tensor.AddScaled(p.Data, -lr, p.Grad.Data)
		}
		if i%1000 == 0 {
			fmt.Println(loss)
		}
	}
}
