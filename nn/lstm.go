package nn

import (
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// LSTMSpec is the config of an LSTM layer: {"type": "lstm", "in": 100,
// "hidden": 100, "layers": 2, "dropout": 0.5} (see RecurrentSpec).
type LSTMSpec RecurrentSpec

func init() { Register("lstm", LSTMSpec{}, buildLSTM[float32], buildLSTM[float64]) }

// Type returns "lstm".
func (LSTMSpec) Type() string { return "lstm" }

// OutShape returns [time, Hidden] for an input case [time, In].
func (s LSTMSpec) OutShape(in []int) ([]int, error) { return RecurrentSpec(s).outShape(in) }

// Footprint counts four gate blocks per layer.
func (s LSTMSpec) Footprint(in, out []int) (int, int) {
	return RecurrentSpec(s).footprint(4, in, out)
}

func buildLSTM[T tensor.Float](s LSTMSpec, b *Builder) (Layer[T], error) {
	l := NewLSTM[T](RecurrentSpec(s), b.Rand)
	l.Reset(Xavier, b.Rand)
	return l, nil
}

// Spec returns the layer's config.
func (l *LSTM[T]) Spec() LayerSpec { return LSTMSpec(l.config()) }

var (
	_ Layer[float64] = (*LSTM[float64])(nil)
	_ Specced        = (*LSTM[float64])(nil)
)

// LSTM is a long short-term memory layer (Hochreiter and Schmidhuber,
// 1997) unrolled over time, the book's TimeLSTM, stacked Layers deep as
// PyTorch's nn.LSTM(batch_first=True). At each step t, for the batch:
//
//	[i f g o] = x_t·W_ih + b_ih + h_{t-1}·W_hh + b_hh   (one product for the four gates)
//	i, f, o = σ(i), σ(f), σ(o);  g = tanh(g)
//	c_t = f⊙c_{t-1} + i⊙g;  h_t = o⊙tanh(c_t)
//
// Shapes: x [batch, time, In], y [batch, time, Hidden]; W_ih [In, 4·Hidden]
// and W_hh [Hidden, 4·Hidden], stored transposed from PyTorch's
// weight_ih_l0 [4·Hidden, In] (gate order i, f, g, o, as PyTorch's), with
// PyTorch's two biases. The input products of all steps are one GEMM, and
// the parameter gradients of all steps one GEMM each; Forward and Backward
// allocate nothing once the shapes are seen.
//
// The state: see Stateful, SetState, State and StateGrad. Dropout between
// layers draws from the layer's own generators.
type LSTM[T tensor.Float] struct{ *recurrent[T] }

// NewLSTM returns an LSTM stack of s with zero weights (draw them with
// Reset or ResetUniform); r seeds the dropout between layers and may be
// nil without dropout. It panics on an invalid s.
func NewLSTM[T tensor.Float](s RecurrentSpec, r *rng.MT) *LSTM[T] {
	return &LSTM[T]{newRecurrent[T]("LSTM", lstmCell[T]{}, s, r)}
}

type lstmCell[T tensor.Float] struct{}

func (lstmCell[T]) gates() int     { return 4 }
func (lstmCell[T]) hasC() bool     { return true }
func (lstmCell[T]) sameGrad() bool { return true }

// forward stores act = [i f g o] after their nonlinearities, c, tanh(c) and h.
// It goes in passes over the whole batch, so that σ and tanh run through
// tensor's kernels (eight at a time), which give the bits of sigm and tanh.
func (lstmCell[T]) forward(s *step[T]) {
	H := s.h
	for k, a := range s.ax {
		s.act[k] = a + s.gh[k]
	}
	for b := 0; b < s.n; b++ {
		act := s.act[b*4*H : (b+1)*4*H]
		tensor.Sigmoid(act[:2*H], act[:2*H]) // i, f
		tensor.Tanh(act[2*H:3*H], act[2*H:3*H])
		tensor.Sigmoid(act[3*H:], act[3*H:]) // o
		cp, c := s.cPrev[b*H:(b+1)*H], s.cOut[b*H:(b+1)*H]
		for j := range c {
			c[j] = act[H+j]*cp[j] + act[j]*act[2*H+j]
		}
	}
	tensor.Tanh(s.tc, s.cOut)
	for b := 0; b < s.n; b++ {
		o, tc, h := s.act[b*4*H+3*H:(b+1)*4*H], s.tc[b*H:(b+1)*H], s.hOut[b*H:(b+1)*H]
		for j := range h {
			h[j] = o[j] * tc[j]
		}
	}
}

// backward turns dh and the dc of the next step into the gradients of the
// gate pre-activations (dax, which is dgh) and dc of the previous step.
func (lstmCell[T]) backward(s *step[T]) {
	H := s.h
	clear(s.dhPrevD)
	for b := 0; b < s.n; b++ {
		act, da := s.act[b*4*H:(b+1)*4*H], s.dax[b*4*H:(b+1)*4*H]
		cp, tc := s.cPrev[b*H:(b+1)*H], s.tc[b*H:(b+1)*H]
		dh, dc := s.dh[b*H:(b+1)*H], s.dc[b*H:(b+1)*H]
		for j := 0; j < H; j++ {
			i, f, g, o := act[j], act[H+j], act[2*H+j], act[3*H+j]
			d := dc[j] + dh[j]*o*(1-tc[j]*tc[j])
			da[j] = d * g * i * (1 - i)
			da[H+j] = d * cp[j] * f * (1 - f)
			da[2*H+j] = d * i * (1 - g*g)
			da[3*H+j] = dh[j] * tc[j] * o * (1 - o)
			dc[j] = d * f
		}
	}
}
