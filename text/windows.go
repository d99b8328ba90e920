package text

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
)

// Split returns the first 90% of tokens for training and the rest for
// validation, cut where nanoGPT cuts: at int(0.9 * len(tokens)). Both are
// slices of tokens, not copies.
func Split(tokens []int) (train, val []int) {
	n := int(0.9 * float64(len(tokens)))
	return tokens[:n], tokens[n:]
}

// Windows are the examples a language model learns from: windows of Block
// tokens, x = tokens[i:i+Block], each with its targets, the same window one
// token later, y = tokens[i+1:i+1+Block].
type Windows struct {
	tokens []int
	block  int
}

// NewWindows returns the windows of block tokens in tokens. It returns an
// error if tokens is too short for one window with its targets (fewer than
// block+1 tokens), and panics if block < 1.
func NewWindows(tokens []int, block int) (*Windows, error) {
	if block < 1 {
		panic(fmt.Sprintf("text: window of %d tokens", block))
	}
	if len(tokens) < block+1 {
		return nil, fmt.Errorf("%d tokens are too few for one window of %d tokens and its targets (at least %d)", len(tokens), block, block+1)
	}
	return &Windows{tokens: tokens, block: block}, nil
}

// Block returns the window length.
func (w *Windows) Block() int { return w.block }

// Tokens returns the number of tokens the windows are drawn from.
func (w *Windows) Tokens() int { return len(w.tokens) }

// Sample fills x and y, each of batch×Block ids in row-major order, with
// batch = len(x)/Block windows drawn at random, as nanoGPT's get_batch
// draws them: each row starts at a uniform i in [0, Tokens()-Block), drawn
// with r.Below, one row after another. It panics unless len(x) == len(y)
// is a positive multiple of Block.
func (w *Windows) Sample(r *rng.MT, x, y []int) {
	w.checkBatch(x, y)
	n := len(w.tokens) - w.block
	for row := 0; row < len(x); row += w.block {
		i := r.Below(n)
		copy(x[row:row+w.block], w.tokens[i:i+w.block])
		copy(y[row:row+w.block], w.tokens[i+1:i+1+w.block])
	}
}

// Count returns the number of non-overlapping windows with their targets:
// (Tokens()-1)/Block. Every token but the first is a target of exactly one
// of them, except the remainder at the end.
func (w *Windows) Count() int { return (len(w.tokens) - 1) / w.block }

// Window fills x and y, each of Block ids, with the i-th non-overlapping
// window, starting at i×Block, for a full evaluation. It panics unless
// 0 <= i < Count() and both have Block elements.
func (w *Windows) Window(i int, x, y []int) {
	if i < 0 || i >= w.Count() {
		panic(fmt.Sprintf("text: window %d of %d", i, w.Count()))
	}
	if len(x) != w.block || len(y) != w.block {
		panic(fmt.Sprintf("text: window buffers of %d and %d ids, want %d", len(x), len(y), w.block))
	}
	copy(x, w.tokens[i*w.block:(i+1)*w.block])
	copy(y, w.tokens[i*w.block+1:(i+1)*w.block+1])
}

func (w *Windows) checkBatch(x, y []int) {
	if len(x) == 0 || len(x) != len(y) || len(x)%w.block != 0 {
		panic(fmt.Sprintf("text: batch buffers of %d and %d ids, want equal multiples of %d", len(x), len(y), w.block))
	}
}
