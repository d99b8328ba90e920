package nn_test

import (
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// benchLayer times a forward and backward pass of l on x.
func benchLayer(b *testing.B, l nn.Layer[float32], x *tensor.Tensor[float32]) {
	dy := tensor.RandN[float32](rng.NewNumpy(2), 1, l.Forward(x, true).Shape()...)
	b.ReportAllocs()
	for b.Loop() {
		l.Forward(x, true)
		l.Backward(dy)
	}
}

// simpleConv returns SimpleConvNet's convolution and a batch of 100 MNIST-sized
// inputs.
func simpleConv() (*nn.Conv2D[float32], *tensor.Tensor[float32]) {
	r := rng.NewNumpy(1)
	c := nn.NewConv2D[float32](1, 30, nn.Window{H: 5, W: 5, Stride: 1}, true)
	c.Reset(nn.He, r)
	return c, tensor.RandN[float32](r, 1, 100, 1, 28, 28)
}

func BenchmarkConv2DForwardBackward(b *testing.B) { c, x := simpleConv(); benchLayer(b, c, x) }

func BenchmarkMaxPool2DForwardBackward(b *testing.B) {
	c, x := simpleConv()
	benchLayer(b, nn.NewMaxPool2D[float32](nn.Window{H: 2, W: 2, Stride: 2}), c.Forward(x, true))
}
