package lm

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// SampleOptions say how Generate picks each token.
type SampleOptions struct {
	// Temperature divides the logits before the softmax: below 1 sharpens
	// the distribution, above 1 flattens it; 0 picks the most likely
	// token (greedy).
	Temperature float64
	// TopK, when positive, keeps the TopK most likely tokens (and any tied
	// with the last of them), as nanoGPT's sample.py.
	TopK int
	// Rand draws the tokens; it may be nil for greedy decoding.
	Rand *rng.MT
	// NoCache makes Generate run the whole window through Forward for
	// every token even when the model is a Decoder, to compare the two.
	NoCache bool
}

// Pick returns the token drawn from logits with o (see SampleOptions).
// scratch, if long enough, is used for the probabilities. It panics if
// Temperature is negative or NaN, or Rand is nil when Temperature > 0.
func Pick[T tensor.Float](logits []T, o SampleOptions, scratch []float64) int {
	if !(o.Temperature >= 0) {
		panic(fmt.Sprintf("lm: temperature %v, want >= 0", o.Temperature))
	}
	best := 0
	for j, v := range logits {
		if v > logits[best] {
			best = j
		}
	}
	if o.Temperature == 0 {
		return best
	}
	if o.Rand == nil {
		panic("lm: sampling at a positive temperature without a generator")
	}
	p := scratch
	if len(p) < len(logits) {
		p = make([]float64, len(logits))
	}
	p = p[:len(logits)]
	cut := math.Inf(-1)
	if o.TopK > 0 && o.TopK < len(logits) {
		for j, v := range logits {
			p[j] = float64(v)
		}
		slices.Sort(p)
		cut = p[len(p)-o.TopK]
	}
	m := float64(logits[best])
	var sum float64
	for j, v := range logits {
		if float64(v) < cut {
			p[j] = 0
			continue
		}
		p[j] = math.Exp((float64(v) - m) / o.Temperature)
		sum += p[j]
	}
	u := o.Rand.Float64() * sum
	last := best
	for j, pj := range p {
		if pj == 0 {
			continue
		}
		if u < pj {
			return j
		}
		u -= pj
		last = j
	}
	return last // u met rounding at the very end
}

// Generate continues prompt (at least one id) with n tokens sampled from m
// with o, calling emit with each as it is drawn (emit may be nil), and
// returns them. A Windowed model reads at most its last Block tokens; a
// Decoder reads each new token through its cache (unless o.NoCache) and,
// once the window is full, reads the last Block tokens again for every
// token, as Forward would: both ways give the same tokens. A Stateful
// model that is not a Decoder is reset, reads the prompt, then one token
// at a time. Generate stops when ctx is done, returning the tokens so far
// and ctx.Err().
func Generate[T tensor.Float](ctx context.Context, m Model[T], prompt []int, n int, o SampleOptions, emit func(id int) error) ([]int, error) {
	if len(prompt) == 0 {
		panic("lm: Generate needs a prompt of at least one token")
	}
	block := math.MaxInt
	if w, ok := m.(Windowed); ok {
		block = w.Block()
	}
	ctxIDs := slices.Clone(prompt)
	tail := func() []int { return ctxIDs[max(0, len(ctxIDs)-block):] }
	dec, cached := m.(Decoder[T])
	cached = cached && !o.NoCache
	st, stateful := m.(Stateful)
	stateful = stateful && !cached
	var logits []T
	last := func(l *tensor.Tensor[T]) []T {
		v := l.Dim(l.Rank() - 1)
		return l.Data[len(l.Data)-v:]
	}
	switch {
	case cached:
		logits = dec.Prime(tail())
	case stateful:
		st.ResetState()
		logits = last(m.Forward(prompt, 1, len(prompt), false))
	default:
		t := tail()
		logits = last(m.Forward(t, 1, len(t), false))
	}
	scratch := make([]float64, len(logits))
	var out []int
	for range n {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		id := Pick(logits, o, scratch)
		out = append(out, id)
		ctxIDs = append(ctxIDs, id)
		if emit != nil {
			if err := emit(id); err != nil {
				return out, err
			}
		}
		if len(out) == n {
			break
		}
		switch {
		case cached && len(ctxIDs) <= block:
			logits = dec.Next(id)
		case cached:
			logits = dec.Prime(tail())
		case stateful:
			logits = last(m.Forward([]int{id}, 1, 1, false))
		default:
			t := tail()
			logits = last(m.Forward(t, 1, len(t), false))
		}
	}
	return out, nil
}
