package seq2seq

import (
	"fmt"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// embedding is a table of vectors, one row per id, looked up for a batch of
// sequences (the book's TimeEmbedding). Its gradient is a scatter-add: row
// w of the gradient is the sum of the output gradients at the positions
// that read w.
type embedding[T tensor.Float] struct {
	W   *nn.Param[T] // [V, D]
	ids []int        // the last Forward's ids, batch-major
	out *tensor.Tensor[T]
}

func newEmbedding[T tensor.Float](name string, v, d int) *embedding[T] {
	return &embedding[T]{W: nn.NewParam(name, tensor.New[T](v, d), true)}
}

// forward returns out [n, steps, D] with out[b, t] = W[ids[b·steps+t]],
// or, with reverse, W[ids[b·steps+steps-1-t]]. It keeps ids (which it
// copies) for backward. It panics on an id outside the table.
func (e *embedding[T]) forward(ids []int, n, steps int, reverse bool) *tensor.Tensor[T] {
	if len(ids) != n*steps {
		panic(fmt.Sprintf("seq2seq: %d ids for %d sequences of %d", len(ids), n, steps))
	}
	v, d := e.W.Value.Dim(0), e.W.Value.Dim(1)
	e.ids = e.ids[:0]
	for b := 0; b < n; b++ {
		for t := 0; t < steps; t++ {
			s := t
			if reverse {
				s = steps - 1 - t
			}
			e.ids = append(e.ids, ids[b*steps+s])
		}
	}
	e.out = reuse3(e.out, n, steps, d)
	for i, id := range e.ids {
		if id < 0 || id >= v {
			panic(fmt.Sprintf("seq2seq: id %d outside a vocabulary of %d", id, v))
		}
		copy(e.out.Data[i*d:(i+1)*d], e.W.Value.Data[id*d:(id+1)*d])
	}
	return e.out
}

// backward sets W's gradient from dy [n, steps, D], the gradient with
// respect to the last forward's output.
func (e *embedding[T]) backward(dy *tensor.Tensor[T]) {
	d := e.W.Value.Dim(1)
	g := e.W.Grad.Data
	clear(g)
	for i, id := range e.ids {
		row, src := g[id*d:(id+1)*d], dy.Data[i*d:(i+1)*d]
		for j, x := range src {
			row[j] += x
		}
	}
}

// reuse3 returns t with shape [a, b, c], reusing its storage.
func reuse3[T tensor.Float](t *tensor.Tensor[T], a, b, c int) *tensor.Tensor[T] {
	if t != nil && t.Rank() == 3 && t.Dim(0) == a && t.Dim(1) == b && t.Dim(2) == c {
		return t
	}
	return tensor.Reuse(t, a, b, c)
}

// reuse2 returns t with shape [a, b], reusing its storage.
func reuse2[T tensor.Float](t *tensor.Tensor[T], a, b int) *tensor.Tensor[T] {
	if t != nil && t.Rank() == 2 && t.Dim(0) == a && t.Dim(1) == b {
		return t
	}
	return tensor.Reuse(t, a, b)
}

// as2 returns data viewed as [a, b], reusing v when it already views
// this storage in that shape.
func as2[T tensor.Float](v *tensor.Tensor[T], data []T, a, b int) *tensor.Tensor[T] {
	if v != nil && v.Rank() == 2 && v.Dim(0) == a && v.Dim(1) == b && len(data) > 0 && &v.Data[0] == &data[0] {
		return v
	}
	return tensor.FromSlice(data[:a*b], a, b)
}
