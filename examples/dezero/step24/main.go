// Step 24 of DeZero: the gradients of Goldstein-Price's function at (1, 1),
// written with operators as the book writes it; -f sphere and -f matyas
// give the other two functions of the step.
//
//	go run ./examples/dezero/step24
package main

import (
	"flag"
	"fmt"
	"os"

	ag "github.com/kiso-go/kiso/autograd"
)

type V = ag.Variable[float64]

func c(v float64) *V { return ag.ConstScalar(v) }

func sphere(x, y *V) *V { return x.Pow(2).Add(y.Pow(2)) }

func matyas(x, y *V) *V {
	return c(0.26).Mul(x.Pow(2).Add(y.Pow(2))).Sub(c(0.48).Mul(x).Mul(y))
}

// goldstein is (1 + (x+y+1)²(19 - 14x + 3x² - 14y + 6xy + 3y²)) ·
// (30 + (2x-3y)²(18 - 32x + 12x² + 48y - 36xy + 27y²)), evaluated left to
// right in Python's order.
func goldstein(x, y *V) *V {
	a := x.Add(y).Add(c(1)).Pow(2)
	b := c(19).Sub(c(14).Mul(x)).Add(c(3).Mul(x.Pow(2))).Sub(c(14).Mul(y)).Add(c(6).Mul(x).Mul(y)).Add(c(3).Mul(y.Pow(2)))
	d := c(2).Mul(x).Sub(c(3).Mul(y)).Pow(2)
	e := c(18).Sub(c(32).Mul(x)).Add(c(12).Mul(x.Pow(2))).Add(c(48).Mul(y)).Sub(c(36).Mul(x).Mul(y)).Add(c(27).Mul(y.Pow(2)))
	return c(1).Add(a.Mul(b)).Mul(c(30).Add(d.Mul(e)))
}

func main() {
	name := flag.String("f", "goldstein", "the function: sphere, matyas or goldstein")
	flag.Parse()
	fs := map[string]func(x, y *V) *V{"sphere": sphere, "matyas": matyas, "goldstein": goldstein}
	f, ok := fs[*name]
	if !ok {
		fmt.Fprintln(os.Stderr, "step24: -f must be sphere, matyas or goldstein")
		os.Exit(2)
	}
	x := ag.Scalar(1.0)
	y := ag.Scalar(1.0)
	z := f(x, y)
	z.Backward()
	fmt.Println(x.Grad, y.Grad)
}
