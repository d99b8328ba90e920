package loss

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// Loss is the last stage of training: Forward scores a batch of outputs y
// against targets t and returns the loss averaged over the batch; Backward
// returns the gradient of that loss with respect to y (owned by the loss,
// valid until the next Backward).
type Loss[T tensor.Float] interface {
	Forward(y, t *tensor.Tensor[T]) float64
	Backward() *tensor.Tensor[T]
}

// SoftmaxCrossEntropy is the book's SoftmaxWithLoss: softmax of the logits
// followed by the cross-entropy against the targets (one-hot or class
// indices), averaged over the batch.
//
// Its gradient with respect to the logits is the derivative of exactly what
// Forward computes, Delta included: with p = softmax(x), w_k = t_k p_k /
// (p_k + Delta) and S = Σ_k w_k, dL/dx_j = (p_j S - w_j) / batch. With
// Delta = 0 this is the famously simple (p - t) / batch that the book's
// backward uses; the two differ by about Delta / p, which matters when a
// probability is tiny and would otherwise fail a gradient check.
type SoftmaxCrossEntropy[T tensor.Float] struct {
	p, t, dx *tensor.Tensor[T]
}

// Forward returns the mean cross-entropy of softmax(x) against t. x is
// [batch, classes] (or one case [classes]).
func (l *SoftmaxCrossEntropy[T]) Forward(x, t *tensor.Tensor[T]) float64 {
	shape := x.Shape()
	if l.p == nil || !tensor.SameShape(l.p, x) {
		l.p = tensor.Reuse(l.p, shape...)
	}
	l.t = t
	// Softmax, then CrossEntropy row by row: the same arithmetic as
	// calling them in turn.
	n, c := 1, x.Len()
	if len(shape) != 1 {
		n, c = x.Rows(), x.Cols()
	}
	index := !tensor.EqualShape(shape, t.Shape()) && isIndex("SoftmaxCrossEntropy", x, t)
	tensor.SoftmaxTo(l.p, x)
	var s float64
	for i := 0; i < n; i++ {
		p := l.p.Data[i*c : (i+1)*c]
		if index {
			s += tensor.Log(float64(p[classOf(t.Data[i], c)]) + Delta)
			continue
		}
		for j, tj := range t.Data[i*c : (i+1)*c] {
			if tj != 0 {
				s += float64(tj) * tensor.Log(float64(p[j])+Delta)
			}
		}
	}
	return -s / float64(n)
}

// Probs returns the softmax probabilities of the last Forward.
func (l *SoftmaxCrossEntropy[T]) Probs() *tensor.Tensor[T] { return l.p }

// Backward returns dL/dx for the last Forward (see the type's doc).
func (l *SoftmaxCrossEntropy[T]) Backward() *tensor.Tensor[T] {
	n, c := batchOf(l.p)
	if l.dx == nil || !tensor.SameShape(l.dx, l.p) {
		l.dx = tensor.Reuse(l.dx, l.p.Shape()...)
	}
	index := !tensor.SameShape(l.p, l.t) && isIndex("SoftmaxCrossEntropy", l.p, l.t)
	for i := 0; i < n; i++ {
		p, dx := l.p.Data[i*c:(i+1)*c], l.dx.Data[i*c:(i+1)*c]
		if index {
			k := classOf(l.t.Data[i], c)
			w := float64(p[k]) / (float64(p[k]) + Delta)
			for j, pj := range p {
				dx[j] = T(float64(pj) * w / float64(n))
			}
			dx[k] = T((float64(p[k])*w - w) / float64(n))
			continue
		}
		t := l.t.Data[i*c : (i+1)*c]
		var s float64
		for k, pk := range p {
			if t[k] != 0 {
				s += float64(t[k]) * float64(pk) / (float64(pk) + Delta)
			}
		}
		for j, pj := range p {
			var w float64
			if t[j] != 0 {
				w = float64(t[j]) * float64(pj) / (float64(pj) + Delta)
			}
			dx[j] = T((float64(pj)*s - w) / float64(n))
		}
	}
	return l.dx
}

// SigmoidBCE is a sigmoid followed by binary cross-entropy, averaged over
// every element: mean of -[t·log σ(x) + (1-t)·log(1-σ(x))], computed in the
// overflow-free form max(x,0) - x·t + log(1 + e^-|x|). Targets t have x's
// shape with values in [0, 1], or for a single output column ([batch, 1]
// or [batch]) a vector of class indices 0 or 1. The gradient is
// (σ(x) - t) / elements.
type SigmoidBCE[T tensor.Float] struct {
	x, t, dx *tensor.Tensor[T]
}

func (l *SigmoidBCE[T]) target(i int) float64 { return float64(l.t.Data[i]) }

func (l *SigmoidBCE[T]) check(x, t *tensor.Tensor[T]) {
	if x.Len() != t.Len() || (!tensor.SameShape(x, t) && t.Rank() != 1) {
		panic(fmt.Sprintf("loss: SigmoidBCE: targets of shape %v do not fit outputs %v", t.Shape(), x.Shape()))
	}
}

// Forward returns the mean binary cross-entropy of σ(x) against t.
func (l *SigmoidBCE[T]) Forward(x, t *tensor.Tensor[T]) float64 {
	l.check(x, t)
	l.x, l.t = x, t
	var s float64
	for i, v := range x.Data {
		z := float64(v)
		s += max(z, 0) - z*l.target(i) + math.Log1p(tensor.Exp(-math.Abs(z)))
	}
	return s / float64(x.Len())
}

// Sigmoid returns σ(x) for the last Forward's x, the predicted
// probabilities of class 1.
func (l *SigmoidBCE[T]) Sigmoid() *tensor.Tensor[T] {
	return tensor.Apply(l.x, func(v T) T { return T(1 / (1 + tensor.Exp(-float64(v)))) })
}

// Backward returns (σ(x) - t) / elements.
func (l *SigmoidBCE[T]) Backward() *tensor.Tensor[T] {
	l.dx = tensor.Reuse(l.dx, l.x.Shape()...)
	n := float64(l.x.Len())
	for i, v := range l.x.Data {
		l.dx.Data[i] = T((1/(1+tensor.Exp(-float64(v))) - l.target(i)) / n)
	}
	return l.dx
}

// MSE is the mean squared error over every element, mean((y - t)²), as
// PyTorch's MSELoss; t has y's shape. The gradient is 2(y - t) / elements.
type MSE[T tensor.Float] struct {
	y, t, dx *tensor.Tensor[T]
}

// Forward returns mean((y - t)²).
func (l *MSE[T]) Forward(y, t *tensor.Tensor[T]) float64 {
	if y.Len() != t.Len() {
		panic(fmt.Sprintf("loss: MSE: shape mismatch %v and %v", y.Shape(), t.Shape()))
	}
	l.y, l.t = y, t
	var s float64
	for i, v := range y.Data {
		d := float64(v) - float64(t.Data[i])
		s += d * d
	}
	return s / float64(y.Len())
}

// Backward returns 2(y - t) / elements.
func (l *MSE[T]) Backward() *tensor.Tensor[T] {
	l.dx = tensor.Reuse(l.dx, l.y.Shape()...)
	n := T(l.y.Len())
	for i, v := range l.y.Data {
		l.dx.Data[i] = 2 * (v - l.t.Data[i]) / n
	}
	return l.dx
}
