package nn

import (
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// RNNSpec is the config of an RNN layer: {"type": "rnn", "in": 100,
// "hidden": 100} (see RecurrentSpec).
type RNNSpec RecurrentSpec

func init() { Register("rnn", RNNSpec{}, buildRNN[float32], buildRNN[float64]) }

// Type returns "rnn".
func (RNNSpec) Type() string { return "rnn" }

// OutShape returns [time, Hidden] for an input case [time, In].
func (s RNNSpec) OutShape(in []int) ([]int, error) { return RecurrentSpec(s).outShape(in) }

// Footprint counts one gate block per layer.
func (s RNNSpec) Footprint(in, out []int) (int, int) {
	return RecurrentSpec(s).footprint(1, in, out)
}

func buildRNN[T tensor.Float](s RNNSpec, b *Builder) (Layer[T], error) {
	l := NewRNN[T](RecurrentSpec(s), b.Rand)
	l.Reset(Xavier, b.Rand)
	return l, nil
}

// Spec returns the layer's config.
func (l *RNN[T]) Spec() LayerSpec { return RNNSpec(l.config()) }

var (
	_ Layer[float64] = (*RNN[float64])(nil)
	_ Specced        = (*RNN[float64])(nil)
)

// RNN is the Elman recurrent layer unrolled over time, the book's TimeRNN,
// as PyTorch's nn.RNN(nonlinearity="tanh", batch_first=True):
//
//	h_t = tanh(x_t·W_ih + b_ih + h_{t-1}·W_hh + b_hh)
//
// Shapes: x [batch, time, In], y [batch, time, Hidden], W_ih [In, Hidden],
// W_hh [Hidden, Hidden] (transposed from PyTorch's). The state, stacking
// and dropout are as LSTM's.
type RNN[T tensor.Float] struct{ *recurrent[T] }

// NewRNN returns an RNN stack of s with zero weights (see NewLSTM).
func NewRNN[T tensor.Float](s RecurrentSpec, r *rng.MT) *RNN[T] {
	return &RNN[T]{newRecurrent[T]("RNN", rnnCell[T]{}, s, r)}
}

type rnnCell[T tensor.Float] struct{}

func (rnnCell[T]) gates() int     { return 1 }
func (rnnCell[T]) hasC() bool     { return false }
func (rnnCell[T]) sameGrad() bool { return true }

// forward stores h = tanh(ax + gh) as act and as the output.
func (rnnCell[T]) forward(s *step[T]) {
	for k := range s.hOut {
		h := tanh(s.ax[k] + s.gh[k])
		s.act[k], s.hOut[k] = h, h
	}
}

// backward: da = dh·(1 - h²) (dax, which is dgh).
func (rnnCell[T]) backward(s *step[T]) {
	clear(s.dhPrevD)
	for k, h := range s.act {
		s.dax[k] = s.dh[k] * (1 - h*h)
	}
}
