// Command ch3-activations draws chapter 3's activation functions, the
// step function, the sigmoid and ReLU, on [-5, 5] (figures 3-6, 3-7 and
// 3-9 of the book in one chart), to activations.png or the file given as
// the first argument, and prints a few of their values.
package main

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/plot"
)

func run(w io.Writer, out string) error {
	funcs := []nn.Func{nn.Step, nn.Sigmoid, nn.ReLU}
	var series []plot.Series
	for _, f := range funcs {
		s := plot.Series{Name: f.String()}
		for i := 0; i <= 100; i++ {
			x := -5 + 0.1*float64(i)
			s.X, s.Y = append(s.X, x), append(s.Y, f.F(x))
		}
		series = append(series, s)
	}
	fmt.Fprintln(w, "     x   step  sigmoid  relu")
	for _, x := range []float64{-1, 0, 1, 2} {
		fmt.Fprintf(w, "%6.1f %6.0f %8.4f %5.1f\n", x, nn.Step.F(x), nn.Sigmoid.F(x), nn.ReLU.F(x))
	}
	if err := plot.Curve(out, plot.ChartOptions{Title: "Activation functions (chapter 3)", XLabel: "x", YLabel: "h(x)", Series: series}); err != nil {
		return err
	}
	fmt.Fprintln(w, "drew", out)
	return nil
}

func main() {
	out := "activations.png"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := run(os.Stdout, out); err != nil {
		log.Fatal(err)
	}
}
