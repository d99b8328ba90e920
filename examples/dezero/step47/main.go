// Step 47 of DeZero: an MLP's scores turned into probabilities by softmax,
// first with a one-dimensional softmax written from exp and sum, then along
// the rows of a batch, and the cross-entropy of four labelled points
// written from softmax, clip, log and fancy indexing.
//
//	go run ./examples/dezero/step47
package main

import (
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type V = ag.Variable[float64]

func softmax1d(x *V) *V {
	y := ag.Exp(x)
	return y.Div(ag.Sum(y, false))
}

// softmaxSimple is DeZero's softmax_simple along axis 1.
func softmaxSimple(x *V) *V {
	y := ag.Exp(x)
	return y.Div(ag.Sum(y, true, 1))
}

// softmaxCrossEntropySimple is DeZero's softmax_cross_entropy_simple.
func softmaxCrossEntropySimple(x *V, t []int) *V {
	n := x.Shape()[0]
	p := ag.Clip(ag.Softmax(x, 1), 1e-15, 1.0)
	tlogp := ag.Pick(ag.Log(p), t) // log_p[np.arange(N), t]
	return ag.ConstScalar(-1.0).Mul(ag.Sum(tlogp, false)).Div(ag.ConstScalar(float64(n)))
}

func main() {
	r := rng.NewNumpy(0)
	model := layers.NewMLP([]int{10, 3}, ag.Sigmoid[float64], true, r)
	x := ag.New(tensor.FromSlice([]float64{0.2, -0.4}, 1, 2))
	y := model.Forward(x)
	p := softmax1d(y)
	fmt.Println(y)
	fmt.Println(p)

	xb := ag.Const(tensor.FromSlice([]float64{0.2, -0.4, 0.3, 0.5, 1.3, -3.2, 2.1, 0.3}, 4, 2))
	t := []int{2, 0, 1, 0}
	y = model.Forward(xb)
	p = softmaxSimple(y)
	fmt.Println(y)
	fmt.Println(p)
	loss := softmaxCrossEntropySimple(y, t)
	loss.Backward()
	fmt.Println(loss)
}
