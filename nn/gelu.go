package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// GELUSpec is the config of a GELU layer: {"type": "gelu"} for the exact
// form, {"type": "gelu", "approximate": "tanh"} for the tanh form, as
// PyTorch's nn.GELU(approximate=...) names them.
type GELUSpec struct {
	Approximate string `json:"approximate,omitempty"`
}

func init() { Register("gelu", GELUSpec{}, buildGELU[float32], buildGELU[float64]) }

// Type returns "gelu".
func (GELUSpec) Type() string { return "gelu" }

// OutShape returns in: GELU keeps the shape. It refuses an approximation
// other than "" (or "none", PyTorch's spelling of the exact form) and
// "tanh".
func (s GELUSpec) OutShape(in []int) ([]int, error) {
	if _, err := geluTanh(s.Approximate); err != nil {
		return nil, err
	}
	return in, nil
}

// Footprint counts the output.
func (GELUSpec) Footprint(_, out []int) (int, int) { return 0, numel(out) }

// geluTanh reports whether the approximation named a is the tanh form.
func geluTanh(a string) (bool, error) {
	switch a {
	case "", "none":
		return false, nil
	case "tanh":
		return true, nil
	}
	return false, fmt.Errorf("approximate %q: want \"none\" or \"tanh\"", a)
}

func buildGELU[T tensor.Float](s GELUSpec, _ *Builder) (Layer[T], error) {
	tanh, err := geluTanh(s.Approximate)
	if err != nil {
		return nil, err
	}
	return NewGELU[T](tanh), nil
}

// Spec returns the layer's config.
func (l *GELU[T]) Spec() LayerSpec {
	if l.Tanh {
		return GELUSpec{Approximate: "tanh"}
	}
	return GELUSpec{}
}

// ExportONNX writes GELU with operators of opset 13 (Gelu itself came in
// opset 20): the exact form as x·(erf(x·√½) + 1)·½, the tanh form as
// x·(tanh(√(2/π)·(x + 0.044715·x³)) + 1)·½. The constants are scalar
// initializers ("3.sqrt_half", "3.half", ...).
func (l *GELU[T]) ExportONNX(g ONNXGraph) (string, error) {
	x := g.Input()
	c := func(name string, v float64) string { return g.Initializer(name, nil, []float64{v}) }
	var inner string
	if l.Tanh {
		x3 := g.Node("Mul", "cube", []string{g.Node("Mul", "square", []string{x, x}), x})
		u := g.Node("Add", "cubic", []string{x, g.Node("Mul", "scaled_cube", []string{x3, c("coef", geluCoef)})})
		inner = g.Node("Tanh", "tanh", []string{g.Node("Mul", "tanh_arg", []string{u, c("sqrt_2_over_pi", geluSqrt2OverPi)})})
	} else {
		inner = g.Node("Erf", "erf", []string{g.Node("Mul", "erf_arg", []string{x, c("sqrt_half", math.Sqrt2/2)})})
	}
	p := g.Node("Add", "one_plus", []string{inner, c("one", 1)})
	return g.Node("Mul", "gelu", []string{g.Node("Mul", "x_times", []string{x, p}), c("half", 0.5)}), nil
}

// TorchModule returns nn.GELU() or nn.GELU(approximate="tanh").
func (l *GELU[T]) TorchModule(TorchGraph) (string, error) {
	if l.Tanh {
		return `nn.GELU(approximate="tanh")`, nil
	}
	return "nn.GELU()", nil
}

var (
	_ Layer[float64] = (*GELU[float64])(nil)
	_ Specced        = (*GELU[float64])(nil)
	_ ONNXExporter   = (*GELU[float64])(nil)
	_ TorchExporter  = (*GELU[float64])(nil)
)

// The constants of GELU's tanh form (Hendrycks and Gimpel, 2016), for
// the ONNX export.
const (
	geluSqrt2OverPi = 0.7978845608028654 // √(2/π)
	geluCoef        = 0.044715
)

// geluParallelMin is the number of elements from which GELU's passes are
// split between two goroutines: each element costs an erf or a tanh, far
// more than ReLU's comparison (tensor.HalvesMin).
const geluParallelMin = 1 << 14

// GELU is the Gaussian error linear unit (Hendrycks and Gimpel, 2016),
// elementwise on an input of any shape; the output has the same shape.
//
// The exact form is y = x·Φ(x) = ½x(1 + erf(x/√2)), with
// dy/dx = Φ(x) + x·φ(x), φ the standard normal density. The tanh form
// (Tanh set; GPT-2's) is y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³),
// with dy/dx = ½(1 + tanh u) + ½x(1 − tanh² u)·√(2/π)(1 + 3·0.044715x²).
// tensor.GELU and tensor.GELUGrad compute them: float64 with math.Erf and
// math.Tanh, float32 with a branch-free float32 kernel (within 2.5e-7·|x|
// of the float64 formula; see tensor.GELU).
type GELU[T tensor.Float] struct {
	Tanh bool

	x, y, dx, dy *tensor.Tensor[T]
	fwd, bwd     tensor.Halves
}

// NewGELU returns the GELU layer, the tanh form if tanh is set.
func NewGELU[T tensor.Float](tanh bool) *GELU[T] { return &GELU[T]{Tanh: tanh} }

// Forward returns GELU(x) elementwise.
func (l *GELU[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	l.x = x
	if l.y == nil || !tensor.SameShape(l.y, x) {
		l.y = tensor.Reuse(l.y, x.Shape()...)
	}
	if l.fwd.F == nil {
		l.fwd.F = l.forwardRange
	}
	l.fwd.Run(len(x.Data), len(x.Data) >= geluParallelMin)
	return l.y
}

// Backward returns dy · GELU'(x) for the last input x.
func (l *GELU[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if l.y == nil || !tensor.SameShape(dy, l.y) {
		panic(fmt.Sprintf("nn: GELU backward got gradient of shape %v for output %v", dy.Shape(), shapeOf(l.y)))
	}
	if l.dx == nil || !tensor.SameShape(l.dx, dy) {
		l.dx = tensor.Reuse(l.dx, dy.Shape()...)
	}
	if l.bwd.F == nil {
		l.bwd.F = l.backwardRange
	}
	l.dy = dy
	l.bwd.Run(len(dy.Data), len(dy.Data) >= geluParallelMin)
	l.dy = nil
	return l.dx
}

// Params returns nil: GELU has no parameters.
func (l *GELU[T]) Params() []*Param[T] { return nil }

// forwardRange sets outputs lo..hi-1.
func (l *GELU[T]) forwardRange(_, lo, hi int) {
	tensor.GELU(l.y.Data[lo:hi], l.x.Data[lo:hi], l.Tanh)
}

// backwardRange sets input gradients lo..hi-1 from l.dy.
func (l *GELU[T]) backwardRange(_, lo, hi int) {
	tensor.GELUGrad(l.dx.Data[lo:hi], l.x.Data[lo:hi], l.dy.Data[lo:hi], l.Tanh)
}

// shapeOf returns t's shape, or nil for a nil tensor (a layer's output
// before its first Forward).
func shapeOf[T tensor.Float](t *tensor.Tensor[T]) []int {
	if t == nil {
		return nil
	}
	return t.Shape()
}
