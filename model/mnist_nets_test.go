package model

import (
	"context"
	"sync"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

// mnistNet is a small network trained briefly on MNIST, with its outputs
// (logits) on the whole test set, [10000, 10].
type mnistNet struct {
	name     string
	spec     nn.Spec
	net      *nn.Sequential[float32]
	logits   *tensor.Tensor[float32]
	accuracy float64
}

// mnistSpecs are the architectures trained on MNIST for the exporters'
// tests: an MLP reading images [1, 28, 28] (its first Linear flattens
// them), with batch normalization and dropout, and a convolutional network
// with batch normalization over channels, padding, max pooling and
// dropout. Both take MNIST's images as they are.
var mnistSpecs = []struct {
	name         string
	spec         nn.Spec
	steps, batch int
}{
	{"MNIST MLP", func() nn.Spec {
		s := nn.MLP(784, []int{64, 32}, 10, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.2})
		s.Input = []int{1, 28, 28}
		return s
	}(), 300, 64},
	{"MNIST CNN", nn.Spec{Input: []int{1, 28, 28}, Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 1, Out: 6, Kernel: 5},
		nn.BatchNormSpec{Features: 6},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2},
		nn.Conv2DSpec{In: 6, Out: 8, Kernel: 3, Pad: 1},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2},
		nn.FlattenSpec{},
		nn.LinearSpec{In: 8 * 6 * 6, Out: 32},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.DropoutSpec{P: 0.3},
		nn.LinearSpec{In: 32, Out: 10},
	}}, 100, 32},
}

var (
	mnistNetsOnce sync.Once
	mnistNetsVal  []mnistNet
)

// mnistNets returns the networks of mnistSpecs, each trained with Adam
// for its few hundred steps (a fraction of an epoch: enough to move every
// weight and batch-norm statistic far from its start and to classify most
// test digits, which is all an export test needs), and their test set
// outputs. They are trained once per test run.
func mnistNets(t *testing.T) (nets []mnistNet, test *data.Set[float32]) {
	t.Helper()
	trainSet, test := mnist(t)
	mnistNetsOnce.Do(func() {
		for i, s := range mnistSpecs {
			r := rng.NewNumpy(uint32(20 + i))
			net, err := nn.Build[float32](s.spec, nn.He, r)
			if err != nil {
				panic(err)
			}
			opt := optim.NewAdam[float32](3e-3, 0.9, 0.999)
			var l loss.SoftmaxCrossEntropy[float32]
			var x, y *tensor.Tensor[float32]
			for range s.steps {
				idx := make([]int, s.batch)
				for j := range idx {
					idx[j] = r.Below(trainSet.Len())
				}
				x, y = trainSet.GatherTo(x, y, idx)
				l.Forward(net.Forward(x, true), y)
				net.Backward(l.Backward())
				opt.Step(net.Params())
			}
			logits, err := train.Predict(context.Background(), net, test.X, 500)
			if err != nil {
				panic(err)
			}
			pred := tensor.ArgmaxRows(logits)
			right := 0
			for j, p := range pred {
				if float32(p) == test.Y.Data[j] {
					right++
				}
			}
			mnistNetsVal = append(mnistNetsVal, mnistNet{s.name, s.spec, net, logits, float64(right) / float64(len(pred))})
		}
	})
	return mnistNetsVal, test
}
