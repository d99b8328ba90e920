package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// LinearSpec is the config of a Linear layer: {"type": "linear", "in": 784,
// "out": 100}. Init, if set, names its initializer as ParseInit reads it
// ("he", "xavier", "0.01"), overriding Build's default.
type LinearSpec struct {
	In   int    `json:"in,omitempty"`
	Out  int    `json:"out,omitempty"`
	Init string `json:"init,omitempty"`
}

func init() { Register("linear", LinearSpec{}, buildLinear[float32], buildLinear[float64]) }

// Type returns "linear".
func (LinearSpec) Type() string { return "linear" }

// OutShape returns [Out] for an input case of In elements, of any shape.
func (s LinearSpec) OutShape(in []int) ([]int, error) {
	if err := checkSizes("in out", s.In, s.Out); err != nil {
		return nil, err
	}
	if s.In < 1 || s.Out < 1 {
		return nil, fmt.Errorf("in %d and out %d must be positive", s.In, s.Out)
	}
	if n := numel(in); n > 0 && n != s.In {
		return nil, fmt.Errorf("input %v has %d features, layer expects %d", in, n, s.In)
	}
	return []int{s.Out}, nil
}

// Footprint counts (In+1)·Out parameters and the output.
func (s LinearSpec) Footprint(_, out []int) (int, int) { return mulSat(s.In+1, s.Out), numel(out) }

func buildLinear[T tensor.Float](s LinearSpec, b *Builder) (Layer[T], error) {
	init, err := b.InitFor(s.Init)
	if err != nil {
		return nil, err
	}
	l := NewLinear[T](s.In, s.Out)
	l.Reset(init, b.Rand)
	return l, nil
}

// Spec returns the layer's config (without Init).
func (l *Linear[T]) Spec() LayerSpec { return LinearSpec{In: l.in, Out: l.out} }

// ExportONNX writes Gemm with the weight as PyTorch's [out, in] and
// transB = 1, after a Flatten (axis 1) when the input is not a vector.
func (l *Linear[T]) ExportONNX(g ONNXGraph) (string, error) {
	x := g.Input()
	if len(g.InShape()) != 1 {
		x = g.Node("Flatten", "flatten", []string{x}, IntAttr("axis", 1))
	}
	w := g.Initializer("weight", []int{l.out, l.in}, transposed(l.W.Value.Data, l.in, l.out))
	b := g.Initializer("bias", []int{l.out}, floats(l.B.Value.Data))
	return g.Node("Gemm", "linear", []string{x, w, b}, IntAttr("transB", 1)), nil
}

// flattenLinear is the PyTorch module kiso's Linear is on inputs that are
// not vectors.
const flattenLinear = `class FlattenLinear(nn.Linear):
    """nn.Linear that flattens each case first, as kiso's Linear does."""

    def forward(self, x):
        return super().forward(x.flatten(1))`

// TorchModule returns nn.Linear(in, out), or a FlattenLinear defined in
// the script when the input is not a vector.
func (l *Linear[T]) TorchModule(g TorchGraph) (string, error) {
	if len(g.InShape()) != 1 {
		g.Define("FlattenLinear", flattenLinear)
		return fmt.Sprintf("FlattenLinear(%d, %d)", l.in, l.out), nil
	}
	return fmt.Sprintf("nn.Linear(%d, %d)", l.in, l.out), nil
}

var (
	_ Layer[float64] = (*Linear[float64])(nil)
	_ Specced        = (*Linear[float64])(nil)
	_ ONNXExporter   = (*Linear[float64])(nil)
	_ TorchExporter  = (*Linear[float64])(nil)
)

// Linear is the affine layer y = x·W + b (the book's Affine).
//
// Shapes: x [batch, in] (or any [batch, ...] with in elements per case,
// which Linear flattens), W [in, out], b [out], y [batch, out]. W is stored
// [in, out] as in the book so that the product needs no transpose; model
// files store it transposed as PyTorch's [out, in].
type Linear[T tensor.Float] struct {
	W, B    *Param[T]
	in, out int

	params []*Param[T]

	x      *tensor.Tensor[T] // last input, viewed as [batch, in]
	y, dx  *tensor.Tensor[T]
	xShape []int
}

// NewLinear returns a Linear layer from in to out features with zero
// weights and biases; initialize W with an Init (He, Xavier, Normal).
func NewLinear[T tensor.Float](in, out int) *Linear[T] {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("nn: Linear(%d, %d): sizes must be positive", in, out))
	}
	w := NewParam("weight", tensor.New[T](in, out), true)
	w.Transposed = true // PyTorch's [out, in]
	return &Linear[T]{
		W:  w,
		B:  NewParam("bias", tensor.New[T](out), false),
		in: in, out: out,
	}
}

// In and Out return the layer's input and output sizes.
func (l *Linear[T]) In() int  { return l.in }
func (l *Linear[T]) Out() int { return l.out }

// Forward returns x·W + b.
func (l *Linear[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	in, out := l.in, l.out
	shape := x.Shape()
	if !tensor.EqualShape(l.xShape, shape) {
		l.xShape = append(l.xShape[:0], shape...)
	}
	if len(shape) != 2 || shape[1] != in {
		if x.Cols() != in {
			panic(fmt.Sprintf("nn: Linear(%d, %d) got input of shape %v", in, out, shape))
		}
		x = x.Reshape(x.Rows(), in)
	}
	l.x = x
	if y := l.y; y == nil || y.Rank() != 2 || y.Rows() != x.Rows() {
		l.y = tensor.Reuse(l.y, x.Rows(), out)
	}
	return tensor.AffineTo(l.y, x, l.W.Value, l.B.Value)
}

// Backward stores dW = xᵀ·dy and db = Σ_batch dy and returns dx = dy·Wᵀ in
// the shape of the last input.
func (l *Linear[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	l.backwardParams(dy)
	if dx := l.dx; dx == nil || dx.Rows() != l.x.Rows() {
		l.dx = tensor.Reuse(l.dx, l.x.Rows(), l.in)
	}
	tensor.MatMulTo(l.dx, dy, l.W.Value, false, true)
	if len(l.xShape) != 2 {
		return l.dx.Reshape(l.xShape...)
	}
	return l.dx
}

// backwardParams stores dW = xᵀ·dy and db = Σ_batch dy.
func (l *Linear[T]) backwardParams(dy *tensor.Tensor[T]) {
	tensor.MatMulTo(l.W.Grad, l.x, dy, true, false)
	tensor.SumRowsTo(l.B.Grad, dy)
}

// Params returns W and b.
func (l *Linear[T]) Params() []*Param[T] {
	if len(l.params) != 2 || l.params[0] != l.W || l.params[1] != l.B {
		l.params = []*Param[T]{l.W, l.B} // made once: numerical gradients ask often
	}
	return l.params
}
