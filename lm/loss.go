package lm

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// Loss is the mean cross-entropy of logits against the next tokens, as
// PyTorch's F.cross_entropy computes it (no smoothing constant): for N
// positions with logits x_i [vocab] and targets y_i,
//
//	L = (1/N)·Σ_i (log Σ_j exp x_ij − x_i,y_i),   dL/dx_ij = (softmax(x_i)_j − [j = y_i]) / N
//
// Sums are taken in float64. It reuses its gradient buffer from call to
// call.
type Loss[T tensor.Float] struct {
	dx *tensor.Tensor[T]
}

// Forward returns the loss of logits [..., vocab] against targets (one id
// per row of logits) and stores its gradient for Grad. It panics if the
// sizes disagree or a target is out of range.
func (l *Loss[T]) Forward(logits *tensor.Tensor[T], targets []int) float64 {
	s := logits.Shape()
	v := s[len(s)-1]
	n := logits.Len() / v
	if n != len(targets) {
		panic(fmt.Sprintf("lm: Loss: logits %v for %d targets", s, len(targets)))
	}
	if l.dx == nil || !tensor.SameShape(l.dx, logits) {
		l.dx = tensor.Reuse(l.dx, s...)
	}
	total := 0.0
	inv := 1 / float64(n)
	for i, y := range targets {
		if y < 0 || y >= v {
			panic(fmt.Sprintf("lm: Loss: target %d out of [0, %d)", y, v))
		}
		x, d := logits.Data[i*v:(i+1)*v], l.dx.Data[i*v:(i+1)*v]
		m := float64(x[0])
		for _, e := range x[1:] {
			m = max(m, float64(e))
		}
		var sum float64
		for j, e := range x {
			p := math.Exp(float64(e) - m)
			d[j] = T(p)
			sum += p
		}
		total += m + math.Log(sum) - float64(x[y])
		scale := inv / sum
		for j := range d {
			d[j] = T(float64(d[j]) * scale)
		}
		d[y] -= T(inv)
	}
	return total * inv
}

// Grad returns dL/dlogits of the last Forward, of the logits' shape.
func (l *Loss[T]) Grad() *tensor.Tensor[T] { return l.dx }
