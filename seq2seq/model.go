package seq2seq

import (
	"fmt"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Config is the shape of a model: Vocab ids (questions and answers share
// them), Embed features per id, Hidden units in the encoder's and the
// decoder's LSTM, and the book's improvements (at most one of Peeky and
// Attention).
type Config struct {
	Vocab     int  `json:"vocab"`
	Embed     int  `json:"embed"`
	Hidden    int  `json:"hidden"`
	Reverse   bool `json:"reverse,omitempty"`
	Peeky     bool `json:"peeky,omitempty"`
	Attention bool `json:"attention,omitempty"`
}

// MaxSize caps Vocab, Embed and Hidden.
const MaxSize = 1 << 16

// Validate reports a config that cannot make a model.
func (c Config) Validate() error {
	switch {
	case c.Vocab < 1 || c.Embed < 1 || c.Hidden < 1:
		return fmt.Errorf("vocab %d, embed %d and hidden %d must be positive", c.Vocab, c.Embed, c.Hidden)
	case c.Vocab > MaxSize || c.Embed > MaxSize || c.Hidden > MaxSize:
		return fmt.Errorf("vocab %d, embed %d and hidden %d: at most %d each", c.Vocab, c.Embed, c.Hidden, MaxSize)
	case c.Peeky && c.Attention:
		return fmt.Errorf("peeky and attention together: choose one (the book does not join them)")
	}
	return nil
}

// Model is an encoder-decoder of two LSTMs (see the package doc).
//
// For questions x [n, Tq] and answers y [n, Ta] (ids; y[:, 0] the start
// symbol), the encoder reads x (reversed with Reverse) and its last hidden
// state h [n, H] starts the decoder's (its memory c starts at zero). The
// decoder reads y[:, :Ta-1], each step's input being its id's embedding
// (joined after h with Peeky: [h, e]); the output layer reads the
// decoder's state, joined after h with Peeky, after the context vector with
// Attention ([h or c, state], 2H features), and scores the Vocab ids of
// the next position.
type Model[T tensor.Float] struct {
	Config Config
	// EncLSTM and DecLSTM are the two LSTMs; W [in, Vocab] and B [Vocab]
	// the output layer (affine.weight, stored transposed, and
	// affine.bias).
	EncLSTM, DecLSTM *nn.LSTM[T]
	W, B             *nn.Param[T]

	encEmbed, decEmbed *embedding[T]
	params             []*nn.Param[T]
	att                attention[T]
	ce                 loss.SoftmaxCrossEntropy[T]

	n, tq, td int
	ids       []int             // the decoder's input ids
	hs        *tensor.Tensor[T] // the encoder's states [n, Tq, H] (the LSTM's)
	h0        *tensor.Tensor[T] // [1, n, H], the encoder's last state
	din       *tensor.Tensor[T] // Peeky: the decoder's input [n, Td, H+D]
	ain, ainV *tensor.Tensor[T] // the output layer's input [n·Td, in] (ainV: a view of the decoder's states)
	lastAin   *tensor.Tensor[T]
	scores    *tensor.Tensor[T] // [n·Td, V]
	targets   *tensor.Tensor[T] // [n·Td] ids as T
	dain      *tensor.Tensor[T]
	ddout     *tensor.Tensor[T] // [n, Td, H]
	dctx      *tensor.Tensor[T] // Attention: [n, Td, H]
	dh        *tensor.Tensor[T] // [n, H]
	dde       *tensor.Tensor[T] // Peeky: [n, Td, D]
	dhs       *tensor.Tensor[T] // [n, Tq, H]
	weights   *tensor.Tensor[T] // Attention: the last Generate's weights [n, steps, Tq]
}

// New returns a model of cfg with the book's initialization drawn from r:
// embeddings N(0, 0.01²), each LSTM's W_ih N(0, 1/in) and W_hh N(0, 1/H),
// the output layer's weight N(0, 1/in), biases zero.
func New[T tensor.Float](cfg Config, r *rng.MT) (*Model[T], error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := newModel[T](cfg)
	for _, e := range []*embedding[T]{m.encEmbed, m.decEmbed} {
		tensor.FillNormal(e.W.Value, r, 0, 0.01)
	}
	m.EncLSTM.Reset(nn.Xavier, r)
	m.DecLSTM.Reset(nn.Xavier, r)
	tensor.FillNormal(m.W.Value, r, 0, nn.Xavier.Std(m.W.Value.Dim(0)))
	return m, nil
}

// newModel returns a model of a valid cfg with zero parameters.
func newModel[T tensor.Float](cfg Config) *Model[T] {
	V, D, H := cfg.Vocab, cfg.Embed, cfg.Hidden
	m := &Model[T]{Config: cfg}
	m.encEmbed = newEmbedding[T]("enc_embed.weight", V, D)
	m.decEmbed = newEmbedding[T]("dec_embed.weight", V, D)
	m.EncLSTM = nn.NewLSTM[T](nn.RecurrentSpec{In: D, Hidden: H}, nil)
	din := D
	if cfg.Peeky {
		din = H + D
	}
	m.DecLSTM = nn.NewLSTM[T](nn.RecurrentSpec{In: din, Hidden: H}, nil)
	in := H
	if cfg.Peeky || cfg.Attention {
		in = 2 * H
	}
	m.W = nn.NewParam("affine.weight", tensor.New[T](in, V), true)
	m.W.Transposed = true
	m.B = nn.NewParam("affine.bias", tensor.New[T](V), false)
	m.params = append(m.params, m.encEmbed.W)
	for _, p := range m.EncLSTM.Params() {
		p.Name = "enc_lstm." + p.Name
		m.params = append(m.params, p)
	}
	m.params = append(m.params, m.decEmbed.W)
	for _, p := range m.DecLSTM.Params() {
		p.Name = "dec_lstm." + p.Name
		m.params = append(m.params, p)
	}
	m.params = append(m.params, m.W, m.B)
	return m
}

// Params returns the parameters in the anchors' state_dict order:
// enc_embed.weight, enc_lstm.*, dec_embed.weight, dec_lstm.*,
// affine.weight, affine.bias.
func (m *Model[T]) Params() []*nn.Param[T] { return m.params }

// Loss returns the mean cross-entropy of the model's predictions of
// y[:, 1:] from x and y[:, :Ta-1] (teacher forcing), for n questions x
// (n·Tq ids, question after question) and their answers y (n·Ta ids, Ta at
// least 2). Backward then computes the gradients. It panics on ids outside
// the vocabulary or lengths that n does not divide.
func (m *Model[T]) Loss(x, y []int, n int) float64 {
	if n < 1 || len(x)%n != 0 || len(y)%n != 0 || len(x) == 0 || len(y)/n < 2 {
		panic(fmt.Sprintf("seq2seq: %d question and %d answer ids for %d examples (answers need at least 2)", len(x), len(y), n))
	}
	tq, ta := len(x)/n, len(y)/n
	td := ta - 1
	m.encode(x, n, tq, true)
	m.DecLSTM.SetState(m.h0, nil)
	m.ids = m.ids[:0]
	m.targets = reuse1(m.targets, n*td)
	for b := 0; b < n; b++ {
		m.ids = append(m.ids, y[b*ta:b*ta+td]...)
		for t := 0; t < td; t++ {
			m.targets.Data[b*td+t] = T(y[b*ta+t+1])
		}
	}
	scores := m.decode(m.decEmbed.forward(m.ids, n, td, false), n, td, true)
	return m.ce.Forward(scores, m.targets)
}

// encode runs the encoder over x and keeps its last state in h0.
func (m *Model[T]) encode(x []int, n, tq int, train bool) *tensor.Tensor[T] {
	H := m.Config.Hidden
	m.n, m.tq = n, tq
	ex := m.encEmbed.forward(x, n, tq, m.Config.Reverse)
	m.EncLSTM.ResetState()
	hs := m.EncLSTM.Forward(ex, train)
	m.hs = hs
	m.h0 = reuse3(m.h0, 1, n, H)
	for b := 0; b < n; b++ {
		copy(m.h0.Data[b*H:(b+1)*H], hs.Data[(b*tq+tq-1)*H:(b*tq+tq)*H])
	}
	return hs
}

// decode runs the decoder from its current state over the embedded ids de
// [n, td, D] and returns the scores [n·td, V].
func (m *Model[T]) decode(de *tensor.Tensor[T], n, td int, train bool) *tensor.Tensor[T] {
	H, D, V := m.Config.Hidden, m.Config.Embed, m.Config.Vocab
	m.td = td
	din := de
	if m.Config.Peeky {
		m.din = reuse3(m.din, n, td, H+D)
		for b := 0; b < n; b++ {
			h := m.h0.Data[b*H : (b+1)*H]
			for t := 0; t < td; t++ {
				r := m.din.Data[(b*td+t)*(H+D) : (b*td+t+1)*(H+D)]
				copy(r[:H], h)
				copy(r[H:], de.Data[(b*td+t)*D:(b*td+t+1)*D])
			}
		}
		din = m.din
	}
	dout := m.DecLSTM.Forward(din, train)
	var ain *tensor.Tensor[T]
	switch {
	case m.Config.Peeky || m.Config.Attention:
		var left []T
		if m.Config.Attention {
			left = m.att.forward(dout, m.hs).Data
		}
		m.ain = reuse2(m.ain, n*td, 2*H)
		for r := 0; r < n*td; r++ {
			row := m.ain.Data[r*2*H : (r+1)*2*H]
			if m.Config.Peeky {
				b := r / td
				copy(row[:H], m.h0.Data[b*H:(b+1)*H])
			} else {
				copy(row[:H], left[r*H:(r+1)*H])
			}
			copy(row[H:], dout.Data[r*H:(r+1)*H])
		}
		ain = m.ain
	default:
		m.ainV = as2(m.ainV, dout.Data, n*td, H)
		ain = m.ainV
	}
	m.lastAin = ain
	m.scores = reuse2(m.scores, n*td, V)
	return tensor.AffineTo(m.scores, ain, m.W.Value, m.B.Value)
}

// Backward computes the gradient of the last Loss with respect to every
// parameter, overwriting their Grad.
func (m *Model[T]) Backward() {
	n, tq, td := m.n, m.tq, m.td
	H, D := m.Config.Hidden, m.Config.Embed
	ds := m.ce.Backward()
	ain := m.lastAin
	in := ain.Dim(1)
	tensor.MatMulTo(m.W.Grad, ain, ds, true, false)
	tensor.SumRowsTo(m.B.Grad, ds)
	m.dain = reuse2(m.dain, n*td, in)
	tensor.MatMulTo(m.dain, ds, m.W.Value, false, true)

	m.dh = reuse2(m.dh, n, H)
	m.dh.Zero()
	m.ddout = reuse3(m.ddout, n, td, H)
	m.dhs = reuse3(m.dhs, n, tq, H)
	m.dhs.Zero()
	if in == H {
		copy(m.ddout.Data, m.dain.Data)
	} else {
		if m.Config.Attention {
			m.dctx = reuse3(m.dctx, n, td, H)
		}
		for r := 0; r < n*td; r++ {
			row := m.dain.Data[r*2*H : (r+1)*2*H]
			copy(m.ddout.Data[r*H:(r+1)*H], row[H:])
			if m.Config.Peeky {
				addTo(m.dh.Data[(r/td)*H:(r/td+1)*H], row[:H])
			} else {
				copy(m.dctx.Data[r*H:(r+1)*H], row[:H])
			}
		}
		if m.Config.Attention {
			dq, dk := m.att.backward(m.dctx)
			addTo(m.ddout.Data, dq.Data)
			addTo(m.dhs.Data, dk.Data)
		}
	}
	ddin := m.DecLSTM.Backward(m.ddout)
	dh0, _ := m.DecLSTM.StateGrad()
	addTo(m.dh.Data, dh0.Data)
	dde := ddin
	if m.Config.Peeky {
		m.dde = reuse3(m.dde, n, td, D)
		for r := 0; r < n*td; r++ {
			row := ddin.Data[r*(H+D) : (r+1)*(H+D)]
			addTo(m.dh.Data[(r/td)*H:(r/td+1)*H], row[:H])
			copy(m.dde.Data[r*D:(r+1)*D], row[H:])
		}
		dde = m.dde
	}
	m.decEmbed.backward(dde)
	for b := 0; b < n; b++ {
		addTo(m.dhs.Data[(b*tq+tq-1)*H:(b*tq+tq)*H], m.dh.Data[b*H:(b+1)*H])
	}
	m.encEmbed.backward(m.EncLSTM.Backward(m.dhs))
}

// Generate decodes greedily: for n questions x (n·Tq ids) and n start ids,
// it feeds each start id, then each step's most likely id, for steps
// steps, and returns the n·steps ids chosen, answer after answer.
func (m *Model[T]) Generate(x []int, start []int, steps int) []int {
	n := len(start)
	if n < 1 || len(x)%n != 0 || len(x) == 0 || steps < 1 {
		panic(fmt.Sprintf("seq2seq: Generate of %d steps from %d question ids and %d start ids", steps, len(x), n))
	}
	tq, V := len(x)/n, m.Config.Vocab
	m.encode(x, n, tq, false)
	m.DecLSTM.Stateful = true
	m.DecLSTM.SetState(m.h0, nil)
	defer func() {
		m.DecLSTM.Stateful = false
		m.DecLSTM.ResetState()
	}()
	if m.Config.Attention {
		m.weights = reuse3(m.weights, n, steps, tq)
	}
	cur := append([]int(nil), start...)
	out := make([]int, n*steps)
	for s := 0; s < steps; s++ {
		scores := m.decode(m.decEmbed.forward(cur, n, 1, false), n, 1, false)
		for b := 0; b < n; b++ {
			row := scores.Data[b*V : (b+1)*V]
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			cur[b] = best
			out[b*steps+s] = best
		}
		if m.Config.Attention {
			a := m.att.weights()
			for b := 0; b < n; b++ {
				dst := m.weights.Data[(b*steps+s)*tq : (b*steps+s+1)*tq]
				src := a.Data[b*tq : (b+1)*tq]
				for j := range dst {
					k := j
					if m.Config.Reverse {
						k = tq - 1 - j
					}
					dst[j] = src[k]
				}
			}
		}
	}
	return out
}

// AttentionWeights returns the attention weights of the last Generate of
// a model with Attention, [n, steps, Tq]: row (b, s) is how much step s
// of answer b looked at each position of question b, in the question's
// own order (even with Reverse). It returns nil without Attention.
func (m *Model[T]) AttentionWeights() *tensor.Tensor[T] {
	if !m.Config.Attention {
		return nil
	}
	return m.weights
}

func addTo[T tensor.Float](dst, src []T) {
	for i, v := range src {
		dst[i] += v
	}
}

func reuse1[T tensor.Float](t *tensor.Tensor[T], n int) *tensor.Tensor[T] {
	if t != nil && t.Rank() == 1 && t.Len() == n {
		return t
	}
	return tensor.Reuse(t, n)
}
