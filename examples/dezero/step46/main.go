// Step 46 of DeZero: the network as layers.NewMLP (DeZero's MLP((10, 1)))
// trained by optim's SGD through layers.Setup; the loss every 1000 of
// 10,000 updates. -iters shortens the run.
//
//	go run ./examples/dezero/step46
package main

import (
	"flag"
	"fmt"
	"math"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/optim"
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
	const lr, hidden = 0.2, 10
	model := layers.NewMLP([]int{hidden, 1}, ag.Sigmoid[float64], true, r)
	opt := layers.Setup[float64](optim.NewSGD[float64](lr), model)
	xv, yv := ag.Const(x), ag.Const(y)
	for i := range *iters {
		loss := ag.MeanSquaredError(yv, model.Forward(xv))
		layers.ClearGrads(model)
		loss.Backward()
		opt.Update()
		if i%1000 == 0 {
			fmt.Println(loss)
		}
	}
}
