// Step 48 of DeZero: an MLP (2-10-3, sigmoid, float32 as DeZero's) trained
// on the spiral set by SGD (lr 1, batch 30, 300 epochs), the mean loss
// printed after each epoch. -epochs shortens the run; -plot draws the
// decision boundary, as the book's figure.
//
//	go run ./examples/dezero/step48 -plot spiral.png
package main

import (
	"flag"
	"fmt"
	"os"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func labels(y *tensor.Tensor[float32]) []int {
	t := make([]int, y.Len())
	for i, v := range y.Data {
		t[i] = int(v)
	}
	return t
}

func main() {
	maxEpoch := flag.Int("epochs", 300, "the number of epochs")
	out := flag.String("plot", "", "draw the decision boundary to this .png or .svg file")
	flag.Parse()
	const batchSize, hidden, lr = 30, 10, 1.0
	r := &rng.MT{}
	set := data.DeZeroSpiral[float32](true, r) // seeds r as get_spiral seeds numpy
	model := layers.NewMLP([]int{hidden, 3}, ag.Sigmoid[float32], true, r)
	opt := layers.Setup[float32](optim.NewSGD[float32](lr), model)
	n := set.Len()
	maxIter := (n + batchSize - 1) / batchSize
	var bx, by *tensor.Tensor[float32]
	for epoch := range *maxEpoch {
		index := r.Permutation(n)
		sumLoss := 0.0
		for i := range maxIter {
			batch := index[i*batchSize : min((i+1)*batchSize, n)]
			bx, by = set.GatherTo(bx, by, batch)
			t := labels(by)
			y := model.Forward(ag.Const(bx))
			loss := ag.SoftmaxCrossEntropy(y, t)
			layers.ClearGrads(model)
			loss.Backward()
			opt.Update()
			sumLoss += float64(loss.Item()) * float64(len(t))
		}
		fmt.Printf("epoch %d, loss %.2f\n", epoch+1, sumLoss/float64(n))
	}
	if *out == "" {
		return
	}
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{float64(set.X.Data[2*i]), float64(set.X.Data[2*i+1])}
	}
	err := plot.Boundary(*out, plot.BoundaryOptions{
		Title: "spiral, DeZero step 48", Points: pts, Labels: labels(set.Y),
		PredictRows: func(xy []float64, m int) []float64 {
			x := tensor.New[float32](m, 2)
			for i, v := range xy[:2*m] {
				x.Data[i] = float32(v)
			}
			p := ag.Softmax(model.Forward(ag.NoGrad(ag.Const(x))), 1)
			res := make([]float64, p.Len())
			for i, v := range p.Data.Data {
				res[i] = float64(v)
			}
			return res
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "step48:", err)
		os.Exit(1)
	}
}
