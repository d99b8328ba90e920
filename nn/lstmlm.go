package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// LSTMLMConfig is the shape of an LSTM language model: Vocab token ids,
// Embed features per token, Layers stacked LSTMs of Hidden units (1 if 0),
// Dropout on the embeddings, between the layers and before the output
// layer (the book's BetterRnnlm), and Tie to share the embedding table
// with the output layer (Press and Wolf, 2017; Embed must equal Hidden).
type LSTMLMConfig struct {
	Vocab   int     `json:"vocab"`
	Embed   int     `json:"embed"`
	Hidden  int     `json:"hidden"`
	Layers  int     `json:"layers,omitempty"`
	Dropout float64 `json:"dropout,omitempty"`
	Tie     bool    `json:"tie_weights,omitempty"`
}

// Validate reports a config that cannot make a model.
func (c LSTMLMConfig) Validate() error {
	if err := checkSizes("vocab embed hidden layers", c.Vocab, c.Embed, c.Hidden, c.Layers); err != nil {
		return err
	}
	switch {
	case c.Vocab < 1 || c.Embed < 1 || c.Hidden < 1 || c.Layers < 0:
		return fmt.Errorf("vocab %d, embed %d, hidden %d and layers %d must be positive", c.Vocab, c.Embed, c.Hidden, c.Layers)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return fmt.Errorf("dropout %v must be in [0, 1)", c.Dropout)
	case c.Tie && c.Embed != c.Hidden:
		return fmt.Errorf("tied weights need embed = hidden, got %d and %d", c.Embed, c.Hidden)
	}
	return nil
}

// LSTMLM is the second volume's recurrent language model (its Rnnlm of
// chapter 6 and, with Layers 2, Dropout and Tie, its BetterRnnlm):
//
//	e = Embedding(ids)          [b, t, Embed]     "embed.weight"
//	h = LSTM(dropout(e))        [b, t, Hidden]    "lstm.weight_ih_l0", ...
//	logits = dropout(h)·W + B   [b, t, Vocab]     "affine.weight" (W = embed.weightᵀ when tied), "affine.bias"
//
// The LSTM is Stateful: each Forward starts from the state the last one
// ended with (truncated backpropagation through time: no gradient flows
// back across Forwards) until ResetState. Forward, Backward, Params and
// ResetState are the method set of package lm's Model and Stateful.
type LSTMLM[T tensor.Float] struct {
	Config LSTMLMConfig
	Embed  *Embedding[T]
	LSTM   *LSTM[T]
	// W [Hidden, Vocab] is the output layer's weight (stored transposed
	// from PyTorch's), nil when tied; B [Vocab] its bias.
	W, B *Param[T]

	dropIn, dropOut *Dropout[T]
	params          []*Param[T]

	b, t         int
	h2, logits   *tensor.Tensor[T] // views [b·t, Hidden], [b·t, Vocab]
	logits3      *tensor.Tensor[T]
	dl2, dh, dh3 *tensor.Tensor[T]
}

// NewLSTMLM returns a model of c with the book's initialization drawn
// from r: embeddings N(0, 0.01²), the LSTM's W_ih N(0, 1/in) and W_hh
// N(0, 1/Hidden), the output layer's weight N(0, 1/Hidden), biases zero.
// With Dropout, r also seeds the masks. It panics on an invalid c (see
// Validate).
func NewLSTMLM[T tensor.Float](c LSTMLMConfig, r *rng.MT) *LSTMLM[T] {
	if err := c.Validate(); err != nil {
		panic("nn: LSTMLM: " + err.Error())
	}
	m := &LSTMLM[T]{Config: c}
	m.Embed = NewEmbedding[T](c.Vocab, c.Embed)
	m.Embed.W.Name = "embed.weight"
	m.LSTM = NewLSTM[T](RecurrentSpec{In: c.Embed, Hidden: c.Hidden, Layers: c.Layers, Dropout: c.Dropout}, r)
	m.LSTM.Stateful = true
	m.params = append(m.params, m.Embed.W)
	for _, p := range m.LSTM.Params() {
		p.Name = "lstm." + p.Name
		m.params = append(m.params, p)
	}
	if !c.Tie {
		m.W = NewParam("affine.weight", tensor.New[T](c.Hidden, c.Vocab), true)
		m.W.Transposed = true
		m.params = append(m.params, m.W)
	}
	m.B = NewParam("affine.bias", tensor.New[T](c.Vocab), false)
	m.params = append(m.params, m.B)
	if c.Dropout > 0 {
		m.dropIn = NewDropout[T](c.Dropout, rng.NewNumpy(r.Uint32()))
		m.dropOut = NewDropout[T](c.Dropout, rng.NewNumpy(r.Uint32()))
	}
	m.Embed.Reset(r, 0.01)
	m.LSTM.Reset(Xavier, r)
	if m.W != nil {
		tensor.FillNormal(m.W.Value, r, 0, Xavier.Std(c.Hidden))
	}
	return m
}

// Params returns embed.weight, the LSTM's (lstm.weight_ih_l0, ...),
// affine.weight (unless tied) and affine.bias.
func (m *LSTMLM[T]) Params() []*Param[T] { return m.params }

// ResetState makes the next Forward start from a zero state.
func (m *LSTMLM[T]) ResetState() { m.LSTM.ResetState() }

// Forward reads b rows of t ids (row-major) and returns the logits of the
// next token at every position, [b, t, Vocab], owned by the model until
// its next Forward. train turns dropout on.
func (m *LSTMLM[T]) Forward(ids []int, b, t int, train bool) *tensor.Tensor[T] {
	if b < 1 || t < 1 || len(ids) != b*t {
		panic(fmt.Sprintf("nn: LSTMLM got %d ids for %d rows of %d", len(ids), b, t))
	}
	c := m.Config
	m.b, m.t = b, t
	x := m.Embed.ForwardIDs(ids, b, t)
	if m.dropIn != nil {
		x = m.dropIn.Forward(x, train)
	}
	h := m.LSTM.Forward(x, train)
	if m.dropOut != nil {
		h = m.dropOut.Forward(h, train)
	}
	m.h2 = lmMatrix(m.h2, h.Data, b*t, c.Hidden)
	if m.logits3 == nil || m.logits3.Dim(0) != b || m.logits3.Dim(1) != t {
		m.logits3 = tensor.New[T](b, t, c.Vocab)
	}
	m.logits = lmMatrix(m.logits, m.logits3.Data, b*t, c.Vocab)
	if c.Tie {
		lg := m.logits
		for r := 0; r < b*t; r++ {
			copy(lg.Data[r*c.Vocab:(r+1)*c.Vocab], m.B.Value.Data)
		}
		tensor.Gemm(false, true, 1, m.h2, m.Embed.W.Value, 1, lg)
	} else {
		tensor.AffineTo(m.logits, m.h2, m.W.Value, m.B.Value)
	}
	return m.logits3
}

// Backward takes the gradient of the loss with respect to the last
// Forward's logits [b, t, Vocab] and overwrites every parameter's Grad.
func (m *LSTMLM[T]) Backward(dlogits *tensor.Tensor[T]) {
	if !tensor.SameShape(dlogits, m.logits3) {
		panic(fmt.Sprintf("nn: LSTMLM backward got gradient of shape %v for logits %v", dlogits.Shape(), m.logits3.Shape()))
	}
	c, b, t := m.Config, m.b, m.t
	m.dl2 = lmMatrix(m.dl2, dlogits.Data, b*t, c.Vocab)
	tensor.SumRowsTo(m.B.Grad, m.dl2)
	if m.dh3 == nil || m.dh3.Dim(0) != b || m.dh3.Dim(1) != t {
		m.dh3 = tensor.New[T](b, t, c.Hidden)
	}
	m.dh = lmMatrix(m.dh, m.dh3.Data, b*t, c.Hidden)
	if c.Tie {
		tensor.MatMulTo(m.dh, m.dl2, m.Embed.W.Value, false, false)
	} else {
		tensor.MatMulTo(m.W.Grad, m.h2, m.dl2, true, false)
		tensor.MatMulTo(m.dh, m.dl2, m.W.Value, false, true)
	}
	dh := m.dh3
	if m.dropOut != nil {
		dh = m.dropOut.Backward(dh)
	}
	dx := m.LSTM.Backward(dh)
	if m.dropIn != nil {
		dx = m.dropIn.Backward(dx)
	}
	m.Embed.Backward(dx)
	if c.Tie {
		// The head's gradient, dlᵀ·h [Vocab, Hidden], added to the table's.
		tensor.Gemm(true, false, 1, m.dl2, m.h2, 1, m.Embed.W.Grad)
	}
}

// Dropouts returns the model's dropout layers (none without Dropout), so
// that a gradient check can freeze their masks.
func (m *LSTMLM[T]) Dropouts() []*Dropout[T] {
	var out []*Dropout[T]
	if m.dropIn != nil {
		out = append(out, m.dropIn)
	}
	out = append(out, m.LSTM.Dropouts()...)
	if m.dropOut != nil {
		out = append(out, m.dropOut)
	}
	return out
}

// lmMatrix returns data viewed as [rows, cols], reusing v when it already
// views this storage in that shape (a training step allocates no view).
func lmMatrix[T tensor.Float](v *tensor.Tensor[T], data []T, rows, cols int) *tensor.Tensor[T] {
	if v != nil && v.Rank() == 2 && v.Dim(0) == rows && v.Dim(1) == cols && len(data) > 0 && &v.Data[0] == &data[0] {
		return v
	}
	return tensor.FromSlice(data[:rows*cols], rows, cols)
}
