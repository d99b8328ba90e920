package rnnlm

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// Loss is the mean cross-entropy of logits against the next tokens, as
// PyTorch's F.cross_entropy computes it: for N rows x_i and targets y_i,
//
//	L = (1/N)·Σ_i (log Σ_j exp x_ij − x_i,y_i),   dL/dx_ij = (softmax(x_i)_j − [j = y_i]) / N
//
// with each row's sums in float64, or for float32 logits the exponentials
// and their sum in float32 (tensor.ExpSum). Rows are shared among
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
		var sum float64
		if f32, ok := any(x).([]float32); ok {
			// float32 exponentials summed in eight float32 lanes
			// (tensor.ExpSum: AVX2 where the CPU has it).
			d32 := any(d).([]float32)
			m := maxOf(f32)
			sum = float64(tensor.ExpSum(d32, f32, m))
			y := l.targets[r]
			l.rows[r] = math.Log(sum) - float64(x[y]-T(m))
			scale := float32(inv / sum)
			for j := range d32 {
				d32[j] *= scale
			}
			d[y] -= T(inv)
			continue
		}
		m := maxOf(x)
		for j, e := range x {
			p := math.Exp(float64(e - m))
			d[j] = T(p)
			sum += p
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

// maxOf returns the largest element of x (not empty), in eight running
// maxima so that the comparisons overlap.
func maxOf[T tensor.Float](x []T) T {
	m := x[0]
	if len(x) >= 8 {
		var a [8]T
		copy(a[:], x[:8])
		n := len(x) &^ 7
		for i := 8; i < n; i += 8 {
			v := x[i : i+8 : i+8]
			a[0], a[1], a[2], a[3] = max(a[0], v[0]), max(a[1], v[1]), max(a[2], v[2]), max(a[3], v[3])
			a[4], a[5], a[6], a[7] = max(a[4], v[4]), max(a[5], v[5]), max(a[6], v[6]), max(a[7], v[7])
		}
		m = max(max(max(a[0], a[1]), max(a[2], a[3])), max(max(a[4], a[5]), max(a[6], a[7])))
		x = x[n:]
	}
	for _, v := range x {
		m = max(m, v)
	}
	return m
}
