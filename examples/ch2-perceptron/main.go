// Command ch2-perceptron runs chapter 2's perceptrons: AND, NAND and OR
// as one weighted sum and a threshold each (the book's weights), and XOR,
// which no single perceptron draws, as two layers of them.
package main

import (
	"fmt"
	"io"
	"os"
)

// perceptron returns 1 when w·x + b > 0, else 0.
func perceptron(w [2]float64, b float64) func(x1, x2 float64) float64 {
	return func(x1, x2 float64) float64 {
		if w[0]*x1+w[1]*x2+b > 0 {
			return 1
		}
		return 0
	}
}

var (
	and  = perceptron([2]float64{0.5, 0.5}, -0.7)
	nand = perceptron([2]float64{-0.5, -0.5}, 0.7)
	or   = perceptron([2]float64{0.5, 0.5}, -0.2)
)

// xor is the book's two-layer perceptron: AND(NAND(x), OR(x)).
func xor(x1, x2 float64) float64 { return and(nand(x1, x2), or(x1, x2)) }

func run(w io.Writer) {
	fmt.Fprintln(w, "x1 x2  AND NAND OR  XOR")
	for _, x := range [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		fmt.Fprintf(w, " %g  %g    %g    %g  %g    %g\n", x[0], x[1], and(x[0], x[1]), nand(x[0], x[1]), or(x[0], x[1]), xor(x[0], x[1]))
	}
}

func main() { run(os.Stdout) }
