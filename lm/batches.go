package lm

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/text"
)

// Batches yields training batches: Next fills x and y, each of Batch()
// rows of Block() ids in row-major order, y being x one token later.
type Batches interface {
	Next(x, y []int)
	Batch() int
	Block() int
}

// Windows draws random windows of a token stream, as nanoGPT's get_batch:
// each row starts at a uniform position, drawn from R.
type Windows struct {
	W *text.Windows
	R *rng.MT
	B int
}

// NewWindows returns batches of b random windows of w, drawn from r.
func NewWindows(w *text.Windows, b int, r *rng.MT) *Windows {
	if b < 1 {
		panic(fmt.Sprintf("lm: NewWindows: batch %d", b))
	}
	return &Windows{W: w, R: r, B: b}
}

// Next fills x and y with B random windows.
func (w *Windows) Next(x, y []int) { w.W.Sample(w.R, x, y) }

// Batch returns B, Block the window's length.
func (w *Windows) Batch() int { return w.B }
func (w *Windows) Block() int { return w.W.Block() }

// Stream cuts a token stream into Batch rows read side by side, for
// truncated backpropagation through time with a Stateful model, as the
// second volume's RnnlmTrainer does: row i reads from offset i·(N/Batch)
// on, T tokens per batch, wrapping around at the end of the stream, so
// that each batch continues the previous one row by row and a model may
// carry its state across.
type Stream struct {
	tokens []int
	b, t   int
	pos    int // tokens read per row so far
}

// NewStream returns the stream of tokens in b rows read t at a time. It
// returns an error if there are fewer than b·(t+1) tokens.
func NewStream(tokens []int, b, t int) (*Stream, error) {
	if b < 1 || t < 1 {
		panic(fmt.Sprintf("lm: NewStream: batch %d, length %d", b, t))
	}
	if len(tokens) < b*(t+1) {
		return nil, fmt.Errorf("%d tokens are too few for %d rows of %d tokens and their targets (at least %d)", len(tokens), b, t, b*(t+1))
	}
	return &Stream{tokens: tokens, b: b, t: t}, nil
}

// Next fills x and y with the next T tokens of every row.
func (s *Stream) Next(x, y []int) {
	if len(x) != s.b*s.t || len(y) != len(x) {
		panic(fmt.Sprintf("lm: Stream.Next: buffers of %d and %d ids, want %d", len(x), len(y), s.b*s.t))
	}
	n := len(s.tokens) - 1 // the last token is only a target
	jump := n / s.b
	for i := range s.b {
		for j := range s.t {
			k := (i*jump + s.pos + j) % n
			x[i*s.t+j] = s.tokens[k]
			y[i*s.t+j] = s.tokens[k+1]
		}
	}
	s.pos += s.t
}

// Batch returns the number of rows, Block the tokens per row and batch.
func (s *Stream) Batch() int { return s.b }
func (s *Stream) Block() int { return s.t }

// Pos returns the tokens read per row so far; SetPos sets it, to resume.
func (s *Stream) Pos() int     { return s.pos }
func (s *Stream) SetPos(p int) { s.pos = p }

// PerEpoch returns the number of batches that read the stream once:
// (N−1)/(Batch·T).
func (s *Stream) PerEpoch() int { return (len(s.tokens) - 1) / (s.b * s.t) }
