package rnnlm

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Model is what the loop needs of a language model: nn.LSTMLM's methods
// (also package lm's Model and Stateful).
type Model[T tensor.Float] interface {
	Forward(ids []int, b, t int, train bool) *tensor.Tensor[T]
	Backward(dlogits *tensor.Tensor[T])
	Params() []*nn.Param[T]
	ResetState()
}

// Stream reads a corpus as the book's RnnlmTrainer does: inputs xs =
// corpus[:-1], targets corpus[1:]; row i of every batch starts at offset
// i·⌊len(xs)/Batch⌋ plus the tokens read so far, T at a time, wrapping
// around, and the position carries across epochs.
type Stream struct {
	corpus []int
	b, t   int
	Pos    int // tokens read per row so far
}

// NewStream returns the stream of corpus in b rows read t at a time. It
// returns an error if the corpus is shorter than b·t+1 tokens.
func NewStream(corpus []int, b, t int) (*Stream, error) {
	if b < 1 || t < 1 {
		panic(fmt.Sprintf("rnnlm: NewStream: batch %d, length %d", b, t))
	}
	if len(corpus) < b*t+1 {
		return nil, fmt.Errorf("%d tokens are too few for a batch of %d rows of %d (at least %d)", len(corpus), b, t, b*t+1)
	}
	return &Stream{corpus: corpus, b: b, t: t}, nil
}

// PerEpoch returns the steps of an epoch, ⌊len(xs)/(Batch·T)⌋.
func (s *Stream) PerEpoch() int { return (len(s.corpus) - 1) / (s.b * s.t) }

// Next fills x and y ([Batch·T] each) with the next batch.
func (s *Stream) Next(x, y []int) {
	n := len(s.corpus) - 1
	jump := n / s.b
	for i := range s.b {
		for j := range s.t {
			k := (i*jump + s.Pos + j) % n
			x[i*s.t+j], y[i*s.t+j] = s.corpus[k], s.corpus[k+1]
		}
	}
	s.Pos += s.t
}

// Config is the training setting; the book's simple LSTM model trains
// with batch 20, T 35, SGD at 20 and the gradients' norm clipped to 0.25.
type Config struct {
	Batch int     `json:"batch"`
	BPTT  int     `json:"bptt"`
	LR    float64 `json:"lr"`
	Clip  float64 `json:"grad_clip"`
}

// Epoch is what one epoch did.
type Epoch struct {
	Epoch int     `json:"epoch"`
	LR    float64 `json:"lr"`
	// Train is the exponential of the mean loss of the epoch's steps;
	// Val the validation perplexity after it (0 without validation).
	Train float64 `json:"train_perplexity"`
	Val   float64 `json:"val_perplexity,omitempty"`
	// Seconds is the training time; TokensPerSecond the tokens read per
	// second of it.
	Seconds         float64 `json:"train_seconds"`
	TokensPerSecond float64 `json:"tokens_per_second"`
}

// Trainer trains a model on a corpus with SGD (see the package doc).
type Trainer[T tensor.Float] struct {
	Model  Model[T]
	Config Config
	Stream *Stream
	Opt    *optim.SGD[T]

	loss  Loss[T]
	x, y  []int
	epoch int
}

// NewTrainer returns a trainer of m on corpus.
func NewTrainer[T tensor.Float](m Model[T], corpus []int, c Config) (*Trainer[T], error) {
	if c.Batch < 1 || c.BPTT < 1 || !(c.LR > 0) || !(c.Clip >= 0) {
		return nil, fmt.Errorf("batch %d, bptt %d, lr %v and grad clip %v: want positive (clip 0 for none)", c.Batch, c.BPTT, c.LR, c.Clip)
	}
	s, err := NewStream(corpus, c.Batch, c.BPTT)
	if err != nil {
		return nil, err
	}
	return &Trainer[T]{Model: m, Config: c, Stream: s, Opt: optim.NewSGD[T](c.LR),
		x: make([]int, c.Batch*c.BPTT), y: make([]int, c.Batch*c.BPTT)}, nil
}

// Epochs returns the epochs completed.
func (tr *Trainer[T]) Epochs() int { return tr.epoch }

// Epoch trains one epoch. report, if not nil, is called after every step
// with its number and loss. If ctx ends, Epoch stops after the step under
// way and returns ctx's error. A loss that is not finite is an error.
func (tr *Trainer[T]) Epoch(ctx context.Context, report func(step, steps int, loss float64)) (Epoch, error) {
	steps := tr.Stream.PerEpoch()
	start := time.Now()
	var sum float64
	for it := range steps {
		if err := ctx.Err(); err != nil {
			return Epoch{}, err
		}
		tr.Stream.Next(tr.x, tr.y)
		logits := tr.Model.Forward(tr.x, tr.Config.Batch, tr.Config.BPTT, true)
		l := tr.loss.Forward(logits, tr.y)
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return Epoch{}, fmt.Errorf("epoch %d, step %d: the loss is %v", tr.epoch+1, it+1, l)
		}
		sum += l
		tr.Model.Backward(tr.loss.Grad())
		if tr.Config.Clip > 0 {
			ClipGradNorm(tr.Model.Params(), tr.Config.Clip)
		}
		tr.Opt.Step(tr.Model.Params())
		if report != nil {
			report(it+1, steps, l)
		}
	}
	secs := time.Since(start).Seconds()
	tr.epoch++
	return Epoch{Epoch: tr.epoch, LR: tr.Opt.LR(), Train: math.Exp(sum / float64(steps)), Seconds: secs,
		TokensPerSecond: float64(steps*tr.Config.Batch*tr.Config.BPTT) / secs}, nil
}

// Perplexity returns the exponential of m's mean loss on corpus, as the
// book's eval_perplexity computes it: batch rows of t tokens, row i from
// offset i·⌊(N−1)/batch⌋, ⌊(N−1)/(batch·t)⌋ steps, the state reset once
// before and carried. It resets the state after.
func Perplexity[T tensor.Float](ctx context.Context, m Model[T], corpus []int, batch, t int) (float64, error) {
	n := len(corpus)
	iters := (n - 1) / (batch * t)
	if iters < 1 {
		return 0, fmt.Errorf("%d tokens are too few to measure perplexity in rows of %d by %d", n, batch, t)
	}
	jump := (n - 1) / batch
	x, y := make([]int, batch*t), make([]int, batch*t)
	var l Loss[T]
	var total float64
	m.ResetState()
	defer m.ResetState()
	for it := range iters {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		for i := range batch {
			for j := range t {
				p := i*jump + it*t + j
				x[i*t+j], y[i*t+j] = corpus[p%n], corpus[(p+1)%n]
			}
		}
		total += l.Forward(m.Forward(x, batch, t, false), y)
	}
	return math.Exp(total / float64(iters)), nil
}

// ClipGradNorm scales every gradient by max/(norm+1e-6) when their global
// L2 norm exceeds max (PyTorch's clip_grad_norm_, the book's clip_grads)
// and returns the norm before clipping.
func ClipGradNorm[T tensor.Float](params []*nn.Param[T], max float64) float64 {
	var s float64
	for _, p := range params {
		for _, g := range p.Grad.Data {
			s += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(s)
	if norm > max {
		k := T(max / (norm + 1e-6))
		for _, p := range params {
			for i := range p.Grad.Data {
				p.Grad.Data[i] *= k
			}
		}
	}
	return norm
}

// Generate samples n tokens after start, as the book's chapter 7 does:
// the state reset, start read, then each token drawn from the softmax of
// the logits (divided by temperature, 1 for the model's own distribution)
// and fed back; ids in skip are never drawn. It resets the state after.
// Each drawn id is passed to emit as soon as it is drawn (emit may be nil);
// an error from emit, or ctx ending, stops the sampling and is returned
// with the ids drawn so far.
func Generate[T tensor.Float](ctx context.Context, m Model[T], start []int, n int, temperature float64, skip []int, r *rng.MT, emit func(id int) error) ([]int, error) {
	if len(start) == 0 || !(temperature > 0) {
		panic(fmt.Sprintf("rnnlm: Generate from %d ids at temperature %v", len(start), temperature))
	}
	m.ResetState()
	defer m.ResetState()
	banned := map[int]bool{}
	for _, s := range skip {
		banned[s] = true
	}
	var logits *tensor.Tensor[T]
	for _, id := range start {
		logits = m.Forward([]int{id}, 1, 1, false)
	}
	out := make([]int, 0, n)
	p := make([]float64, logits.Len())
	for range n {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		mx := math.Inf(-1)
		for j, v := range logits.Data {
			if !banned[j] {
				mx = max(mx, float64(v))
			}
		}
		var s float64
		for j, v := range logits.Data {
			p[j] = 0
			if !banned[j] {
				p[j] = math.Exp((float64(v) - mx) / temperature)
			}
			s += p[j]
		}
		u := r.Float64() * s
		id := -1
		for j, q := range p {
			if q > 0 && (u < q || id < 0) {
				id = j // the last allowed id if rounding leaves u over
				if u < q {
					break
				}
			}
			u -= q
		}
		out = append(out, id)
		if emit != nil {
			if err := emit(id); err != nil {
				return out, err
			}
		}
		logits = m.Forward([]int{id}, 1, 1, false)
	}
	return out, nil
}
