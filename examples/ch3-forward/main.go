// Command ch3-forward runs chapter 3's three-layer network forward with
// the book's weights (init_network in section 3.4.3): x·W1 + b1, sigmoid,
// x·W2 + b2, sigmoid, x·W3 + b3, identity.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// network holds the book's weights and biases of the three layers.
type network struct{ w1, b1, w2, b2, w3, b3 *tensor.Tensor[float64] }

func initNetwork() network {
	return network{
		w1: tensor.FromRows([][]float64{{0.1, 0.3, 0.5}, {0.2, 0.4, 0.6}}),
		b1: tensor.FromSlice([]float64{0.1, 0.2, 0.3}),
		w2: tensor.FromRows([][]float64{{0.1, 0.4}, {0.2, 0.5}, {0.3, 0.6}}),
		b2: tensor.FromSlice([]float64{0.1, 0.2}),
		w3: tensor.FromRows([][]float64{{0.1, 0.3}, {0.2, 0.4}}),
		b3: tensor.FromSlice([]float64{0.1, 0.2}),
	}
}

// forward returns the output for the rows of x.
func (n network) forward(x *tensor.Tensor[float64]) *tensor.Tensor[float64] {
	sigmoid := func(a *tensor.Tensor[float64]) *tensor.Tensor[float64] {
		for i, v := range a.Data {
			a.Data[i] = nn.Sigmoid.F(v)
		}
		return a
	}
	affine := func(x, w, b *tensor.Tensor[float64]) *tensor.Tensor[float64] {
		return tensor.AffineTo(tensor.New[float64](x.Rows(), w.Cols()), x, w, b)
	}
	z1 := sigmoid(affine(x, n.w1, n.b1))
	z2 := sigmoid(affine(z1, n.w2, n.b2))
	return affine(z2, n.w3, n.b3) // identity output
}

func run(w io.Writer) {
	y := initNetwork().forward(tensor.FromRows([][]float64{{1.0, 0.5}}))
	fmt.Fprintf(w, "x = [1.0 0.5] -> y = [%.8f %.8f]\n", y.Data[0], y.Data[1])
}

func main() { run(os.Stdout) }
