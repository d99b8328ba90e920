package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// Func names an elementwise activation function. Each has a value F and a
// derivative D; see the constants.
type Func int

const (
	// Identity is f(x) = x, f'(x) = 1.
	Identity Func = iota
	// Step is f(x) = 1 if x > 0 else 0; f'(x) = 0 (the perceptron's
	// activation: it has no useful gradient, which is why networks use the
	// others).
	Step
	// Sigmoid is f(x) = 1 / (1 + e^-x), f'(x) = f(x)(1 - f(x)). For x below
	// -709 e^-x overflows to +Inf and f(x) is exactly 0: never NaN.
	Sigmoid
	// ReLU is f(x) = max(0, x), f'(x) = 1 if x > 0 else 0.
	ReLU
	// Tanh is f(x) = tanh x, f'(x) = 1 - f(x)^2.
	Tanh
	// LeakyReLU is f(x) = x if x > 0 else 0.01x, f'(x) = 1 or 0.01.
	LeakyReLU
)

// LeakySlope is LeakyReLU's slope for negative inputs (PyTorch's default).
const LeakySlope = 0.01

var funcNames = [...]string{"identity", "step", "sigmoid", "relu", "tanh", "leakyrelu"}

// String returns the function's name as ParseFunc accepts it.
func (f Func) String() string {
	if f < 0 || int(f) >= len(funcNames) {
		return fmt.Sprintf("Func(%d)", int(f))
	}
	return funcNames[f]
}

// ParseFunc returns the activation named s: identity, step, sigmoid, relu,
// tanh or leakyrelu.
func ParseFunc(s string) (Func, error) {
	for i, n := range funcNames {
		if n == s {
			return Func(i), nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want identity, step, sigmoid, relu, tanh or leakyrelu)", s)
}

// F returns f(x).
func (f Func) F(x float64) float64 {
	switch f {
	case Identity:
		return x
	case Step:
		if x > 0 {
			return 1
		}
		return 0
	case Sigmoid:
		return 1 / (1 + tensor.Exp(-x))
	case ReLU:
		return max(x, 0)
	case Tanh:
		return math.Tanh(x)
	case LeakyReLU:
		if x > 0 {
			return x
		}
		return LeakySlope * x
	}
	panic(fmt.Sprintf("nn: unknown activation %d", int(f)))
}

// D returns f'(x) given the input x and the output y = f(x) (sigmoid and
// tanh are cheapest from y).
func (f Func) D(x, y float64) float64 {
	switch f {
	case Identity:
		return 1
	case Step:
		return 0
	case Sigmoid:
		return y * (1 - y)
	case ReLU:
		if x > 0 {
			return 1
		}
		return 0
	case Tanh:
		return 1 - y*y
	case LeakyReLU:
		if x > 0 {
			return 1
		}
		return LeakySlope
	}
	panic(fmt.Sprintf("nn: unknown activation %d", int(f)))
}

// ActivationSpec is the config of an Activation layer; its type is the
// function's name and it has no fields: {"type": "relu"}.
type ActivationSpec struct {
	Func Func `json:"-"`
}

func init() {
	for f := range Func(len(funcNames)) {
		Register(f.String(), ActivationSpec{Func: f}, buildActivation[float32], buildActivation[float64])
	}
}

// Type returns the function's name: "relu".
func (s ActivationSpec) Type() string { return s.Func.String() }

// OutShape returns in: activations keep the shape.
func (s ActivationSpec) OutShape(in []int) ([]int, error) {
	if _, err := ParseFunc(s.Func.String()); err != nil {
		return nil, err
	}
	return in, nil
}

// Footprint counts the output.
func (ActivationSpec) Footprint(_, out []int) (int, int) { return 0, numel(out) }

func buildActivation[T tensor.Float](s ActivationSpec, _ *Builder) (Layer[T], error) {
	return NewActivation[T](s.Func), nil
}

// Spec returns the layer's config.
func (a *Activation[T]) Spec() LayerSpec { return ActivationSpec{Func: a.Func} }

// ExportONNX writes Relu, Sigmoid, Tanh or LeakyRelu (alpha LeakySlope);
// step becomes Sign(Relu(x)); identity writes nothing.
func (a *Activation[T]) ExportONNX(g ONNXGraph) (string, error) {
	x, name := g.Input(), a.Func.String()
	switch a.Func {
	case ReLU:
		return g.Node("Relu", name, []string{x}), nil
	case Sigmoid:
		return g.Node("Sigmoid", name, []string{x}), nil
	case Tanh:
		return g.Node("Tanh", name, []string{x}), nil
	case LeakyReLU:
		return g.Node("LeakyRelu", name, []string{x}, FloatAttr("alpha", LeakySlope)), nil
	case Step: // 1 if x > 0 else 0: the sign of max(x, 0)
		return g.Node("Sign", name, []string{g.Node("Relu", "relu", []string{x})}), nil
	case Identity:
		return x, nil
	}
	return "", fmt.Errorf("no ONNX operator for activation %v", a.Func)
}

// stepModule is the PyTorch module of kiso's step activation.
const stepModule = `class Step(nn.Module):
    """kiso's step activation: 1 where x > 0, else 0."""

    def forward(self, x):
        return (x > 0).to(x.dtype)`

// TorchModule returns nn.ReLU(), nn.Sigmoid(), nn.Tanh(),
// nn.LeakyReLU(0.01), nn.Identity() or, for step, a Step module defined in
// the script.
func (a *Activation[T]) TorchModule(g TorchGraph) (string, error) {
	switch a.Func {
	case ReLU:
		return "nn.ReLU()", nil
	case Sigmoid:
		return "nn.Sigmoid()", nil
	case Tanh:
		return "nn.Tanh()", nil
	case LeakyReLU:
		return fmt.Sprintf("nn.LeakyReLU(%s)", PyFloat(LeakySlope)), nil
	case Identity:
		return "nn.Identity()", nil
	case Step:
		g.Define("Step", stepModule)
		return "Step()", nil
	}
	return "", fmt.Errorf("no PyTorch module for activation %v", a.Func)
}

var (
	_ Layer[float64] = (*Activation[float64])(nil)
	_ Specced        = (*Activation[float64])(nil)
	_ ONNXExporter   = (*Activation[float64])(nil)
	_ TorchExporter  = (*Activation[float64])(nil)
)

// Activation is a layer applying an elementwise function f to its input of
// any shape; the output has the same shape.
type Activation[T tensor.Float] struct {
	Func Func

	x, y, dx, dy *tensor.Tensor[T]
	fwd, bwd     tensor.Halves // ReLU's passes, on two goroutines for large tensors
}

// NewActivation returns the activation layer for f.
func NewActivation[T tensor.Float](f Func) *Activation[T] {
	if f < 0 || int(f) >= len(funcNames) {
		panic(fmt.Sprintf("nn: unknown activation %d", int(f)))
	}
	return &Activation[T]{Func: f}
}

// Forward returns f(x) elementwise.
func (a *Activation[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	a.x = x
	if a.y == nil || !tensor.SameShape(a.y, x) {
		a.y = tensor.Reuse(a.y, x.Shape()...)
	}
	y := a.y.Data[:len(x.Data)]
	switch a.Func {
	case Sigmoid:
		for i, v := range x.Data {
			y[i] = T(1 / (1 + tensor.Exp(-float64(v))))
		}
	case ReLU:
		if a.fwd.F == nil {
			a.fwd.F = a.reluRange
		}
		a.fwd.Run(len(y), len(y) >= tensor.HalvesMin)
	case Tanh:
		for i, v := range x.Data {
			y[i] = T(math.Tanh(float64(v)))
		}
	default:
		for i, v := range x.Data {
			y[i] = T(a.Func.F(float64(v)))
		}
	}
	return a.y
}

// Backward returns dy * f'(x).
func (a *Activation[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, a.y) {
		panic(fmt.Sprintf("nn: %v backward got gradient of shape %v for output %v", a.Func, dy.Shape(), a.y.Shape()))
	}
	if a.dx == nil || !tensor.SameShape(a.dx, dy) {
		a.dx = tensor.Reuse(a.dx, dy.Shape()...)
	}
	dx, x, y := a.dx.Data[:len(dy.Data)], a.x.Data[:len(dy.Data)], a.y.Data[:len(dy.Data)]
	switch a.Func {
	case Sigmoid:
		for i, g := range dy.Data {
			dx[i] = g * (1 - y[i]) * y[i]
		}
	case ReLU:
		if a.bwd.F == nil {
			a.bwd.F = a.reluBackwardRange
		}
		a.dy = dy
		a.bwd.Run(len(dx), len(dx) >= tensor.HalvesMin)
		a.dy = nil
	case Tanh:
		for i, g := range dy.Data {
			dx[i] = g * (1 - y[i]*y[i])
		}
	default:
		for i, g := range dy.Data {
			dx[i] = g * T(a.Func.D(float64(x[i]), float64(y[i])))
		}
	}
	return a.dx
}

// Params returns nil: activations have no parameters.
func (a *Activation[T]) Params() []*Param[T] { return nil }

// reluRange sets the ReLU output of elements lo..hi-1 of the last input.
func (a *Activation[T]) reluRange(_, lo, hi int) {
	tensor.ReLU(a.y.Data[lo:hi], a.x.Data[lo:hi])
}

// reluBackwardRange sets elements lo..hi-1 of dx from a.dy.
func (a *Activation[T]) reluBackwardRange(_, lo, hi int) {
	tensor.ReLUGrad(a.dx.Data[lo:hi], a.x.Data[lo:hi], a.dy.Data[lo:hi])
}
