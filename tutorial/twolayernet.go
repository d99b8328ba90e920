// Package tutorial is the program kiso grew from, as a library: the
// two-layer network of "Deep Learning from Scratch" that learns XOR with a
// sigmoid hidden layer, a softmax output and cross-entropy, trained by
// stochastic gradient descent on one random case per step, with gradients
// taken numerically (central differences) or by backpropagation.
//
// Seeded with rng.NewNumpy(seed) for the weights and rng.NewPython(seed)
// for the choice of cases, TwoLayerNet draws exactly the numbers that the
// tutorial's Python draws after np.random.seed(seed) and random.seed(seed),
// and runs the same arithmetic in the same order, so the two programs follow
// the same trajectory (agreeing to about 1e-12; the last bits of exp and log
// differ between libraries).
package tutorial

import (
	"context"
	"fmt"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Method is how Learn takes the gradient.
type Method int

const (
	// Numerical takes central differences, as the tutorial does.
	Numerical Method = iota
	// Backprop takes the gradient by backpropagation.
	Backprop
)

// String returns "numerical" or "backprop".
func (m Method) String() string {
	switch m {
	case Numerical:
		return "numerical"
	case Backprop:
		return "backprop"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the Method named s ("numerical" or "backprop").
func ParseMethod(s string) (Method, error) {
	switch s {
	case "numerical":
		return Numerical, nil
	case "backprop":
		return Backprop, nil
	}
	return 0, fmt.Errorf("unknown gradient method %q (want numerical or backprop)", s)
}

// TwoLayerNet is the tutorial's network: Affine (W1, b1), Sigmoid, Affine
// (W2, b2), softmax with cross-entropy. Shapes: W1 [input, hidden], b1
// [hidden], W2 [hidden, output], b2 [output]; inputs [batch, input] or one
// case [input]; targets one-hot of the outputs' shape or class indices.
type TwoLayerNet[T tensor.Float] struct {
	W1, B1, W2, B2 *nn.Param[T]

	affine1, affine2 *nn.Linear[T]
	sigmoid          *nn.Activation[T]
	layers           []nn.Layer[T]
	last             loss.SoftmaxCrossEntropy[T]
	params           []*nn.Param[T]

	fastState *fast64 // the float64 fast path's buffers (see fast)
	generic   bool    // never take the fast path (for the tests that compare the two)
}

// NewTwoLayerNet returns the tutorial's network with W1 and W2 drawn from
// weightInitStd · N(0, 1) with r (W1 first, each in row-major order, as
// weight_init_std * np.random.randn(...) draws them) and zero biases.
func NewTwoLayerNet[T tensor.Float](inputSize, hiddenSize, outputSize int, weightInitStd float64, r *rng.MT) *TwoLayerNet[T] {
	n := &TwoLayerNet[T]{
		affine1: nn.NewLinear[T](inputSize, hiddenSize),
		sigmoid: nn.NewActivation[T](nn.Sigmoid),
		affine2: nn.NewLinear[T](hiddenSize, outputSize),
	}
	n.W1, n.B1, n.W2, n.B2 = n.affine1.W, n.affine1.B, n.affine2.W, n.affine2.B
	n.W1.Name, n.B1.Name, n.W2.Name, n.B2.Name = "W1", "b1", "W2", "b2"
	n.params = []*nn.Param[T]{n.W1, n.B1, n.W2, n.B2}
	n.layers = []nn.Layer[T]{n.affine1, n.sigmoid, n.affine2}
	init := nn.Normal(weightInitStd)
	n.affine1.Reset(init, r)
	n.affine2.Reset(init, r)
	return n
}

// Params returns W1, b1, W2, b2 in that order.
func (n *TwoLayerNet[T]) Params() []*nn.Param[T] { return n.params }

func asBatch[T tensor.Float](x *tensor.Tensor[T]) *tensor.Tensor[T] {
	if x.Rank() == 1 {
		return x.Reshape(1, x.Len())
	}
	return x
}

// logits runs the two affine layers and the sigmoid.
func (n *TwoLayerNet[T]) logits(x *tensor.Tensor[T]) *tensor.Tensor[T] {
	h := n.sigmoid.Forward(n.affine1.Forward(x, true), true)
	return n.affine2.Forward(h, true)
}

// Predict returns the softmax probabilities for x, [batch, output] (or
// [output] for a single case), as a new tensor.
func (n *TwoLayerNet[T]) Predict(x *tensor.Tensor[T]) *tensor.Tensor[T] {
	p := loss.Softmax(n.logits(asBatch(x)))
	if x.Rank() == 1 {
		return p.Reshape(p.Len())
	}
	return p
}

// Loss returns the cross-entropy of the prediction for x against t,
// averaged over the batch.
func (n *TwoLayerNet[T]) Loss(x, t *tensor.Tensor[T]) float64 {
	if x.Rank() == 1 {
		x, t = asBatch(x), asBatch(t)
	}
	return n.last.Forward(n.logits(x), t)
}

// NumericalGradient stores in each parameter's Grad the central-difference
// gradient of Loss(x, t) (step numgrad.H), one parameter after another in
// the order W1, b1, W2, b2: the tutorial's numerical_gradient, with the
// same result to the bit. (numgrad.LayersGradient skips re-running the
// first layer for the second layer's parameters, which cannot change it.
// A float64 network whose W1 and W2 have fewer than 256 elements each,
// given one case with targets of the outputs' shape (not class indices),
// takes a fused path on plain slices instead, with the same bits again
// and about 2.5 times faster: see fast.go.)
func (n *TwoLayerNet[T]) NumericalGradient(x, t *tensor.Tensor[T]) {
	if x.Rank() == 1 {
		x, t = asBatch(x), asBatch(t)
	}
	if x.Rows() == 1 && t.Rows() == 1 {
		if f := n.fast(x, t); f != nil {
			f.setCase(tensor.AsFloat64(x.Data), tensor.AsFloat64(t.Data))
			f.gradient()
			return
		}
	}
	numgrad.LayersGradient(n.layers, &n.last, x, t, true, numgrad.H)
}

// Gradient stores in each parameter's Grad the gradient of Loss(x, t) by
// backpropagation and returns the loss. (On one case, a float64 network
// under the size bound of NumericalGradient's fused path takes a fused
// path too, with the same bits: see fastbackprop.go.)
func (n *TwoLayerNet[T]) Gradient(x, t *tensor.Tensor[T]) float64 {
	if x.Rank() == 1 {
		x, t = asBatch(x), asBatch(t)
	}
	if x.Rows() == 1 && t.Rows() == 1 {
		if f := n.fast(x, t); f != nil {
			f.forward(tensor.AsFloat64(x.Data), tensor.AsFloat64(t.Data))
			f.backward(false, 0)
			return f.crossEntropy()
		}
	}
	l := n.last.Forward(n.logits(x), t)
	d := n.affine2.Backward(n.last.Backward())
	n.affine1.Backward(n.sigmoid.Backward(d))
	return l
}

// Learn trains for steps steps of stochastic gradient descent. Each step
// picks one case (a row of x and of t) uniformly with pick.Below, the
// tutorial's random.randrange; takes the gradient on it with method; updates
// every parameter by -lr · gradient; then evaluates the loss on that case
// with the updated parameters and passes it to record (if not nil) with the
// step number, counting from 0. It returns ctx's error if ctx ends first,
// looking at it every 1024 steps. It takes NumericalGradient's or
// Gradient's fused path where that applies, which keeps a case's forward
// pass from one step to the next and may draw the next step's case before
// calling record: record must not change n or draw from pick.
func (n *TwoLayerNet[T]) Learn(ctx context.Context, x, t *tensor.Tensor[T], steps int, lr float64, method Method, pick *rng.MT, record func(step int, loss float64)) error {
	if x.Rows() != t.Rows() {
		panic(fmt.Sprintf("tutorial: %d input cases but %d targets", x.Rows(), t.Rows()))
	}
	if method != Numerical && method != Backprop {
		panic(fmt.Sprintf("tutorial: unknown method %v", method))
	}
	if x.Rank() == 2 && t.Rank() == 2 {
		if f := n.fast(x, t); f != nil {
			xd, td := tensor.AsFloat64(x.Data), tensor.AsFloat64(t.Data)
			if method == Numerical {
				return f.learn(ctx, xd, td, steps, lr, pick, record)
			}
			return f.learnBackprop(ctx, xd, td, steps, lr, pick, record)
		}
	}
	xs, ts := rowsOf(x), rowsOf(t)
	alpha := T(-lr)
	for i := 0; i < steps; i++ {
		if i&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		k := pick.Below(len(xs))
		xi, ti := xs[k], ts[k]
		if method == Numerical {
			n.NumericalGradient(xi, ti)
		} else {
			n.Gradient(xi, ti)
		}
		for _, p := range n.params {
			tensor.AddScaled(p.Value, alpha, p.Grad)
		}
		l := n.Loss(xi, ti)
		if record != nil {
			record(i, l)
		}
	}
	return nil
}

// rowsOf returns each row of x as a [1, cols] tensor sharing x's storage
// (for class-index targets [n], each is a [1] vector).
func rowsOf[T tensor.Float](x *tensor.Tensor[T]) []*tensor.Tensor[T] {
	out := make([]*tensor.Tensor[T], x.Rows())
	for i := range out {
		if x.Rank() == 1 {
			out[i] = tensor.FromSlice(x.Data[i:i+1], 1)
		} else {
			out[i] = tensor.FromSlice(x.Row(i), 1, x.Cols())
		}
	}
	return out
}
