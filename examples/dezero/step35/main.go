// Step 35 of DeZero: the graph of the second derivative of tanh, made by
// differentiating the recorded graph of the first, drawn as the book draws
// it (Graphviz's dot renders .png and .svg; .dot writes the text). -iters n
// draws the (n+1)-th derivative. Like the book's program it prints nothing.
//
//	go run ./examples/dezero/step35 -out tanh.png
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/plot"
)

func main() {
	out := flag.String("out", "tanh.png", "the file to write (.png, .svg, .pdf or .dot); an existing file is not replaced")
	iters := flag.Int("iters", 1, "how many times the gradient is differentiated again")
	flag.Parse()
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "step35: %s exists; remove it or name another file with -out\n", *out)
		os.Exit(1)
	}
	x := ag.Scalar(1.0)
	y := ag.Tanh(x)
	x.Name = "x"
	y.Name = "y"
	y.Backward(ag.CreateGraph)
	for range *iters {
		gx := x.Grad
		x.ClearGrad()
		gx.Backward(ag.CreateGraph)
	}
	gx := x.Grad
	gx.Name = fmt.Sprint("gx", *iters+1)
	if err := plot.DOT(context.Background(), *out, ag.DOT(gx, false)); err != nil {
		fmt.Fprintln(os.Stderr, "step35:", err)
		os.Exit(1)
	}
}
