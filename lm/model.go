package lm

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Model is a language model: logits for the next token at every position.
//
// Forward takes b rows of t token ids (row-major in ids) and returns the
// logits [b, t, vocab], owned by the model and valid until its next
// Forward; train selects training behaviour (dropout). Backward takes the
// gradient of the loss with respect to those logits and overwrites the
// gradient of every parameter. Params returns the parameters, always the
// same ones in the same order.
type Model[T tensor.Float] interface {
	Forward(ids []int, b, t int, train bool) *tensor.Tensor[T]
	Backward(dlogits *tensor.Tensor[T])
	Params() []*nn.Param[T]
}

// Windowed is implemented by models that see at most Block tokens at once
// (a GPT's block_size); Generate crops its context to them.
type Windowed interface {
	Block() int
}

// Stateful is implemented by models that carry a state from one Forward to
// the next (a recurrent model trained by truncated backpropagation through
// time on a Stream): ResetState starts the next Forward from the initial
// state. Trainer resets it before each evaluation and restores nothing
// afterwards; FullLoss and Generate reset it before they start.
type Stateful interface {
	ResetState()
}

// Decoder is implemented by models that generate incrementally: Prime
// forgets what came before, reads ids (at most Block of them for a
// Windowed model) and returns the logits for the token after them; Next
// reads one more id and returns the logits for the token after it. The
// logits belong to the model and stay valid until its next call. A GPT
// keeps the keys and values of the tokens it has read (a KV cache), so
// that Next costs one row of attention.
type Decoder[T tensor.Float] interface {
	Prime(ids []int) []T
	Next(id int) []T
}

// GPT adapts an nn.GPT to Model, Windowed and Decoder.
type GPT[T tensor.Float] struct {
	*nn.GPT[T]
	cache *nn.KVCache[T]
}

// NewGPT returns the GPT g as a Model.
func NewGPT[T tensor.Float](g *nn.GPT[T]) *GPT[T] { return &GPT[T]{GPT: g} }

// Forward returns g's logits for ids.
func (g *GPT[T]) Forward(ids []int, b, t int, train bool) *tensor.Tensor[T] {
	return g.GPT.ForwardIDs(ids, b, t, train)
}

// Backward stores the gradients of g's parameters.
func (g *GPT[T]) Backward(dlogits *tensor.Tensor[T]) { g.GPT.Backward(dlogits) }

// Block returns g's block_size.
func (g *GPT[T]) Block() int { return g.Config().Block }

// Prime clears the cache and reads ids through it.
func (g *GPT[T]) Prime(ids []int) []T {
	if g.cache == nil {
		g.cache = nn.NewKVCache(g.GPT)
	}
	return g.cache.Prime(ids)
}

// Next reads id through the cache.
func (g *GPT[T]) Next(id int) []T {
	if g.cache == nil {
		panic("lm: GPT.Next before Prime")
	}
	return g.cache.Next(id)
}

var (
	_ Model[float32]   = (*GPT[float32])(nil)
	_ Windowed         = (*GPT[float32])(nil)
	_ Decoder[float32] = (*GPT[float32])(nil)
)
