// Step 57 of DeZero: the shapes of im2col's columns and of a convolution
// (conv2d_simple: im2col, one matrix product) and its input gradient.
//
//	go run ./examples/dezero/step57
package main

import (
	"flag"
	"fmt"
	"strings"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// tuple prints a shape as Python prints a tuple: (9, 75).
func tuple(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func filled(draw func() float64, shape ...int) *tensor.Tensor[float64] {
	t := tensor.New[float64](shape...)
	for i := range t.Data {
		t.Data[i] = draw()
	}
	return t
}

func main() {
	seed := flag.Uint("seed", 0, "the seed of numpy's generator")
	flag.Parse()
	r := rng.NewNumpy(uint32(*seed))

	// im2col
	x1 := filled(r.Float64, 1, 3, 7, 7)
	col1 := ag.Im2col(ag.Const(x1), ag.Window{KH: 5, KW: 5, Stride: 1, Pad: 0})
	fmt.Println(tuple(col1.Shape())) // (9, 75)

	x2 := filled(r.Float64, 10, 3, 7, 7) // 10 images
	col2 := ag.Im2col(ag.Const(x2), ag.Window{KH: 5, KW: 5, Stride: 1, Pad: 0})
	fmt.Println(tuple(col2.Shape())) // (90, 75)

	// conv2d
	const N, C, H, W = 1, 5, 15, 15
	const OC, KH, KW = 8, 3, 3
	x := ag.New(filled(r.Norm, N, C, H, W))
	w := ag.Const(filled(r.Norm, OC, C, KH, KW))
	y := ag.Conv2D(x, w, nil, 1, 1)
	y.Backward()
	fmt.Println(tuple(y.Shape()))      // (1, 8, 15, 15)
	fmt.Println(tuple(x.Grad.Shape())) // (1, 5, 15, 15)
}
