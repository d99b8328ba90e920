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

	// One Forward's work, cut into chunks of rows for tensor.Parallel:
	// each row's loss goes to rowLoss, summed in order afterwards.
	logits, d []T
	targets   []int
	rowLoss   []float64
	v, chunks int
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
	for _, y := range targets {
		if y < 0 || y >= v {
			panic(fmt.Sprintf("lm: Loss: target %d out of [0, %d)", y, v))
		}
	}
	if l.dx == nil || !tensor.SameShape(l.dx, logits) {
		l.dx = tensor.Reuse(l.dx, s...)
	}
	if cap(l.rowLoss) < n {
		l.rowLoss = make([]float64, n)
	}
	l.logits, l.d, l.targets, l.rowLoss, l.v = logits.Data, l.dx.Data, targets, l.rowLoss[:n], v
	l.chunks = max(1, min(n, logits.Len()/lossChunk, 8))
	tensor.Parallel(l, l.chunks)
	total := 0.0
	for _, r := range l.rowLoss {
		total += r
	}
	l.logits, l.d, l.targets = nil, nil, nil // hold no caller's slices
	return total * (1 / float64(n))
}

// lossChunk is about the number of logits a chunk of Forward's rows holds.
const lossChunk = 8192

// RunChunk computes the rows of chunk i: each row's loss
// m + log Σ exp(x − m) − x[y] and its gradient (softmax − one-hot)/n.
func (l *Loss[T]) RunChunk(i int) {
	n, v := len(l.targets), l.v
	inv := 1 / float64(n)
	for r := i * n / l.chunks; r < (i+1)*n/l.chunks; r++ {
		y := l.targets[r]
		x, d := l.logits[r*v:(r+1)*v], l.d[r*v:(r+1)*v]
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
		l.rowLoss[r] = m + math.Log(sum) - float64(x[y])
		scale := inv / sum
		for j := range d {
			d[j] = T(float64(d[j]) * scale)
		}
		d[y] -= T(inv)
	}
}

// Grad returns dL/dlogits of the last Forward, of the logits' shape.
func (l *Loss[T]) Grad() *tensor.Tensor[T] { return l.dx }
