// Command quickstart is kiso's library in one page: build a network, train
// it on the circle set, save it, load it back and predict.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

func main() {
	if err := run(os.Stdout, "circle.kiso"); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, path string) error {
	// Data: 400 points, class 1 inside a circle; 100 held out for testing.
	all, err := data.Toy[float64]("circle", 400, 0.1, rng.NewNumpy(1))
	if err != nil {
		return err
	}
	trainSet, testSet := data.Split(all, 0.25, rng.NewNumpy(2))

	// Build 2-16-16-2 with tanh, He's weights; train with Adam.
	spec := nn.MLP(2, []int{16, 16}, 2, nn.Tanh, nn.MLPOptions{})
	net, err := nn.Build[float64](spec, nn.He, rng.NewNumpy(0))
	if err != nil {
		return err
	}
	trainer := train.New[float64](net, &loss.SoftmaxCrossEntropy[float64]{},
		optim.NewAdam[float64](0.01, 0.9, 0.999), train.Config{Epochs: 100, BatchSize: 10, Seed: 3})
	hist, err := trainer.Fit(context.Background(), trainSet, testSet)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "test accuracy after %d epochs: %.0f%%\n", hist.Last().Epoch, 100*hist.Last().TestAcc)

	// Save, load, predict.
	if err := model.Save(path, net, model.Info{Dataset: "circle", Classes: 2}); err != nil {
		return err
	}
	m, err := model.Load[float64](path)
	if err != nil {
		return err
	}
	x := tensor.FromRows([][]float64{{0, 0}, {5, 5}}) // the centre, and far outside
	p := loss.Softmax(m.Net.Forward(x, false))
	fmt.Fprintf(w, "P(inside) at (0,0): %.2f, at (5,5): %.2f\n", p.At(0, 1), p.At(1, 1))
	return nil
}
