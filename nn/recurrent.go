package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// This file holds what RNN, LSTM and GRU share: the time loop, stacking,
// dropout between layers and the carried state. Each kind's file holds its
// cell, the step forward and backward side by side.

// RecurrentSpec is the config of a recurrent layer kind ("rnn", "lstm" or
// "gru"): In input features per step, Hidden units, Layers stacked (1 if
// 0), Dropout applied to the outputs of every layer but the last in
// training, as PyTorch's nn.LSTM(dropout=...) does.
type RecurrentSpec struct {
	In      int     `json:"in,omitempty"`
	Hidden  int     `json:"hidden,omitempty"`
	Layers  int     `json:"layers,omitempty"`
	Dropout float64 `json:"dropout,omitempty"`
}

func (s RecurrentSpec) layers() int { return max(s.Layers, 1) }

// outShape checks the config for the kind with g gate blocks and returns
// [time, Hidden] for an input case [time, In].
func (s RecurrentSpec) outShape(in []int) ([]int, error) {
	if err := checkSizes("in hidden layers", s.In, s.Hidden, s.Layers); err != nil {
		return nil, err
	}
	if s.In < 1 || s.Hidden < 1 || s.Layers < 0 {
		return nil, fmt.Errorf("in %d, hidden %d and layers %d must be positive", s.In, s.Hidden, s.Layers)
	}
	if !(s.Dropout >= 0 && s.Dropout < 1) {
		return nil, fmt.Errorf("dropout %v must be in [0, 1)", s.Dropout)
	}
	if in == nil {
		return []int{-1, s.Hidden}, nil
	}
	if len(in) != 2 {
		return nil, fmt.Errorf("input %v: want [time, %d]", in, s.In)
	}
	if in[1] >= 0 && in[1] != s.In {
		return nil, fmt.Errorf("input %v has %d features per step, layer expects %d", in, in[1], s.In)
	}
	return []int{in[0], s.Hidden}, nil
}

// footprint counts the weights of g gate blocks per layer and the
// activations kept for the backward pass.
func (s RecurrentSpec) footprint(g int, in, out []int) (int, int) {
	h := s.Hidden
	p := 0
	for l := 0; l < s.layers(); l++ {
		fan := h
		if l == 0 {
			fan = s.In
		}
		p = addSat(p, mulSat(g*h, addSat(fan, h+2)))
	}
	steps := 1
	if len(out) > 0 && out[0] > 0 {
		steps = out[0]
	}
	return p, mulSat(mulSat(steps, s.layers()), mulSat(h, 4*g+4))
}

// cell is one kind's step: forward and backward of one time step for the
// whole batch, on slices of the layer's buffers.
type cell[T tensor.Float] interface {
	// gates is the number of [batch, hidden] blocks of the input and
	// hidden products: 4 (LSTM), 3 (GRU), 1 (RNN).
	gates() int
	// hasC reports whether the cell carries a memory c (LSTM).
	hasC() bool
	// sameGrad reports whether the gradients of ax and gh are equal (LSTM,
	// RNN): the layer then gives the cell one buffer as both dax and dgh.
	sameGrad() bool
	forward(s *step[T])
	backward(s *step[T])
}

// step holds the slices of one time step: rows of the batch, H hidden
// units, G = gates blocks.
type step[T tensor.Float] struct {
	n, h int
	// Forward reads ax (x·W_ih + b_ih) and gh (h_prev·W_hh + b_hh), each
	// [n, G·h], hPrev and cPrev [n, h]; it writes act [n, G·h] (what the
	// backward pass needs of the gates), h and, for an LSTM, c and tc =
	// tanh(c).
	ax, gh, act       []T
	hPrev, cPrev      []T
	hOut, cOut, tc    []T
	dh                []T // the gradient with respect to h (output and next step)
	dc                []T // LSTM: in, the gradient w.r.t. c from the next step; out, w.r.t. c_prev
	dax, dgh, dhPrevD []T // out: gradients of ax and gh (one slice if sameGrad), and the part of dh_prev not through W_hh
}

// rlayer is one layer of a stack: its weights and the buffers of the last
// Forward, time-major (row t·n+b is case b at step t).
type rlayer[T tensor.Float] struct {
	wih, whh, bih, bhh *Param[T]
	in                 int

	xs, ax, gh, act *tensor.Tensor[T] // [steps·n, in], [steps·n, G·h] ...
	hs, cs, tc      *tensor.Tensor[T] // hs, cs: [(steps+1)·n, h], the initial state first
	dax, dgh, dxs   *tensor.Tensor[T] // dgh is dax if the cell's sameGrad
	dhs             *tensor.Tensor[T] // gradient w.r.t. the outputs hs[1:]
	hv, ghv, dghv   []*tensor.Tensor[T]
	dhNext, dcNext  *tensor.Tensor[T]
	dh              []T
	drop            *Dropout[T] // on this layer's outputs (nil for the last)
	dropped         *tensor.Tensor[T]
	outView         *tensor.Tensor[T] // hs[1:] as [steps·n, h]
	prevView        *tensor.Tensor[T] // hs[:steps] as [steps·n, h]
}

// recurrent is a stack of layers of one cell kind, unrolled over time.
type recurrent[T tensor.Float] struct {
	kind     string
	cell     cell[T]
	spec     RecurrentSpec
	layers   []*rlayer[T]
	params   []*Param[T]
	Stateful bool

	h0, c0   *tensor.Tensor[T] // [layers, n, h]: the initial state, if set
	hasState bool
	hT, cT   *tensor.Tensor[T] // the final state of the last Forward
	dh0, dc0 *tensor.Tensor[T]

	n, steps int
	train    bool
	y, dx    *tensor.Tensor[T]
	st       step[T]
}

func newRecurrent[T tensor.Float](kind string, c cell[T], s RecurrentSpec, r *rng.MT) *recurrent[T] {
	if _, err := s.outShape(nil); err != nil {
		panic(fmt.Sprintf("nn: %s: %v", kind, err))
	}
	rc := &recurrent[T]{kind: kind, cell: c, spec: s}
	g, h := c.gates(), s.Hidden
	for l := 0; l < s.layers(); l++ {
		in := h
		if l == 0 {
			in = s.In
		}
		sfx := fmt.Sprintf("_l%d", l)
		ly := &rlayer[T]{
			wih: NewParam("weight_ih"+sfx, tensor.New[T](in, g*h), true),
			whh: NewParam("weight_hh"+sfx, tensor.New[T](h, g*h), true),
			bih: NewParam("bias_ih"+sfx, tensor.New[T](g*h), false),
			bhh: NewParam("bias_hh"+sfx, tensor.New[T](g*h), false),
			in:  in,
		}
		ly.wih.Transposed, ly.whh.Transposed = true, true // PyTorch's [G·h, in]
		if l < s.layers()-1 && s.Dropout > 0 {
			if r == nil {
				panic(fmt.Sprintf("nn: %s with dropout needs a random generator", kind))
			}
			ly.drop = NewDropout[T](s.Dropout, rng.NewNumpy(r.Uint32()))
		}
		rc.layers = append(rc.layers, ly)
		rc.params = append(rc.params, ly.wih, ly.whh, ly.bih, ly.bhh)
	}
	return rc
}

// Reset draws the weights of every layer from init with the fan-in of each
// product (In or Hidden for W_ih, Hidden for W_hh), the book's
// initialization when init is Xavier, and sets the biases to zero.
func (rc *recurrent[T]) Reset(init Init, r *rng.MT) {
	for _, ly := range rc.layers {
		tensor.FillNormal(ly.wih.Value, r, 0, init.Std(ly.in))
		tensor.FillNormal(ly.whh.Value, r, 0, init.Std(rc.spec.Hidden))
		ly.bih.Value.Zero()
		ly.bhh.Value.Zero()
	}
}

// ResetUniform draws every weight and bias from U(-1/√h, 1/√h), PyTorch's
// initialization of its recurrent layers.
func (rc *recurrent[T]) ResetUniform(r *rng.MT) {
	k := 1 / math.Sqrt(float64(rc.spec.Hidden))
	for _, p := range rc.params {
		tensor.FillUniform(p.Value, r, -k, k)
	}
}

// Params returns weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then
// those of the next layers: PyTorch's names and order.
func (rc *recurrent[T]) Params() []*Param[T] { return rc.params }

// Spec returns the layer's config.
func (rc *recurrent[T]) config() RecurrentSpec { return rc.spec }

// RNGs returns the generators of the dropout between layers.
func (rc *recurrent[T]) RNGs() []*rng.MT {
	var out []*rng.MT
	for _, ly := range rc.layers {
		if ly.drop != nil {
			out = append(out, ly.drop.RNGs()...)
		}
	}
	return out
}

// Dropouts returns the dropout layers between the stacked layers (none
// without dropout), so that a gradient check can freeze their masks.
func (rc *recurrent[T]) Dropouts() []*Dropout[T] {
	var out []*Dropout[T]
	for _, ly := range rc.layers {
		if ly.drop != nil {
			out = append(out, ly.drop)
		}
	}
	return out
}

// Hidden returns the number of hidden units.
func (rc *recurrent[T]) Hidden() int { return rc.spec.Hidden }

// ResetState forgets the carried or set initial state: the next Forward
// starts from zeros.
func (rc *recurrent[T]) ResetState() { rc.hasState = false }

// SetState sets the initial state of the following Forwards (until
// ResetState, another SetState, or, for a Stateful layer, the next
// Forward): h and c [layers, batch, hidden] (c nil for zeros; an RNN or GRU
// ignores it). The values are copied. It panics on a shape mismatch.
func (rc *recurrent[T]) SetState(h, c *tensor.Tensor[T]) {
	L, H := len(rc.layers), rc.spec.Hidden
	if h.Rank() != 3 || h.Dim(0) != L || h.Dim(2) != H {
		panic(fmt.Sprintf("nn: %s SetState: h of shape %v, want [%d, batch, %d]", rc.kind, h.Shape(), L, H))
	}
	if c != nil && !tensor.SameShape(h, c) {
		panic(fmt.Sprintf("nn: %s SetState: c of shape %v, h %v", rc.kind, c.Shape(), h.Shape()))
	}
	rc.h0 = tensor.Reuse(rc.h0, h.Shape()...)
	rc.c0 = tensor.Reuse(rc.c0, h.Shape()...)
	copy(rc.h0.Data, h.Data)
	if c != nil {
		copy(rc.c0.Data, c.Data)
	} else {
		rc.c0.Zero()
	}
	rc.hasState = true
}

// State returns the final state of the last Forward, h and c [layers,
// batch, hidden] (c is zeros for an RNN or GRU). They belong to the layer
// and change at its next Forward.
func (rc *recurrent[T]) State() (h, c *tensor.Tensor[T]) { return rc.hT, rc.cT }

// StateGrad returns the gradient of the loss with respect to the initial
// state of the last Forward, dh0 and dc0 [layers, batch, hidden], after
// Backward.
func (rc *recurrent[T]) StateGrad() (dh0, dc0 *tensor.Tensor[T]) { return rc.dh0, rc.dc0 }

// stepViews returns views [n, cols] of each of the first steps blocks of
// buf's data, reusing views when they still fit.
func stepViews[T tensor.Float](views []*tensor.Tensor[T], buf *tensor.Tensor[T], steps, n, cols int) []*tensor.Tensor[T] {
	if len(views) == steps && (steps == 0 || &views[0].Data[0] == &buf.Data[0] && views[0].Rows() == n && views[0].Cols() == cols) {
		return views
	}
	views = views[:0]
	for t := 0; t < steps; t++ {
		views = append(views, tensor.FromSlice(buf.Data[t*n*cols:(t+1)*n*cols], n, cols))
	}
	return views
}

// reuse returns t with shape (rows, cols), reusing its storage when the
// shape is unchanged.
func reuse2[T tensor.Float](t *tensor.Tensor[T], rows, cols int) *tensor.Tensor[T] {
	if t != nil && t.Rank() == 2 && t.Rows() == rows && t.Cols() == cols {
		return t
	}
	return tensor.Reuse(t, rows, cols)
}

// prepare sizes the buffers for n cases of steps steps.
func (rc *recurrent[T]) prepare(n, steps int) {
	H, G := rc.spec.Hidden, rc.cell.gates()
	L := len(rc.layers)
	if rc.n == n && rc.steps == steps && rc.y != nil {
		return
	}
	rc.n, rc.steps = n, steps
	for _, ly := range rc.layers {
		ly.xs = reuse2(ly.xs, steps*n, ly.in)
		ly.ax = reuse2(ly.ax, steps*n, G*H)
		ly.gh = reuse2(ly.gh, steps*n, G*H)
		ly.act = reuse2(ly.act, steps*n, G*H)
		ly.hs = reuse2(ly.hs, (steps+1)*n, H)
		ly.dax = reuse2(ly.dax, steps*n, G*H)
		if rc.cell.sameGrad() {
			ly.dgh = ly.dax
		} else {
			ly.dgh = reuse2(ly.dgh, steps*n, G*H)
		}
		ly.dxs = reuse2(ly.dxs, steps*n, ly.in)
		ly.dhs = reuse2(ly.dhs, steps*n, H)
		ly.dhNext = reuse2(ly.dhNext, n, H)
		ly.dcNext = reuse2(ly.dcNext, n, H)
		if cap(ly.dh) < n*H {
			ly.dh = make([]T, n*H)
		}
		ly.dh = ly.dh[:n*H]
		if rc.cell.hasC() {
			ly.cs = reuse2(ly.cs, (steps+1)*n, H)
			ly.tc = reuse2(ly.tc, steps*n, H)
		}
		ly.hv = stepViews(ly.hv, ly.hs, steps+1, n, H)
		ly.ghv = stepViews(ly.ghv, ly.gh, steps, n, G*H)
		ly.dghv = stepViews(ly.dghv, ly.dgh, steps, n, G*H)
	}
	rc.y = tensor.Reuse(rc.y, n, steps, H)
	rc.dx = tensor.Reuse(rc.dx, n, steps, rc.spec.In)
	rc.hT = tensor.Reuse(rc.hT, L, n, H)
	rc.cT = tensor.Reuse(rc.cT, L, n, H)
	rc.dh0 = tensor.Reuse(rc.dh0, L, n, H)
	rc.dc0 = tensor.Reuse(rc.dc0, L, n, H)
}

// toTimeMajor copies x [n, steps, f] into dst [steps·n, f].
func toTimeMajor[T tensor.Float](dst, x []T, n, steps, f int) {
	for b := 0; b < n; b++ {
		for t := 0; t < steps; t++ {
			copy(dst[(t*n+b)*f:(t*n+b+1)*f], x[(b*steps+t)*f:(b*steps+t+1)*f])
		}
	}
}

// toBatchMajor copies src [steps·n, f] into dst [n, steps, f].
func toBatchMajor[T tensor.Float](dst, src []T, n, steps, f int) {
	for b := 0; b < n; b++ {
		for t := 0; t < steps; t++ {
			copy(dst[(b*steps+t)*f:(b*steps+t+1)*f], src[(t*n+b)*f:(t*n+b+1)*f])
		}
	}
}

// Forward runs the stack over x [batch, time, In] and returns the last
// layer's hidden states [batch, time, Hidden]. It starts from the state set
// by SetState or carried from the last Forward of a Stateful layer (if its
// batch size is the same), else from zeros; a Stateful layer then carries
// its final state to the next Forward, with no gradient through it
// (truncated backpropagation through time).
func (rc *recurrent[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if x.Rank() != 3 || x.Dim(2) != rc.spec.In {
		panic(fmt.Sprintf("nn: %s(%d, %d) got input of shape %v, want [batch, time, %d]", rc.kind, rc.spec.In, rc.spec.Hidden, x.Shape(), rc.spec.In))
	}
	n, steps := x.Dim(0), x.Dim(1)
	if n < 1 || steps < 1 {
		panic(fmt.Sprintf("nn: %s got an empty input %v", rc.kind, x.Shape()))
	}
	rc.prepare(n, steps)
	rc.train = train
	H, G := rc.spec.Hidden, rc.cell.gates()
	useState := rc.hasState && rc.h0 != nil && rc.h0.Dim(1) == n
	if rc.hasState && !useState && !rc.Stateful {
		panic(fmt.Sprintf("nn: %s: the state set has batch %d, the input %v", rc.kind, rc.h0.Dim(1), x.Shape()))
	}
	toTimeMajor(rc.layers[0].xs.Data, x.Data, n, steps, rc.spec.In)
	st := &rc.st
	*st = step[T]{n: n, h: H}
	for l, ly := range rc.layers {
		if l > 0 {
			prev := rc.layers[l-1]
			out := prev.outputs(steps, n)
			if prev.drop != nil {
				prev.dropped = prev.drop.Forward(out, train)
				out = prev.dropped
			}
			copy(ly.xs.Data, out.Data)
		}
		// The input products of every step in one GEMM.
		tensor.AffineTo(ly.ax, ly.xs, ly.wih.Value, ly.bih.Value)
		h0 := ly.hs.Data[:n*H]
		if useState {
			copy(h0, rc.h0.Data[l*n*H:(l+1)*n*H])
		} else {
			clear(h0)
		}
		if ly.cs != nil {
			c0 := ly.cs.Data[:n*H]
			if useState {
				copy(c0, rc.c0.Data[l*n*H:(l+1)*n*H])
			} else {
				clear(c0)
			}
		}
		for t := 0; t < steps; t++ {
			// The hidden products of the G gates in one GEMM for the batch.
			gh := ly.ghv[t]
			for b := 0; b < n; b++ {
				copy(gh.Data[b*G*H:(b+1)*G*H], ly.bhh.Value.Data)
			}
			tensor.Gemm(false, false, 1, ly.hv[t], ly.whh.Value, 1, gh)
			rc.bindStep(st, ly, t)
			rc.cell.forward(st)
		}
		copy(rc.hT.Data[l*n*H:(l+1)*n*H], ly.hs.Data[steps*n*H:])
		if ly.cs != nil {
			copy(rc.cT.Data[l*n*H:(l+1)*n*H], ly.cs.Data[steps*n*H:])
		} else {
			clear(rc.cT.Data[l*n*H : (l+1)*n*H])
		}
	}
	if rc.Stateful {
		rc.h0 = tensor.Reuse(rc.h0, len(rc.layers), n, H)
		rc.c0 = tensor.Reuse(rc.c0, len(rc.layers), n, H)
		copy(rc.h0.Data, rc.hT.Data)
		copy(rc.c0.Data, rc.cT.Data)
		rc.hasState = true
	}
	last := rc.layers[len(rc.layers)-1]
	toBatchMajor(rc.y.Data, last.hs.Data[n*H:], n, steps, H)
	return rc.y
}

// outputs returns the layer's hidden states hs[1:] as [steps·n, h], a view
// made once per shape.
func (ly *rlayer[T]) outputs(steps, n int) *tensor.Tensor[T] {
	if ly.outView == nil || &ly.outView.Data[0] != &ly.hs.Data[n*ly.whh.Value.Rows()] || ly.outView.Rows() != steps*n {
		h := ly.whh.Value.Rows()
		ly.outView = tensor.FromSlice(ly.hs.Data[n*h:], steps*n, h)
	}
	return ly.outView
}

// bindStep points st at step t of layer ly.
func (rc *recurrent[T]) bindStep(st *step[T], ly *rlayer[T], t int) {
	n, H, G := rc.n, rc.spec.Hidden, rc.cell.gates()
	a, b := t*n*G*H, (t+1)*n*G*H
	st.ax, st.gh, st.act = ly.ax.Data[a:b], ly.gh.Data[a:b], ly.act.Data[a:b]
	st.dax, st.dgh = ly.dax.Data[a:b], ly.dgh.Data[a:b]
	st.hPrev, st.hOut = ly.hs.Data[t*n*H:(t+1)*n*H], ly.hs.Data[(t+1)*n*H:(t+2)*n*H]
	if ly.cs != nil {
		st.cPrev, st.cOut = ly.cs.Data[t*n*H:(t+1)*n*H], ly.cs.Data[(t+1)*n*H:(t+2)*n*H]
		st.tc = ly.tc.Data[t*n*H : (t+1)*n*H]
	}
}

// Backward takes dy [batch, time, Hidden], the gradient with respect to
// the outputs, and returns dx [batch, time, In]; it overwrites the
// parameters' gradients, and StateGrad gives the gradient with respect to
// the initial state.
func (rc *recurrent[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	n, steps, H := rc.n, rc.steps, rc.spec.Hidden
	if !tensor.SameShape(dy, rc.y) {
		panic(fmt.Sprintf("nn: %s backward got gradient of shape %v for output %v", rc.kind, dy.Shape(), rc.y.Shape()))
	}
	L := len(rc.layers)
	toTimeMajor(rc.layers[L-1].dhs.Data, dy.Data, n, steps, H)
	st := &rc.st
	for l := L - 1; l >= 0; l-- {
		ly := rc.layers[l]
		ly.dhNext.Zero()
		ly.dcNext.Zero()
		for t := steps - 1; t >= 0; t-- {
			rc.bindStep(st, ly, t)
			dh := ly.dh
			dys := ly.dhs.Data[t*n*H : (t+1)*n*H]
			for i := range dh {
				dh[i] = dys[i] + ly.dhNext.Data[i]
			}
			st.dh, st.dc, st.dhPrevD = dh, ly.dcNext.Data, ly.dhNext.Data
			rc.cell.backward(st)
			// dh_prev += dgh·W_hhᵀ
			tensor.Gemm(false, true, 1, ly.dghv[t], ly.whh.Value, 1, ly.dhNext)
		}
		copy(rc.dh0.Data[l*n*H:(l+1)*n*H], ly.dhNext.Data)
		copy(rc.dc0.Data[l*n*H:(l+1)*n*H], ly.dcNext.Data)
		// The parameter gradients of all steps in one GEMM each.
		hPrev := ly.prevStates(steps, n)
		tensor.MatMulTo(ly.whh.Grad, hPrev, ly.dgh, true, false)
		tensor.SumRowsTo(ly.bhh.Grad, ly.dgh)
		tensor.MatMulTo(ly.wih.Grad, ly.xs, ly.dax, true, false)
		if rc.cell.sameGrad() {
			copy(ly.bih.Grad.Data, ly.bhh.Grad.Data)
		} else {
			tensor.SumRowsTo(ly.bih.Grad, ly.dax)
		}
		tensor.MatMulTo(ly.dxs, ly.dax, ly.wih.Value, false, true)
		if l > 0 {
			prev := rc.layers[l-1]
			d := ly.dxs
			if prev.drop != nil {
				d = prev.drop.Backward(d)
			}
			copy(prev.dhs.Data, d.Data)
		}
	}
	toBatchMajor(rc.dx.Data, rc.layers[0].dxs.Data, n, steps, rc.spec.In)
	return rc.dx
}

// prevStates returns hs[:steps] as [steps·n, h], a view made once per shape.
func (ly *rlayer[T]) prevStates(steps, n int) *tensor.Tensor[T] {
	h := ly.whh.Value.Rows()
	if ly.prevView == nil || &ly.prevView.Data[0] != &ly.hs.Data[0] || ly.prevView.Rows() != steps*n {
		ly.prevView = tensor.FromSlice(ly.hs.Data[:steps*n*h], steps*n, h)
	}
	return ly.prevView
}

// sigm is the logistic function, computed so that it neither overflows
// nor loses the small values of either tail; in float32 arithmetic for
// float32 (see gates32.go).
func sigm[T tensor.Float](x T) T {
	if is32[T]() {
		return T(sigmf(float32(x)))
	}
	if x >= 0 {
		return T(1 / (1 + math.Exp(-float64(x))))
	}
	e := math.Exp(float64(x))
	return T(e / (1 + e))
}

// tanh is the hyperbolic tangent, in float32 arithmetic for float32.
func tanh[T tensor.Float](x T) T {
	if is32[T]() {
		return T(tanhf(float32(x)))
	}
	return T(math.Tanh(float64(x)))
}
