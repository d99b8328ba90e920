package tutorial

import (
	"context"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func xorCases() (x, t *tensor.Tensor[float64]) {
	x = tensor.FromRows([][]float64{{1, 1}, {1, 0}, {0, 1}, {0, 0}})
	t = tensor.FromRows([][]float64{{1, 0}, {0, 1}, {0, 1}, {1, 0}})
	return
}

// benchLearn measures one training step of the tutorial's XOR network.
func benchLearn(b *testing.B, m Method) {
	x, t := xorCases()
	net := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
	b.ReportAllocs()
	b.ResetTimer()
	net.Learn(context.Background(), x, t, b.N, 0.1, m, rng.NewPython(0), nil)
}

func BenchmarkStepNumerical(b *testing.B) { benchLearn(b, Numerical) }
func BenchmarkStepBackprop(b *testing.B)  { benchLearn(b, Backprop) }
