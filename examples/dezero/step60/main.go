// Step 60 of DeZero: the sine wave again, now with an LSTM (DeZero's
// BetterRNN: an LSTM of 100 hidden units and a Linear to 1) fed 30
// sequences side by side (DeZero's SeqDataLoader: batch i reads the points
// i, 33+i, 66+i, ...), trained by Adam: the average loss of each of 100
// epochs. -plot draws the prediction of cos(x).
//
// DeZero's step draws from numpy's unseeded generator; this program draws
// from rng.NewNumpy(-seed), and the test seeds numpy with the same number.
//
//	go run ./examples/dezero/step60
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

// BetterRNN is DeZero's BetterRNN: an LSTM and a Linear.
type BetterRNN struct {
	layers.Base[float64]
	RNN *layers.LSTM[float64]
	FC  *layers.Linear[float64]
}

func newBetterRNN(hidden, out int, r *rng.MT) *BetterRNN {
	m := &BetterRNN{}
	m.RNN = layers.Add(&m.Base, "rnn", layers.NewLSTM[float64](hidden, 0, true, r))
	m.FC = layers.Add(&m.Base, "fc", layers.NewLinear32[float64](0, out, false, r))
	return m
}

func (m *BetterRNN) Forward(x *ag.Variable[float64]) *ag.Variable[float64] {
	return m.FC.Forward(m.RNN.Forward(x))
}

// seqBatches returns DeZero's SeqDataLoader batches of s: ⌈n/size⌉
// batches, batch k holding rows (i·⌊n/size⌋ + k) mod n for i < size.
func seqBatches(s *data.Set[float64], size int) (xs, ts []*tensor.Tensor[float64]) {
	n := s.Len()
	jump := n / size
	for k := 0; k < (n+size-1)/size; k++ {
		x, t := tensor.New[float64](size, 1), tensor.New[float64](size, 1)
		for i := range size {
			j := (i*jump + k) % n
			x.Data[i], t.Data[i] = s.X.Data[j], s.Y.Data[j]
		}
		xs, ts = append(xs, x), append(ts, t)
	}
	return xs, ts
}

func main() {
	seed := flag.Uint("seed", 0, "the seed of numpy's generator")
	maxEpoch := flag.Int("epochs", 100, "the number of epochs")
	out := flag.String("plot", "", "draw the prediction of cos(x) to this .png or .svg")
	flag.Parse()
	const batchSize, hidden, bptt = 30, 100, 30
	r := rng.NewNumpy(uint32(*seed))
	train := data.DeZeroSinCurve[float64](true, r)
	seqlen := train.Len()
	xs, ts := seqBatches(train, batchSize)
	model := newBetterRNN(hidden, 1, r)
	opt := layers.NewDeZeroAdam[float64](0.001, model)
	for epoch := range *maxEpoch {
		model.RNN.ResetState()
		var loss *ag.Variable[float64]
		count := 0
		for k := range xs {
			l := ag.MeanSquaredError(model.Forward(ag.Const(xs[k])), ag.Const(ts[k]))
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
