package nn

// MLPOptions are the optional parts of each hidden layer of an MLP.
type MLPOptions struct {
	// BatchNorm inserts batch normalization between each hidden Linear
	// and its activation.
	BatchNorm bool
	// Dropout, if positive, is the rate of a Dropout after each hidden
	// activation.
	Dropout float64
}

// MLP returns the spec of a multilayer perceptron from in features through
// the hidden sizes to out: for each hidden size h, Linear(prev, h),
// [BatchNorm(h)], the activation act, [Dropout]; then Linear(prev, out),
// whose output is left to the loss (softmax or sigmoid live there). It does
// not check the sizes; Build does.
func MLP(in int, hidden []int, out int, act Func, opts MLPOptions) Spec {
	s := Spec{Input: []int{in}}
	prev := in
	for _, h := range hidden {
		s.Layers = append(s.Layers, LinearSpec{In: prev, Out: h})
		if opts.BatchNorm {
			s.Layers = append(s.Layers, BatchNormSpec{Features: h})
		}
		s.Layers = append(s.Layers, ActivationSpec{Func: act})
		if opts.Dropout > 0 {
			s.Layers = append(s.Layers, DropoutSpec{P: opts.Dropout})
		}
		prev = h
	}
	s.Layers = append(s.Layers, LinearSpec{In: prev, Out: out})
	return s
}

// SimpleConvNet returns the spec of the book's SimpleConvNet (chapter 7) for
// MNIST images [1, 28, 28]: conv 30 filters 5×5 (stride 1, no padding) →
// [30, 24, 24], ReLU, max pool 2×2 stride 2 → [30, 12, 12], flatten → 4320,
// Linear 4320→100, ReLU, Linear 100→10. The book initializes it with
// Normal(0.01); He suits its ReLUs better.
func SimpleConvNet() Spec {
	relu := ActivationSpec{Func: ReLU}
	return Spec{Input: []int{1, 28, 28}, Layers: LayerSpecs{
		Conv2DSpec{In: 1, Out: 30, Kernel: 5},
		relu,
		MaxPool2DSpec{Kernel: 2, Stride: 2},
		FlattenSpec{},
		LinearSpec{In: 30 * 12 * 12, Out: 100},
		relu,
		LinearSpec{In: 100, Out: 10},
	}}
}

// DeepConvNet returns the spec of the book's DeepConvNet (chapter 8, its
// ch08/deep_convnet.py), which reaches over 99% on MNIST [1, 28, 28]: three
// blocks of conv 3×3 - ReLU - conv 3×3 - ReLU - max pool 2×2 stride 2 with
// 16, 32 and 64 filters, then Linear 1024→50, ReLU, Dropout 0.5, Linear
// 50→10, Dropout 0.5 (the book's last Dropout acts on the scores
// themselves). The book pads every convolution by 1 except the fourth, padded
// by 2; so does this spec, which makes the shapes 28 → 14 → 16 → 8 → 8 → 4
// and the flattened size 64·4·4 = 1024, the book's W7. The book initializes
// it with He.
func DeepConvNet() Spec {
	conv := func(in, out, pad int) LayerSpec {
		return Conv2DSpec{In: in, Out: out, Kernel: 3, Pad: pad}
	}
	relu := ActivationSpec{Func: ReLU}
	pool := MaxPool2DSpec{Kernel: 2, Stride: 2}
	return Spec{Input: []int{1, 28, 28}, Layers: LayerSpecs{
		conv(1, 16, 1), relu, conv(16, 16, 1), relu, pool,
		conv(16, 32, 1), relu, conv(32, 32, 2), relu, pool,
		conv(32, 64, 1), relu, conv(64, 64, 1), relu, pool,
		FlattenSpec{},
		LinearSpec{In: 64 * 4 * 4, Out: 50}, relu,
		DropoutSpec{P: 0.5},
		LinearSpec{In: 50, Out: 10},
		DropoutSpec{P: 0.5},
	}}
}

// The book's networks are named architectures (see RegisterArchitecture),
// as kiso train --model names them: {"arch": "simplecnn"} and
// {"arch": "deepcnn"}, whose configs have no fields yet.
func init() {
	RegisterArchitecture("simplecnn", struct{}{}, func(struct{}) (Spec, error) { return SimpleConvNet(), nil })
	RegisterArchitecture("deepcnn", struct{}{}, func(struct{}) (Spec, error) { return DeepConvNet(), nil })
}
