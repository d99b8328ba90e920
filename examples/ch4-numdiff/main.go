// Command ch4-numdiff runs chapter 4's numerical differentiation on the
// book's functions: the central difference of f(x) = 0.01x² + 0.1x at 5
// and 10, the gradient of f(x0, x1) = x0² + x1² at three points, and 100
// steps of gradient descent on it from (-3, 4) with learning rate 0.1.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/tensor"
)

// numericalDiff is the book's numerical_diff: (f(x+h) - f(x-h)) / 2h, h = 1e-4.
func numericalDiff(f func(float64) float64, x float64) float64 {
	h := numgrad.H
	return (f(x+h) - f(x-h)) / (2 * h)
}

func function1(x float64) float64 { return 0.01*x*x + 0.1*x }

func run(w io.Writer) {
	fmt.Fprintf(w, "f(x) = 0.01x² + 0.1x: f'(5) ≈ %.16g, f'(10) ≈ %.16g\n", numericalDiff(function1, 5), numericalDiff(function1, 10))

	x := tensor.New[float64](2)
	function2 := func() float64 { return x.Data[0]*x.Data[0] + x.Data[1]*x.Data[1] }
	for _, p := range [][2]float64{{3, 4}, {0, 2}, {3, 0}} {
		copy(x.Data, p[:])
		g := numgrad.Gradient(function2, x)
		fmt.Fprintf(w, "gradient of x0² + x1² at (%g, %g): [%.4f %.4f]\n", p[0], p[1], g.Data[0], g.Data[1])
	}

	copy(x.Data, []float64{-3, 4})
	for range 100 {
		g := numgrad.Gradient(function2, x)
		for i := range x.Data {
			x.Data[i] -= 0.1 * g.Data[i]
		}
	}
	fmt.Fprintf(w, "gradient descent from (-3, 4), lr 0.1, 100 steps: [%.4g %.4g]\n", x.Data[0], x.Data[1])
}

func main() { run(os.Stdout) }
