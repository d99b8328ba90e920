package nn_test

import (
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
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

// BenchmarkMLPStep times one training step of the MNIST MLP 784-50-10 on a
// batch of 100 (forward, softmax cross-entropy, backward without the
// input's gradient, SGD), float32.
func BenchmarkMLPStep(b *testing.B) {
	r := rng.NewNumpy(1)
	net, err := nn.Build[float32](nn.MLP(784, []int{50}, 10, nn.ReLU, nn.MLPOptions{}), nn.Normal(0.01), r)
	if err != nil {
		b.Fatal(err)
	}
	x := tensor.RandN[float32](r, 1, 100, 784)
	t := tensor.New[float32](100)
	for i := range t.Data {
		t.Data[i] = float32(r.Below(10))
	}
	net.NoInputGrad = true // as train.Trainer runs it
	var l loss.SoftmaxCrossEntropy[float32]
	opt := optim.NewSGD[float32](0.1)
	b.ReportAllocs()
	for b.Loop() {
		l.Forward(net.Forward(x, true), t)
		net.Backward(l.Backward())
		opt.Step(net.Params())
	}
}

// BenchmarkSimpleConvNetStep times one training step of SimpleConvNet on a
// batch of 100 MNIST-sized images (forward, softmax cross-entropy,
// backward, Adam), float32.
func BenchmarkSimpleConvNetStep(b *testing.B) {
	r := rng.NewNumpy(1)
	net, err := nn.Build[float32](nn.SimpleConvNet(), nn.He, r)
	if err != nil {
		b.Fatal(err)
	}
	x := tensor.RandN[float32](r, 1, 100, 1, 28, 28)
	t := tensor.New[float32](100)
	for i := range t.Data {
		t.Data[i] = float32(r.Below(10))
	}
	net.NoInputGrad = true // as train.Trainer runs it
	var l loss.SoftmaxCrossEntropy[float32]
	opt := optim.NewAdam[float32](0.001, 0.9, 0.999)
	b.ReportAllocs()
	for b.Loop() {
		l.Forward(net.Forward(x, true), t)
		net.Backward(l.Backward())
		opt.Step(net.Params())
	}
}
