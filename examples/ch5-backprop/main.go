// Command ch5-backprop runs chapter 5's computational graph of buying
// apples and oranges with a multiplication and an addition layer, forward
// and backward (section 5.4), then checks kiso's Linear layer the way the
// chapter checks its Affine layer: backward against central differences.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// mulLayer is the book's MulLayer: forward x·y, backward (dout·y, dout·x).
type mulLayer struct{ x, y float64 }

func (l *mulLayer) forward(x, y float64) float64 { l.x, l.y = x, y; return x * y }
func (l *mulLayer) backward(dout float64) (dx, dy float64) {
	return dout * l.y, dout * l.x
}

// addLayer is the book's AddLayer: forward x+y, backward (dout, dout).
type addLayer struct{}

func (addLayer) forward(x, y float64) float64           { return x + y }
func (addLayer) backward(dout float64) (dx, dy float64) { return dout, dout }

func run(w io.Writer) float64 {
	apple, appleNum, orange, orangeNum, tax := 100.0, 2.0, 150.0, 3.0, 1.1
	var mulApple, mulOrange, mulTax mulLayer
	var add addLayer
	applePrice := mulApple.forward(apple, appleNum)
	orangePrice := mulOrange.forward(orange, orangeNum)
	all := add.forward(applePrice, orangePrice)
	price := mulTax.forward(all, tax)

	dAll, dTax := mulTax.backward(1)
	dApplePrice, dOrangePrice := add.backward(dAll)
	dOrange, dOrangeNum := mulOrange.backward(dOrangePrice)
	dApple, dAppleNum := mulApple.backward(dApplePrice)
	fmt.Fprintf(w, "price %.0f\n", price)
	fmt.Fprintf(w, "dApple %.1f, dAppleNum %.0f, dOrange %.1f, dOrangeNum %.0f, dTax %.0f\n", dApple, dAppleNum, dOrange, dOrangeNum, dTax)

	// The Affine layer's backward, checked by central differences.
	r := rng.NewNumpy(0)
	lin := nn.NewLinear[float64](4, 3)
	lin.Reset(nn.He, r)
	x := tensor.New[float64](2, 4)
	for i := range x.Data {
		x.Data[i] = r.Float64()
	}
	// A loss that weighs each output differently: L = Σ c_ij y_ij.
	c := tensor.FromRows([][]float64{{1, -2, 0.5}, {3, 0.25, -1}})
	lossOf := func() float64 {
		y := lin.Forward(x, true)
		s := 0.0
		for i, v := range y.Data {
			s += c.Data[i] * v
		}
		return s
	}
	lossOf()
	lin.Backward(c) // dL/dy = c
	worst := 0.0
	for _, p := range []*nn.Param[float64]{lin.W, lin.B} {
		num := numgrad.Gradient(lossOf, p.Value)
		diff := 0.0
		for i, g := range p.Grad.Data {
			diff = max(diff, numgrad.RelErr(g, num.Data[i]))
		}
		worst = max(worst, diff)
		fmt.Fprintf(w, "Linear %s: backward vs central differences, largest relative error %.1e\n", p.Name, diff)
	}
	return worst
}

func main() { run(os.Stdout) }
