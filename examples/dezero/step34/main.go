// Step 34 of DeZero: sin and its first three derivatives on 200 points of
// [-7, 7], each derivative taken from the recorded graph of the one before
// (CreateGraph). Like the book's program it prints nothing; -plot draws
// the book's figure.
//
//	go run ./examples/dezero/step34 -plot sin.png
package main

import (
	"flag"
	"fmt"
	"os"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/tensor"
)

// linspace returns n points from start to stop as numpy.linspace computes
// them: start + i·step, the last one stop itself.
func linspace(start, stop float64, n int) []float64 {
	xs := make([]float64, n)
	step := (stop - start) / float64(n-1)
	for i := range xs {
		xs[i] = float64(float64(i)*step) + start
	}
	xs[n-1] = stop
	return xs
}

func main() {
	out := flag.String("plot", "", "write the figure to this .png or .svg file")
	flag.Parse()
	xs := linspace(-7, 7, 200)
	x := ag.New(tensor.FromSlice(xs))
	y := ag.Sin(x)
	y.Backward(ag.CreateGraph)
	logs := [][]float64{y.Data.Data}
	for range 3 {
		logs = append(logs, x.Grad.Data.Data)
		gx := x.Grad
		x.ClearGrad()
		gx.Backward(ag.CreateGraph)
	}
	if *out == "" {
		return
	}
	var series []plot.Series
	for i, name := range []string{"y=sin(x)", "y'", "y''", "y'''"} {
		series = append(series, plot.Series{Name: name, X: xs, Y: logs[i]})
	}
	if err := plot.Curve(*out, plot.ChartOptions{XLabel: "x", YLabel: "y", Series: series}); err != nil {
		fmt.Fprintln(os.Stderr, "step34:", err)
		os.Exit(1)
	}
}
