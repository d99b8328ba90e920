// Command ch6-optimizers runs chapter 6's comparison of SGD, Momentum,
// AdaGrad and Adam on the book's function f(x, y) = x²/20 + y², 30 steps
// each from (-7, 2) with the book's learning rates (section 6.1.7), prints
// where each ends and draws their paths over the contour lines (figure
// 6-8) to optimizers.png or the file given as the first argument.
package main

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/tensor"
)

func f(x, y float64) float64 { return x*x/20 + y*y }

// descend runs opt for steps steps on f from (-7, 2) and returns the path.
func descend(opt optim.Optimizer[float64], steps int) plot.Path {
	p := nn.NewParam("xy", tensor.FromSlice([]float64{-7, 2}), false)
	path := plot.Path{Name: opt.Name()}
	for range steps {
		x, y := p.Value.Data[0], p.Value.Data[1]
		path.X, path.Y = append(path.X, x), append(path.Y, y)
		p.Grad.Data[0], p.Grad.Data[1] = x/10, 2*y // ∂f/∂x, ∂f/∂y
		opt.Step([]*nn.Param[float64]{p})
	}
	path.X, path.Y = append(path.X, p.Value.Data[0]), append(path.Y, p.Value.Data[1])
	return path
}

func run(w io.Writer, out string) error {
	opts := []optim.Optimizer[float64]{
		optim.NewSGD[float64](0.95),
		optim.NewMomentum[float64](0.1, 0.9),
		optim.NewAdaGrad[float64](1.5),
		optim.NewAdam[float64](0.3, 0.9, 0.999),
	}
	var paths []plot.Path
	for _, o := range opts {
		path := descend(o, 30)
		x, y := path.X[len(path.X)-1], path.Y[len(path.Y)-1]
		fmt.Fprintf(w, "%-8s after 30 steps: (%.4f, %.4f), f = %.2e\n", o.Name(), x, y, f(x, y))
		paths = append(paths, path)
	}
	if out == "" {
		return nil
	}
	err := plot.Contour(out, plot.ContourOptions{Title: "f(x, y) = x²/20 + y² (chapter 6)", F: f,
		XMin: -10, XMax: 10, YMin: -5, YMax: 5, Paths: paths})
	if err == nil {
		fmt.Fprintln(w, "drew", out)
	}
	return err
}

func main() {
	out := "optimizers.png"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := run(os.Stdout, out); err != nil {
		log.Fatal(err)
	}
}
