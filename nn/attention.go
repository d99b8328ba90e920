package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

var (
	_ Layer[float64] = (*CausalSelfAttention[float64])(nil)
)

// CausalSelfAttention is GPT's masked multi-head self-attention (Vaswani et
// al., 2017; nanoGPT's CausalSelfAttention with bias=False): each position
// of a sequence attends to itself and the positions before it.
//
// Shapes: x [batch, T, C] with T at most Block() and C = Embd(); the output
// has x's shape. With H heads of hs = C/H features,
//
//	q, k, v = split(x·Wqkv)                 Wqkv [C, 3C]  ("c_attn.weight")
//	P_h     = softmax(q_h·k_hᵀ/√hs + mask)  [T, T] per case and head, mask -∞ above the diagonal
//	y       = concat_h(dropout(P_h)·v_h)·Wo Wo [C, C]     ("c_proj.weight")
//	out     = dropout(y)
//
// The weights are stored [in, out] (Transposed, as Linear's); PyTorch's
// state_dict holds their transposes. The two dropouts are nanoGPT's
// attn_dropout and resid_dropout, active in training only.
type CausalSelfAttention[T tensor.Float] struct {
	CAttn, CProj *Param[T]

	embd, heads, block int
	p                  float64
	attnDrop           *Dropout[T]
	residDrop          *Dropout[T]
	params             []*Param[T]

	b, t       int               // the last Forward's batch and length
	x          *tensor.Tensor[T] // last input, [b·t, C]
	qkv        *tensor.Tensor[T] // [b·t, 3C]
	q, k, v    *tensor.Tensor[T] // [b·H, t, hs]
	att        *tensor.Tensor[T] // softmax P, [b·H, t, t]
	attd       *tensor.Tensor[T] // P after dropout (att itself without dropout)
	yh         *tensor.Tensor[T] // [b·H, t, hs]
	y, out     *tensor.Tensor[T] // [b·t, C]
	outd       *tensor.Tensor[T] // out after dropout (out itself without dropout)
	dy, dyh    *tensor.Tensor[T]
	datt       *tensor.Tensor[T]
	dq, dk, dv *tensor.Tensor[T]
	dqkv, dx   *tensor.Tensor[T]

	xv, outv, dyv, dxv reshaped[T] // views of the other shape, kept

	// The work of the (case, head) pairs (see RunChunk): the stage, and
	// each pair's matrices, views of the tensors above.
	stage                                     int
	qs, ks, vs, atts, attds, yhs              []*tensor.Tensor[T]
	dyhs, datts, dscores, dqs, dks, dvs       []*tensor.Tensor[T]
	qsv, ksv, vsv, attsv, attdsv, yhsv        pairViews[T]
	dyhsv, dattsv, dscoresv, dqsv, dksv, dvsv pairViews[T]
}

// NewCausalSelfAttention returns attention over windows of up to block
// positions of embd features in heads heads, with dropout rate p on the
// attention weights and on the output, drawing masks from generators
// seeded from r (which may be nil when p is 0). The weights are zero;
// Reset initializes them. It panics unless heads divides embd and the
// sizes are positive.
func NewCausalSelfAttention[T tensor.Float](embd, heads, block int, p float64, r *rng.MT) *CausalSelfAttention[T] {
	if embd < 1 || heads < 1 || block < 1 || embd%heads != 0 {
		panic(fmt.Sprintf("nn: CausalSelfAttention(embd %d, heads %d, block %d): sizes must be positive and heads must divide embd", embd, heads, block))
	}
	a := &CausalSelfAttention[T]{embd: embd, heads: heads, block: block, p: p}
	a.CAttn = NewParam("c_attn.weight", tensor.New[T](embd, 3*embd), true)
	a.CProj = NewParam("c_proj.weight", tensor.New[T](embd, embd), true)
	a.CAttn.Transposed, a.CProj.Transposed = true, true
	if p > 0 {
		a.attnDrop = NewDropout[T](p, rng.NewNumpy(r.Uint32()))
		a.residDrop = NewDropout[T](p, rng.NewNumpy(r.Uint32()))
	}
	return a
}

// Reset draws both weights from N(0, std²), Wo from N(0, projStd²), as
// nanoGPT initializes them (std 0.02, projStd 0.02/√(2·layers)).
func (a *CausalSelfAttention[T]) Reset(r *rng.MT, std, projStd float64) {
	tensor.FillNormal(a.CAttn.Value, r, 0, std)
	tensor.FillNormal(a.CProj.Value, r, 0, projStd)
}

// Embd, Heads and Block return the feature size, the number of heads and
// the longest sequence.
func (a *CausalSelfAttention[T]) Embd() int  { return a.embd }
func (a *CausalSelfAttention[T]) Heads() int { return a.heads }
func (a *CausalSelfAttention[T]) Block() int { return a.block }

// Params returns c_attn.weight and c_proj.weight.
func (a *CausalSelfAttention[T]) Params() []*Param[T] {
	if len(a.params) != 2 || a.params[0] != a.CAttn || a.params[1] != a.CProj {
		a.params = []*Param[T]{a.CAttn, a.CProj}
	}
	return a.params
}

// RNGs returns the dropout generators (none when the rate is 0).
func (a *CausalSelfAttention[T]) RNGs() []*rng.MT {
	if a.attnDrop == nil {
		return nil
	}
	return []*rng.MT{a.attnDrop.r, a.residDrop.r}
}

// FreezeDropout makes the dropout masks fixed (see Dropout.Freeze), for a
// gradient check.
func (a *CausalSelfAttention[T]) FreezeDropout() {
	if a.attnDrop != nil {
		a.attnDrop.Freeze()
		a.residDrop.Freeze()
	}
}

// Weights returns the attention weights P of the last Forward, [batch·H,
// T, T] (case-major, then head), before dropout: row i of a head's matrix
// says how much position i took from each position j ≤ i.
func (a *CausalSelfAttention[T]) Weights() *tensor.Tensor[T] { return a.att }

// sizes checks x and returns batch, T and C.
func (a *CausalSelfAttention[T]) sizes(x *tensor.Tensor[T]) (b, t int) {
	s := x.Shape()
	if len(s) != 3 || s[2] != a.embd || s[1] < 1 || s[1] > a.block {
		panic(fmt.Sprintf("nn: CausalSelfAttention(embd %d, block %d) got input of shape %v, want [batch, T ≤ %d, %d]", a.embd, a.block, s, a.block, a.embd))
	}
	return s[0], s[1]
}

// Forward returns the attention's output for x [batch, T, C].
//
// After the fused QKV product, each (case, head) pair is one chunk of
// tensor.Parallel: its q, k and v are copied out of the product's rows,
// its scores, causal softmax and weighted values computed, and its values
// written into the heads' columns of y, the pairs running on as many
// goroutines as there are. Each pair's arithmetic is the same whoever runs
// it, so the bits do not depend on GOMAXPROCS.
func (a *CausalSelfAttention[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	b, t := a.sizes(x)
	c, h := a.embd, a.heads
	hs := c / h
	n := b * t
	a.b, a.t = b, t
	a.x = a.xv.of(x, n, c, 0)
	a.qkv = reuse(a.qkv, n, 3*c)
	tensor.MatMulTo(a.qkv, a.x, a.CAttn.Value, false, false)
	a.q, a.k, a.v = reuse(a.q, b*h, t, hs), reuse(a.k, b*h, t, hs), reuse(a.v, b*h, t, hs)
	a.att = reuse(a.att, b*h, t, t)
	a.yh = reuse(a.yh, b*h, t, hs)
	a.y = reuse(a.y, n, c)
	a.qs, a.ks, a.vs = a.qsv.of(a.q), a.ksv.of(a.k), a.vsv.of(a.v)
	a.atts, a.yhs = a.attsv.of(a.att), a.yhsv.of(a.yh)
	a.attd = a.att
	drop := a.attnDrop != nil && train
	if drop {
		a.stage = stageScores
		tensor.Parallel(a, b*h)
		a.attd = a.attnDrop.Forward(a.att, true)
		a.attds = a.attdsv.of(a.attd)
		a.stage = stageValues
		tensor.Parallel(a, b*h)
	} else {
		a.attds = a.atts
		a.stage = stageForward
		tensor.Parallel(a, b*h)
	}
	a.out = reuse(a.out, n, c)
	tensor.MatMulTo(a.out, a.y, a.CProj.Value, false, false)
	a.outd = a.out
	if a.residDrop != nil && train {
		a.outd = a.residDrop.Forward(a.out, true)
	}
	return a.outv.of(a.outd, b, t, c)
}

// Backward returns dx for dy [batch, T, C] and stores the gradients of
// both weights. As Forward, it runs the (case, head) pairs as chunks of
// tensor.Parallel.
func (a *CausalSelfAttention[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	b, t, c, h := a.b, a.t, a.embd, a.heads
	hs, n := c/h, b*t
	if dy.Len() != n*c {
		panic(fmt.Sprintf("nn: CausalSelfAttention backward got gradient of shape %v for output [%d %d %d]", dy.Shape(), b, t, c))
	}
	d := a.dyv.of(dy, n, c, 0)
	if a.outd != a.out {
		d = a.residDrop.Backward(d)
	}
	// out = y·Wo
	tensor.MatMulTo(a.CProj.Grad, a.y, d, true, false)
	a.dy = reuse(a.dy, n, c)
	tensor.MatMulTo(a.dy, d, a.CProj.Value, false, true)
	a.dyh = reuse(a.dyh, b*h, t, hs)
	a.datt = reuse(a.datt, b*h, t, t)
	a.dv = reuse(a.dv, b*h, t, hs)
	a.dq, a.dk = reuse(a.dq, b*h, t, hs), reuse(a.dk, b*h, t, hs)
	a.dqkv = reuse(a.dqkv, n, 3*c)
	a.dyhs, a.datts, a.dvs = a.dyhsv.of(a.dyh), a.dattsv.of(a.datt), a.dvsv.of(a.dv)
	a.dqs, a.dks = a.dqsv.of(a.dq), a.dksv.of(a.dk)
	if a.attd != a.att {
		a.stage = stageGradWeights
		tensor.Parallel(a, b*h)
		datt := a.attnDrop.Backward(a.datt)
		a.dscores = a.dscoresv.of(datt)
		a.stage = stageGradScores
		tensor.Parallel(a, b*h)
	} else {
		a.dscores = a.datts
		a.stage = stageBackward
		tensor.Parallel(a, b*h)
	}
	// qkv = x·Wqkv
	tensor.MatMulTo(a.CAttn.Grad, a.x, a.dqkv, true, false)
	a.dx = reuse(a.dx, n, c)
	tensor.MatMulTo(a.dx, a.dqkv, a.CAttn.Value, false, true)
	return a.dxv.of(a.dx, b, t, c)
}

// The stages of the (case, head) pairs' work, what RunChunk does.
const (
	stageForward     = iota // split q, k, v; scores; softmax; P·v; merge into y
	stageScores             // split q, k, v; scores; softmax (dropout follows)
	stageValues             // P·v; merge into y
	stageBackward           // everything of Backward between the two products
	stageGradWeights        // split dy; dP = dy·vᵀ; dv = Pᵀ·dy (dropout's backward follows)
	stageGradScores         // softmax backward; dq, dk; merge dq, dk, dv into dqkv
)

// RunChunk runs stage a.stage of pair i (case i/H, head i%H); it makes
// the attention a tensor.Chunker.
func (a *CausalSelfAttention[T]) RunChunk(i int) {
	t, c, h := a.t, a.embd, a.heads
	hs := c / h
	bi, hi := i/h, i%h
	scale := T(1 / math.Sqrt(float64(hs)))
	switch a.stage {
	case stageForward, stageScores:
		q, k, v := a.q.Data[i*t*hs:(i+1)*t*hs], a.k.Data[i*t*hs:(i+1)*t*hs], a.v.Data[i*t*hs:(i+1)*t*hs]
		for ti := 0; ti < t; ti++ {
			row := a.qkv.Data[(bi*t+ti)*3*c+hi*hs:]
			copy(q[ti*hs:(ti+1)*hs], row)
			copy(k[ti*hs:(ti+1)*hs], row[c:])
			copy(v[ti*hs:(ti+1)*hs], row[2*c:])
		}
		tensor.Gemm(false, true, scale, a.qs[i], a.ks[i], 0, a.atts[i])
		causalSoftmax(a.atts[i].Data, t)
		if a.stage == stageScores {
			return
		}
		fallthrough
	case stageValues:
		tensor.Gemm(false, false, 1, a.attds[i], a.vs[i], 0, a.yhs[i])
		yh := a.yhs[i].Data
		for ti := 0; ti < t; ti++ {
			copy(a.y.Data[(bi*t+ti)*c+hi*hs:(bi*t+ti)*c+(hi+1)*hs], yh[ti*hs:])
		}
	case stageBackward, stageGradWeights:
		dyh := a.dyhs[i].Data
		for ti := 0; ti < t; ti++ {
			copy(dyh[ti*hs:(ti+1)*hs], a.dy.Data[(bi*t+ti)*c+hi*hs:])
		}
		// yh = attd·v
		tensor.Gemm(false, true, 1, a.dyhs[i], a.vs[i], 0, a.datts[i])
		tensor.Gemm(true, false, 1, a.attds[i], a.dyhs[i], 0, a.dvs[i])
		if a.stage == stageGradWeights {
			return
		}
		fallthrough
	case stageGradScores:
		// P = softmax(S): dS = P·(dP − Σ_j P·dP), in place.
		ds := a.dscores[i]
		softmaxBackward(ds.Data, a.atts[i].Data, t)
		// S = q·kᵀ/√hs
		tensor.Gemm(false, false, scale, ds, a.ks[i], 0, a.dqs[i])
		tensor.Gemm(true, false, scale, ds, a.qs[i], 0, a.dks[i])
		dq, dk, dv := a.dqs[i].Data, a.dks[i].Data, a.dvs[i].Data
		for ti := 0; ti < t; ti++ {
			row := a.dqkv.Data[(bi*t+ti)*3*c+hi*hs:]
			copy(row[:hs], dq[ti*hs:])
			copy(row[c:c+hs], dk[ti*hs:])
			copy(row[2*c:2*c+hs], dv[ti*hs:])
		}
	}
}

// pairViews holds one view [r, c] of each matrix of a tensor [P, r, c],
// made again only when the tensor's storage or shape changes, so that a
// step does not allocate them.
type pairViews[T tensor.Float] struct {
	base *tensor.Tensor[T]
	ts   []*tensor.Tensor[T]
}

// of returns the views of x [P, r, c].
func (v *pairViews[T]) of(x *tensor.Tensor[T]) []*tensor.Tensor[T] {
	s := x.Shape()
	p, r, c := s[0], s[1], s[2]
	if v.base == x && len(v.ts) == p && p > 0 && &v.ts[0].Data[0] == &x.Data[0] && v.ts[0].Dim(0) == r && v.ts[0].Dim(1) == c {
		return v.ts
	}
	v.base = x
	v.ts = v.ts[:0]
	for i := range p {
		v.ts = append(v.ts, tensor.FromSlice(x.Data[i*r*c:(i+1)*r*c:(i+1)*r*c], r, c))
	}
	return v.ts
}

// reshaped is a view of a tensor in another shape, made again only when the
// tensor's storage or the shape changes, so that a layer's steps do not
// allocate one per call.
type reshaped[T tensor.Float] struct{ t *tensor.Tensor[T] }

// of returns x viewed as [d0, d1], or [d0, d1, d2] if d2 > 0.
func (v *reshaped[T]) of(x *tensor.Tensor[T], d0, d1, d2 int) *tensor.Tensor[T] {
	if w := v.t; w != nil && len(w.Data) == len(x.Data) && len(x.Data) > 0 && &w.Data[0] == &x.Data[0] {
		s := w.Shape()
		if d2 > 0 && len(s) == 3 && s[0] == d0 && s[1] == d1 && s[2] == d2 || d2 == 0 && len(s) == 2 && s[0] == d0 && s[1] == d1 {
			return w
		}
	}
	if d2 > 0 {
		v.t = x.Reshape(d0, d1, d2)
	} else {
		v.t = x.Reshape(d0, d1)
	}
	return v.t
}

// reuse is tensor.Reuse that keeps t when its shape already fits.
func reuse[T tensor.Float](t *tensor.Tensor[T], shape ...int) *tensor.Tensor[T] {
	if t != nil && tensor.EqualShape(t.Shape(), shape) {
		return t
	}
	return tensor.Reuse(t, shape...)
}

// causalSoftmax replaces each t×t matrix of scores in s by the softmax of
// each row i over the columns j ≤ i, and zeroes the columns j > i (the
// mask: -∞ before the softmax).
func causalSoftmax[T tensor.Float](s []T, t int) {
	for off := 0; off < len(s); off += t * t {
		for i := 0; i < t; i++ {
			row := s[off+i*t : off+(i+1)*t]
			softmaxPrefix(row[:i+1])
			clear(row[i+1:])
		}
	}
}

// softmaxPrefix sets row to its softmax, the maximum subtracted first
// (the exponentials and their sum by tensor.ExpSum).
func softmaxPrefix[T tensor.Float](row []T) {
	m := row[0]
	for _, v := range row[1:] {
		m = max(m, v)
	}
	inv := 1 / tensor.ExpSum(row, row, m)
	for j := range row {
		row[j] *= inv
	}
}

// softmaxBackward turns d, the gradient with respect to the probabilities
// p of causalSoftmax (t×t matrices), into the gradient with respect to the
// scores: d_ij ← p_ij·(d_ij − Σ_k p_ik·d_ik). Masked entries (p = 0)
// become 0.
func softmaxBackward[T tensor.Float](d, p []T, t int) {
	for off := 0; off < len(d); off += t * t {
		for i := 0; i < t; i++ {
			dr, pr := d[off+i*t:off+i*t+i+1], p[off+i*t:off+i*t+i+1]
			var s T
			for j, pj := range pr {
				s += pj * dr[j]
			}
			for j, pj := range pr {
				dr[j] = pj * (dr[j] - s)
			}
			clear(d[off+i*t+i+1 : off+(i+1)*t])
		}
	}
}
