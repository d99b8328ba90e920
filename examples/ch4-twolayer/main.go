// Command ch4-twolayer checks the gradient of chapter 4's two-layer network
// (TwoLayerNet 784-50-10, weights of std 0.01, seed 0) on three random
// 28x28 inputs: the numerical gradient against backpropagation's, the
// book's gradient_check (section 5.7.3), which prints differences of about
// 1e-10 and below for every parameter.
package main

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/tutorial"
)

// run compares the two gradients of a TwoLayerNet in-hidden-out on three
// random cases and returns the largest mean difference.
func run(w io.Writer, in, hidden, out int) float64 {
	r := rng.NewNumpy(0)
	net := tutorial.NewTwoLayerNet[float64](in, hidden, out, 0.01, r)
	x := tensor.New[float64](3, in)
	for i := range x.Data {
		x.Data[i] = r.Float64()
	}
	t := tensor.FromSlice([]float64{7, 2, 1}) // class indices, as MNIST's first test labels

	net.NumericalGradient(x, t)
	var numerical []*tensor.Tensor[float64]
	for _, p := range net.Params() {
		numerical = append(numerical, p.Grad.Clone())
	}
	loss := net.Gradient(x, t)
	fmt.Fprintf(w, "TwoLayerNet %d-%d-%d, loss %.6f; mean |numerical - backprop| per parameter:\n", in, hidden, out, loss)
	worst := 0.0
	for i, p := range net.Params() {
		sum := 0.0
		for j, v := range p.Grad.Data {
			sum += math.Abs(v - numerical[i].Data[j])
		}
		mean := sum / float64(len(p.Grad.Data))
		worst = max(worst, mean)
		fmt.Fprintf(w, "%s: %.2e\n", p.Name, mean)
	}
	return worst
}

func main() { run(os.Stdout, 784, 50, 10) }
