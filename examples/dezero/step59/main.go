// Step 59 of DeZero: a recurrent network (DeZero's SimpleRNN: an RNN of
// 100 hidden units and a Linear to 1) learns to predict the next point of
// a noisy sine wave, trained by Adam with truncated backpropagation
// through time (30 steps): the average loss of each of 100 epochs. -plot
// draws the prediction of cos(x) beside it, as the book's figure.
//
// DeZero's step draws from numpy's unseeded generator (the noise, the
// weights); this program draws from rng.NewNumpy(-seed), and the test
// seeds numpy with the same number before running the Python step.
//
//	go run ./examples/dezero/step59
package main

import (
	"flag"
	"fmt"
	"log"
	"math"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// SimpleRNN is DeZero's SimpleRNN: an RNN and a Linear.
type SimpleRNN struct {
	layers.Base[float64]
	RNN *layers.RNN[float64]
	FC  *layers.Linear[float64]
}

func newSimpleRNN(hidden, out int, r *rng.MT) *SimpleRNN {
	m := &SimpleRNN{}
	m.RNN = layers.Add(&m.Base, "rnn", layers.NewRNN[float64](hidden, 0, true, r))
	m.FC = layers.Add(&m.Base, "fc", layers.NewLinear32[float64](0, out, false, r))
	return m
}

func (m *SimpleRNN) Forward(x *ag.Variable[float64]) *ag.Variable[float64] {
	return m.FC.Forward(m.RNN.Forward(x))
}

func main() {
	seed := flag.Uint("seed", 0, "the seed of numpy's generator")
	maxEpoch := flag.Int("epochs", 100, "the number of epochs")
	out := flag.String("plot", "", "draw the prediction of cos(x) to this .png or .svg")
	flag.Parse()
	const hidden, bptt = 100, 30
	r := rng.NewNumpy(uint32(*seed))
	train := data.DeZeroSinCurve[float64](true, r)
	seqlen := train.Len()
	model := newSimpleRNN(hidden, 1, r)
	opt := layers.NewDeZeroAdam[float64](0.001, model)
	for epoch := range *maxEpoch {
		model.RNN.ResetState()
		var loss *ag.Variable[float64]
		count := 0
		for i := range seqlen {
			x := tensor.FromSlice([]float64{train.X.Data[i]}, 1, 1)
			t := tensor.FromSlice([]float64{train.Y.Data[i]}, 1, 1)
			l := ag.MeanSquaredError(model.Forward(ag.Const(x)), ag.Const(t))
			if loss == nil {
				loss = l
			} else {
				loss = ag.Add(loss, l)
			}
			count++
			if count%bptt == 0 || count == seqlen {
				layers.ClearGrads(model)
				loss.Backward()
				loss.UnchainBackward()
				opt.Update()
			}
		}
		fmt.Printf("| epoch %d | loss %f\n", epoch+1, loss.Item()/float64(count))
	}
	if *out != "" {
		if err := drawCos(*out, model.Forward, model.RNN.ResetState); err != nil {
			log.Fatal(err)
		}
	}
}

// drawCos feeds cos(x) over [0, 4π] (1000 points) to the model one point
// at a time and draws its predictions beside the curve.
func drawCos(path string, forward func(*ag.Variable[float64]) *ag.Variable[float64], reset func()) error {
	const n = 1000
	reset()
	xs, ys, preds := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		xs[i] = float64(i)
		ys[i] = math.Cos(4 * math.Pi * float64(i) / (n - 1))
		x := tensor.FromSlice([]float64{ys[i]}, 1, 1)
		preds[i] = forward(ag.NoGrad(ag.Const(x))).Item()
	}
	return plot.Curve(path, plot.ChartOptions{XLabel: "x", YLabel: "y", Series: []plot.Series{
		{Name: "y=cos(x)", X: xs, Y: ys},
		{Name: "predict", X: xs, Y: preds},
	}})
}
