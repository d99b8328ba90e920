// Step 44 of DeZero: step 43's network written with two lazily shaped
// Linear layers (layers.NewLinear32, DeZero's L.Linear(out): float32
// parameters drawn at the first call), the loss printed every 1000 of
// 10,000 updates. -iters shortens the run.
//
//	go run ./examples/dezero/step44
package main

import (
	"flag"
	"fmt"
	"math"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type V = ag.Variable[float64]

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
	l1 := layers.NewLinear32[float64](0, 10, false, r)
	l2 := layers.NewLinear32[float64](0, 1, false, r)
	predict := func(x *V) *V { return l2.Forward(ag.Sigmoid(l1.Forward(x))) }
	xv, yv := ag.Const(x), ag.Const(y)
	const lr = 0.2
	for i := range *iters {
		loss := ag.MeanSquaredError(yv, predict(xv))
		layers.ClearGrads(l1)
		layers.ClearGrads(l2)
		loss.Backward()
		for _, l := range []*layers.Linear[float64]{l1, l2} {
			for _, p := range layers.Params(l) {
				// p.data -= lr * p.grad.data: computed in float64 and
				// stored into DeZero's float32 array.
				tensor.AddScaled(p.Data, -lr, p.Grad.Data)
				layers.Round32(p.Data)
			}
		}
		if i%1000 == 0 {
			fmt.Println(loss)
		}
	}
}
