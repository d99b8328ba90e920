package seq2seq

import (
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// attention is the book's chapter 8 attention over the encoder's states
// (its TimeAttention: AttentionWeight then WeightSum), for every decoder
// step at once:
//
//	s = q·kᵀ          q [n, Td, H] the decoder's states, k [n, Te, H] the encoder's
//	a = softmax(s)    over the Te positions of each row, [n, Td, Te]
//	c = a·k           the context, [n, Td, H]
//
// Scores are not scaled and nothing is masked, as in the book.
type attention[T tensor.Float] struct {
	q, k       *tensor.Tensor[T]
	a, c       *tensor.Tensor[T]
	da, dq, dk *tensor.Tensor[T]
}

// forward returns the context c [n, Td, H]; q and k must stay unchanged
// until backward.
func (at *attention[T]) forward(q, k *tensor.Tensor[T]) *tensor.Tensor[T] {
	n, td, te, h := q.Dim(0), q.Dim(1), k.Dim(1), q.Dim(2)
	at.q, at.k = q, k
	at.a = reuse3(at.a, n, td, te)
	at.c = reuse3(at.c, n, td, h)
	tensor.BatchGemm(false, true, 1, q, k, 0, at.a)
	for r := 0; r < n*td; r++ {
		softmaxRow(at.a.Data[r*te : (r+1)*te])
	}
	return tensor.BatchGemm(false, false, 1, at.a, k, 0, at.c)
}

// weights returns the attention weights a [n, Td, Te] of the last forward.
func (at *attention[T]) weights() *tensor.Tensor[T] { return at.a }

// backward takes dc [n, Td, H] and returns dq and dk, the gradients with
// respect to the decoder's and the encoder's states.
func (at *attention[T]) backward(dc *tensor.Tensor[T]) (dq, dk *tensor.Tensor[T]) {
	q, k, a := at.q, at.k, at.a
	n, td, te, h := q.Dim(0), q.Dim(1), k.Dim(1), q.Dim(2)
	at.da = reuse3(at.da, n, td, te)
	at.dq = reuse3(at.dq, n, td, h)
	at.dk = reuse3(at.dk, n, te, h)
	tensor.BatchGemm(false, true, 1, dc, k, 0, at.da) // dL/da
	tensor.BatchGemm(true, false, 1, a, dc, 0, at.dk) // through c = a·k
	// Through the softmax: ds = a ⊙ (da - Σ da⊙a).
	for r := 0; r < n*td; r++ {
		ar, dr := a.Data[r*te:(r+1)*te], at.da.Data[r*te:(r+1)*te]
		var s T
		for j := range ar {
			s += ar[j] * dr[j]
		}
		for j := range ar {
			dr[j] = ar[j] * (dr[j] - s)
		}
	}
	tensor.BatchGemm(false, false, 1, at.da, k, 0, at.dq)
	tensor.BatchGemm(true, false, 1, at.da, q, 1, at.dk)
	return at.dq, at.dk
}

// softmaxRow replaces x by softmax(x), computed after subtracting the
// largest value.
func softmaxRow[T tensor.Float](x []T) {
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var s float64
	for j, v := range x {
		e := math.Exp(float64(v - m))
		x[j] = T(e)
		s += e
	}
	inv := T(1 / s)
	for j := range x {
		x[j] *= inv
	}
}
