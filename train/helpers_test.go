package train

import (
	"math"
	"slices"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// mlp returns a ReLU network with the given layer sizes, He-initialized
// from seed.
func mlp[T tensor.Float](seed uint32, sizes ...int) *nn.Sequential[T] {
	r := rng.NewNumpy(seed)
	var layers []nn.Layer[T]
	for i := 1; i < len(sizes); i++ {
		if i > 1 {
			layers = append(layers, nn.NewActivation[T](nn.ReLU))
		}
		l := nn.NewLinear[T](sizes[i-1], sizes[i])
		l.Reset(nn.He, r)
		layers = append(layers, l)
	}
	return nn.NewSequential(layers...)
}

// circle returns the Playground's circle set, scaled to about [-1, 1] and
// split 3:1 into training and test sets.
func circle[T tensor.Float](n int) (trainSet, testSet *data.Set[T]) {
	r := rng.NewNumpy(7)
	s, err := data.Toy[T]("circle", n, 0, r)
	if err != nil {
		panic(err)
	}
	for i := range s.X.Data {
		s.X.Data[i] /= 5
	}
	return data.Split(s, 0.25, r)
}

// regression returns n cases of y = x·w + noise with 3 inputs and 2
// outputs, for MSE.
func regression[T tensor.Float](n int) *data.Set[T] {
	r := rng.NewNumpy(3)
	s := &data.Set[T]{X: tensor.RandN[T](r, 1, n, 3), Y: tensor.New[T](n, 2)}
	w := [3][2]float64{{1, -2}, {0.5, 0}, {-1, 3}}
	for i := range n {
		for k := range 2 {
			v := 0.1 * r.Norm()
			for j := range 3 {
				v += float64(s.X.Data[3*i+j]) * w[j][k]
			}
			s.Y.Data[2*i+k] = T(v)
		}
	}
	return s
}

// paramBits returns the bits of every parameter value of net, in order.
func paramBits[T tensor.Float](net nn.Layer[T]) []uint64 {
	var b []uint64
	for _, p := range net.Params() {
		for _, v := range p.Value.Data {
			b = append(b, math.Float64bits(float64(v)))
		}
	}
	return b
}

// sameHistory reports whether a and b record the same figures bit for bit,
// ignoring the wall-clock seconds.
func sameHistory(a, b *History) bool {
	if len(a.Epochs) != len(b.Epochs) || !slices.Equal(bitsOf(a.StepLosses), bitsOf(b.StepLosses)) {
		return false
	}
	for i := range a.Epochs {
		x, y := a.Epochs[i], b.Epochs[i]
		x.Seconds, y.Seconds = 0, 0
		fx, fy := x.figures(), y.figures()
		if x.Epoch != y.Epoch || !slices.Equal(bitsOf(fx[:]), bitsOf(fy[:])) {
			return false
		}
	}
	return true
}

func bitsOf(v []float64) []uint64 {
	b := make([]uint64, len(v))
	for i, x := range v {
		b[i] = math.Float64bits(x)
	}
	return b
}

// dropout is a test layer with its own generator (an RNGHolder): in
// training it zeroes each input with probability 0.2 and scales the rest
// by 1/0.8.
type dropout[T tensor.Float] struct {
	r     *rng.MT
	mask  []T
	y, dx *tensor.Tensor[T]
}

func newDropout[T tensor.Float](seed uint32) *dropout[T] { return &dropout[T]{r: rng.NewNumpy(seed)} }

func (d *dropout[T]) RNGs() []*rng.MT { return []*rng.MT{d.r} }

func (d *dropout[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if !train {
		return x
	}
	d.y = tensor.Reuse(d.y, x.Shape()...)
	d.mask = slices.Grow(d.mask[:0], x.Len())[:x.Len()]
	for i, v := range x.Data {
		d.mask[i] = 0
		if d.r.Float64() >= 0.2 {
			d.mask[i] = 1 / 0.8
		}
		d.y.Data[i] = v * d.mask[i]
	}
	return d.y
}

func (d *dropout[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	d.dx = tensor.Reuse(d.dx, dy.Shape()...)
	for i, g := range dy.Data {
		d.dx.Data[i] = g * d.mask[i]
	}
	return d.dx
}

func (d *dropout[T]) Params() []*nn.Param[T] { return nil }

// runningMean is a test layer with a buffer (nn.Buffered), like
// BatchNorm's running mean: the identity, keeping an exponential mean of
// its inputs' columns in training.
type runningMean[T tensor.Float] struct{ mean *tensor.Tensor[T] }

func (m *runningMean[T]) Buffers() []*nn.Buffer[T] {
	return []*nn.Buffer[T]{{Name: "running_mean", Value: m.mean}}
}

func (m *runningMean[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if train {
		c := x.Cols()
		for i := range x.Rows() {
			for j, v := range x.Row(i) {
				m.mean.Data[j%c] = 0.9*m.mean.Data[j%c] + 0.1*v
			}
		}
	}
	return x
}

func (m *runningMean[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] { return dy }
func (m *runningMean[T]) Params() []*nn.Param[T]                          { return nil }
