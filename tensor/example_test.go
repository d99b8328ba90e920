package tensor_test

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// A batch of two cases through an affine map x·W + b.
func Example() {
	x := tensor.FromRows([][]float64{{1, 1}, {1, 0}})
	w := tensor.FromRows([][]float64{{0.5, -1}, {2, 0}})
	b := tensor.FromSlice([]float64{0.1, 0.2})
	y := tensor.MatMul(x, w)
	tensor.AddRowTo(y, y, b)
	fmt.Println(y)
	fmt.Println(tensor.ArgmaxRows(y), tensor.SumRows(y))
	// Output:
	// [[2.6 -0.8]
	//  [0.6 -0.8]]
	// [0 0] [3.2 -1.6]
}

// squares is a pass over xs cut into chunks for tensor.Parallel: each
// chunk writes only its own elements and its own partial sum.
type squares struct {
	xs   []float64
	sums []float64 // one per chunk
}

func (s *squares) RunChunk(i int) {
	n, chunks := len(s.xs), len(s.sums)
	for j := i * n / chunks; j < (i+1)*n/chunks; j++ {
		s.xs[j] *= s.xs[j]
		s.sums[i] += s.xs[j]
	}
}

func ExampleParallel() {
	s := &squares{xs: []float64{1, 2, 3, 4, 5, 6, 7, 8}, sums: make([]float64, 4)}
	tensor.Parallel(s, len(s.sums)) // on up to GOMAXPROCS goroutines
	total := 0.0
	for _, v := range s.sums { // summed in a fixed order: the same bits every time
		total += v
	}
	fmt.Println(s.xs, total)
	// Output: [1 4 9 16 25 36 49 64] 204
}

// BytesTo converts pixels stored as bytes, scaled into [0, 1] as MNIST's
// loader scales them.
func ExampleBytesTo() {
	pixels := []uint8{0, 51, 255}
	x := make([]float32, len(pixels))
	tensor.BytesTo(x, pixels, 255)
	fmt.Println(x)
	// Output: [0 0.2 1]
}
