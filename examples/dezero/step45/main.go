// Step 45 of DeZero: the same network as a Model with two Linear layers
// (a struct embedding layers.Base), its parameters updated by a loop over
// layers.Params; the loss every 1000 of 10,000 updates. -iters shortens
// the run.
//
//	go run ./examples/dezero/step45
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

// TwoLayerNet is the step's model: Linear, sigmoid, Linear.
type TwoLayerNet struct {
	layers.Base[float64]
	l1, l2 *layers.Linear[float64]
}

func NewTwoLayerNet(hidden, out int, r *rng.MT) *TwoLayerNet {
	m := &TwoLayerNet{}
	m.l1 = layers.Add(&m.Base, "l1", layers.NewLinear32[float64](0, hidden, false, r))
	m.l2 = layers.Add(&m.Base, "l2", layers.NewLinear32[float64](0, out, false, r))
	return m
}

func (m *TwoLayerNet) Forward(x *V) *V { return m.l2.Forward(ag.Sigmoid(m.l1.Forward(x))) }

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
	model := NewTwoLayerNet(hidden, 1, r)
	xv, yv := ag.Const(x), ag.Const(y)
	for i := range *iters {
		loss := ag.MeanSquaredError(yv, model.Forward(xv))
		layers.ClearGrads(model)
		loss.Backward()
		for _, p := range layers.Params(model) {
			tensor.AddScaled(p.Data, -lr, p.Grad.Data)
			layers.Round32(p.Data) // DeZero's parameters are float32 arrays
		}
		if i%1000 == 0 {
			fmt.Println(loss)
		}
	}
}
