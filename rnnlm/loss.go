package rnnlm

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Loss is the mean cross-entropy of logits against the next tokens, as
// PyTorch's F.cross_entropy computes it: for N rows x_i and targets y_i,
//
//	L = (1/N)·Σ_i (log Σ_j exp x_ij − x_i,y_i),   dL/dx_ij = (softmax(x_i)_j − [j = y_i]) / N
//
// with each row's sums in float64 (the exponentials of float32 logits in
// float32, nn.Exp32). Rows are shared among
// tensor.Parallel's goroutines; the result does not depend on how many.
type Loss[T tensor.Float] struct {
	dx      *tensor.Tensor[T]
	rows    []float64 // each row's loss
	logits  []T
	targets []int
	v       int
}

// Forward returns the loss of logits [..., V] against targets (one per
// row) and keeps its gradient for Grad. It panics if the sizes disagree
// or a target is out of range.
func (l *Loss[T]) Forward(logits *tensor.Tensor[T], targets []int) float64 {
	v := logits.Dim(-1)
	n := logits.Len() / v
	if n != len(targets) {
		panic(fmt.Sprintf("rnnlm: Loss: logits %v for %d targets", logits.Shape(), len(targets)))
	}
	for _, y := range targets {
		if y < 0 || y >= v {
			panic(fmt.Sprintf("rnnlm: Loss: target %d out of [0, %d)", y, v))
		}
	}
	if l.dx == nil || !tensor.SameShape(l.dx, logits) {
		l.dx = tensor.Reuse(l.dx, logits.Shape()...)
	}
	if cap(l.rows) < n {
		l.rows = make([]float64, n)
	}
	l.rows = l.rows[:n]
	l.logits, l.targets, l.v = logits.Data, targets, v
	tensor.Parallel(l, min(n, 8))
	l.logits, l.targets = nil, nil
	var total float64
	for _, x := range l.rows {
		total += x
	}
	return total / float64(n)
}

// RunChunk computes the rows of chunk i of 8.
func (l *Loss[T]) RunChunk(i int) {
	n, v := len(l.rows), l.v
	chunks := min(n, 8)
	inv := 1 / float64(n)
	for r := i * n / chunks; r < (i+1)*n/chunks; r++ {
		x, d := l.logits[r*v:(r+1)*v], l.dx.Data[r*v:(r+1)*v]
		m := x[0]
		for _, e := range x[1:] {
			m = max(m, e)
		}
		var sum float64
		if f32, ok := any(x).([]float32); ok {
			// float32 exponentials (nn.Exp32), summed in float64.
			d32 := any(d).([]float32)
			m32 := float32(m)
			for j, e := range f32 {
				p := nn.Exp32(e - m32)
				d32[j] = p
				sum += float64(p)
			}
		} else {
			for j, e := range x {
				p := math.Exp(float64(e - m))
				d[j] = T(p)
				sum += p
			}
		}
		y := l.targets[r]
		l.rows[r] = math.Log(sum) - float64(x[y]-m)
		scale := T(inv / sum)
		for j := range d {
			d[j] *= scale
		}
		d[y] -= T(inv)
	}
}

// Grad returns dL/dlogits of the last Forward.
func (l *Loss[T]) Grad() *tensor.Tensor[T] { return l.dx }
