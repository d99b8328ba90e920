package nn

import (
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// GRUSpec is the config of a GRU layer: {"type": "gru", "in": 100,
// "hidden": 100} (see RecurrentSpec).
type GRUSpec RecurrentSpec

func init() { Register("gru", GRUSpec{}, buildGRU[float32], buildGRU[float64]) }

// Type returns "gru".
func (GRUSpec) Type() string { return "gru" }

// OutShape returns [time, Hidden] for an input case [time, In].
func (s GRUSpec) OutShape(in []int) ([]int, error) { return RecurrentSpec(s).outShape(in) }

// Footprint counts three gate blocks per layer.
func (s GRUSpec) Footprint(in, out []int) (int, int) {
	return RecurrentSpec(s).footprint(3, in, out)
}

func buildGRU[T tensor.Float](s GRUSpec, b *Builder) (Layer[T], error) {
	l := NewGRU[T](RecurrentSpec(s), b.Rand)
	l.Reset(Xavier, b.Rand)
	return l, nil
}

// Spec returns the layer's config.
func (l *GRU[T]) Spec() LayerSpec { return GRUSpec(l.config()) }

var (
	_ Layer[float64] = (*GRU[float64])(nil)
	_ Specced        = (*GRU[float64])(nil)
)

// GRU is the gated recurrent unit (Cho et al., 2014) unrolled over time,
// as PyTorch's nn.GRU(batch_first=True) computes it (the book's appendix
// GRU puts the reset gate before the product; PyTorch, and this layer,
// after it):
//
//	[r z n]x = x_t·W_ih + b_ih;  [r z n]h = h_{t-1}·W_hh + b_hh  (one product each)
//	r = σ(r_x + r_h);  z = σ(z_x + z_h);  n = tanh(n_x + r⊙n_h)
//	h_t = (1 - z)⊙n + z⊙h_{t-1}
//
// Shapes: x [batch, time, In], y [batch, time, Hidden], W_ih [In,
// 3·Hidden], W_hh [Hidden, 3·Hidden] (transposed from PyTorch's; gate order
// r, z, n). The state, stacking and dropout are as LSTM's.
type GRU[T tensor.Float] struct{ *recurrent[T] }

// NewGRU returns a GRU stack of s with zero weights (see NewLSTM).
func NewGRU[T tensor.Float](s RecurrentSpec, r *rng.MT) *GRU[T] {
	return &GRU[T]{newRecurrent[T]("GRU", gruCell[T]{}, s, r)}
}

type gruCell[T tensor.Float] struct{}

func (gruCell[T]) gates() int     { return 3 }
func (gruCell[T]) hasC() bool     { return false }
func (gruCell[T]) sameGrad() bool { return false }

// forward stores act = [r z n].
func (gruCell[T]) forward(s *step[T]) {
	H := s.h
	for b := 0; b < s.n; b++ {
		ax, gh, act := s.ax[b*3*H:(b+1)*3*H], s.gh[b*3*H:(b+1)*3*H], s.act[b*3*H:(b+1)*3*H]
		hp, h := s.hPrev[b*H:(b+1)*H], s.hOut[b*H:(b+1)*H]
		for j := 0; j < H; j++ {
			r := sigm(ax[j] + gh[j])
			z := sigm(ax[H+j] + gh[H+j])
			n := tanh(ax[2*H+j] + r*gh[2*H+j])
			act[j], act[H+j], act[2*H+j] = r, z, n
			h[j] = (1-z)*n + z*hp[j]
		}
	}
}

// backward writes dax, dgh (they differ in the n block: dn_h = dn·r) and
// the direct part of dh_prev, z⊙dh.
func (gruCell[T]) backward(s *step[T]) {
	H := s.h
	for b := 0; b < s.n; b++ {
		act, gh := s.act[b*3*H:(b+1)*3*H], s.gh[b*3*H:(b+1)*3*H]
		dax, dgh := s.dax[b*3*H:(b+1)*3*H], s.dgh[b*3*H:(b+1)*3*H]
		hp, dh, dhp := s.hPrev[b*H:(b+1)*H], s.dh[b*H:(b+1)*H], s.dhPrevD[b*H:(b+1)*H]
		for j := 0; j < H; j++ {
			r, z, n := act[j], act[H+j], act[2*H+j]
			dn := dh[j] * (1 - z) * (1 - n*n)
			dz := dh[j] * (hp[j] - n) * z * (1 - z)
			dr := dn * gh[2*H+j] * r * (1 - r)
			dax[j], dax[H+j], dax[2*H+j] = dr, dz, dn
			dgh[j], dgh[H+j], dgh[2*H+j] = dr, dz, dn*r
			dhp[j] = dh[j] * z
		}
	}
}
