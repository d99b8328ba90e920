package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// LayerNormEps is LayerNorm's default epsilon, PyTorch's.
const LayerNormEps = 1e-5

// LayerNormSpec is the config of a LayerNorm layer: {"type": "layernorm",
// "features": 128}, the size of the last dimension, over which each
// vector is normalized. Eps is added to the variance (LayerNormEps when
// 0); NoBias leaves out the shift, as nanoGPT's LayerNorm(bias=False).
type LayerNormSpec struct {
	Features int     `json:"features,omitempty"`
	Eps      float64 `json:"eps,omitempty"`
	NoBias   bool    `json:"no_bias,omitempty"`
}

func init() { Register("layernorm", LayerNormSpec{}, buildLayerNorm[float32], buildLayerNorm[float64]) }

// Type returns "layernorm".
func (LayerNormSpec) Type() string { return "layernorm" }

// OutShape checks an input case whose last dimension is Features, of any
// rank, and returns it.
func (s LayerNormSpec) OutShape(in []int) ([]int, error) {
	if err := checkSizes("features", s.Features); err != nil {
		return nil, err
	}
	if s.Features < 1 {
		return nil, fmt.Errorf("features %d must be positive", s.Features)
	}
	if !(s.Eps >= 0 && s.Eps < 1) {
		return nil, fmt.Errorf("eps %v: want 0 (the default, %g) or a small positive number", s.Eps, LayerNormEps)
	}
	if in == nil {
		return nil, nil
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("input %v: want [..., %d]", in, s.Features)
	}
	if last := in[len(in)-1]; last >= 0 && last != s.Features {
		return nil, fmt.Errorf("input %v has %d features in its last dimension, layer expects %d", in, last, s.Features)
	}
	return in, nil
}

// Footprint counts the weight and bias, and the output and normalized
// input.
func (s LayerNormSpec) Footprint(_, out []int) (int, int) {
	acts := numel(out)
	if acts > 0 {
		acts = mulSat(acts, 2)
	}
	return 2 * s.Features, acts
}

func buildLayerNorm[T tensor.Float](s LayerNormSpec, _ *Builder) (Layer[T], error) {
	l := NewLayerNorm[T](s.Features, !s.NoBias)
	if s.Eps != 0 {
		l.Eps = s.Eps
	}
	return l, nil
}

// Spec returns the layer's config (Eps left out when it is the default).
func (l *LayerNorm[T]) Spec() LayerSpec {
	s := LayerNormSpec{Features: l.features, NoBias: l.Beta == nil}
	if l.Eps != LayerNormEps {
		s.Eps = l.Eps
	}
	return s
}

// ExportONNX writes LayerNormalization (operator set 17) over the last
// axis. Its epsilon is a float32 attribute: in a float64 export, an Eps
// that float32 does not hold exactly moves outputs by about half its
// rounding error over var + Eps (3e-11 seen for 1e-3, 5e-12 for the
// default 1e-5 on vectors of small variance); a power of two is exact.
func (l *LayerNorm[T]) ExportONNX(g ONNXGraph) (string, error) {
	g.Opset(17)
	f := []int{l.features}
	in := []string{g.Input(), g.Initializer("weight", f, floats(l.Gamma.Value.Data))}
	if l.Beta != nil {
		in = append(in, g.Initializer("bias", f, floats(l.Beta.Value.Data)))
	}
	return g.Node("LayerNormalization", "layernorm", in, IntAttr("axis", -1), FloatAttr("epsilon", float32(l.Eps))), nil
}

// layerNormNoBias is the PyTorch module of a LayerNorm without a shift
// (torch.nn.LayerNorm has bias=False only from version 2.1).
const layerNormNoBias = `class LayerNormNoBias(nn.LayerNorm):
    """nn.LayerNorm with a scale and no shift, as kiso's LayerNorm with no_bias."""

    def __init__(self, features, eps):
        super().__init__(features, eps=eps)
        self.bias = None`

// TorchModule returns nn.LayerNorm(features, eps=...), or a
// LayerNormNoBias defined in the script.
func (l *LayerNorm[T]) TorchModule(g TorchGraph) (string, error) {
	if l.Beta == nil {
		g.Define("LayerNormNoBias", layerNormNoBias)
		return fmt.Sprintf("LayerNormNoBias(%d, %s)", l.features, PyFloat(l.Eps)), nil
	}
	return fmt.Sprintf("nn.LayerNorm(%d, eps=%s)", l.features, PyFloat(l.Eps)), nil
}

var (
	_ Layer[float64] = (*LayerNorm[float64])(nil)
	_ Specced        = (*LayerNorm[float64])(nil)
	_ ONNXExporter   = (*LayerNorm[float64])(nil)
	_ TorchExporter  = (*LayerNorm[float64])(nil)
)

// LayerNorm is layer normalization (Ba, Kiros and Hinton, 2016) over the
// last dimension: each vector of Features values is normalized to zero
// mean and unit variance (the biased variance, over the vector), then
// scaled by gamma and shifted by beta, both learned:
//
//	y = (x − mean) / √(var + Eps) · gamma + beta
//
// Shapes: x and y [..., features], any number of leading dimensions (the
// first is the batch); gamma and beta [features], named "weight" and
// "bias" as PyTorch's. Training and evaluation compute the same: there are
// no running statistics. Sums are taken in float64.
type LayerNorm[T tensor.Float] struct {
	Gamma, Beta *Param[T] // Beta is nil without a shift
	// Eps is LayerNormEps unless changed.
	Eps float64

	features int
	params   []*Param[T]
	inv      []float64 // 1/√(var + eps) per vector, of the last Forward
	dgamma   []float64 // dgamma's sum, in float64
	xhat     *tensor.Tensor[T]
	y, dx    *tensor.Tensor[T]
}

// NewLayerNorm returns layer normalization over vectors of the given
// size, with gamma 1 and, if bias is set, beta 0. It panics if
// features < 1.
func NewLayerNorm[T tensor.Float](features int, bias bool) *LayerNorm[T] {
	if features < 1 {
		panic(fmt.Sprintf("nn: LayerNorm(%d): features must be positive", features))
	}
	gamma := tensor.New[T](features)
	gamma.Fill(1)
	l := &LayerNorm[T]{Gamma: NewParam("weight", gamma, false), Eps: LayerNormEps, features: features}
	if bias {
		l.Beta = NewParam("bias", tensor.New[T](features), false)
	}
	return l
}

// Forward normalizes each vector along the last dimension of x.
func (l *LayerNorm[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	shape := x.Shape()
	if len(shape) < 2 || shape[len(shape)-1] != l.features {
		panic(fmt.Sprintf("nn: LayerNorm(%d) got input of shape %v", l.features, shape))
	}
	f := l.features
	rows := len(x.Data) / f
	if l.y == nil || !tensor.SameShape(l.y, x) {
		l.y = tensor.Reuse(l.y, shape...)
		l.xhat = tensor.Reuse(l.xhat, shape...)
	}
	if cap(l.inv) < rows {
		l.inv = make([]float64, rows)
	}
	l.inv = l.inv[:rows]
	var beta []T
	if l.Beta != nil {
		beta = l.Beta.Value.Data
	}
	tensor.RowNormalize(l.y.Data, l.xhat.Data, x.Data, l.inv, f, l.Gamma.Value.Data, beta, l.Eps)
	return l.y
}

// Backward stores dgamma = Σ dy·x̂ and dbeta = Σ dy over the vectors and
// returns dx = (g − mean(g) − x̂·mean(g·x̂)) / √(var + Eps), g = dy·gamma,
// the means taken over each vector.
func (l *LayerNorm[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if l.y == nil || !tensor.SameShape(dy, l.y) {
		panic(fmt.Sprintf("nn: LayerNorm backward got gradient of shape %v for output %v", dy.Shape(), shapeOf(l.y)))
	}
	if l.dx == nil || !tensor.SameShape(l.dx, dy) {
		l.dx = tensor.Reuse(l.dx, dy.Shape()...)
	}
	f := l.features
	gamma := l.Gamma.Value.Data
	if len(l.dgamma) != f {
		l.dgamma = make([]float64, f)
	}
	dgamma := l.dgamma
	clear(dgamma)
	if l.Beta != nil {
		tensor.SumRowsTo(l.Beta.Grad, dy.Reshape(len(dy.Data)/f, f))
	}
	for r := range l.inv {
		dyr, hr := dy.Data[r*f:(r+1)*f], l.xhat.Data[r*f:(r+1)*f]
		for i, d := range dyr {
			dgamma[i] += float64(d) * float64(hr[i])
		}
	}
	tensor.RowNormGrad(l.dx.Data, dy.Data, l.xhat.Data, l.inv, f, gamma)
	for i, v := range dgamma {
		l.Gamma.Grad.Data[i] = T(v)
	}
	return l.dx
}

// Params returns gamma and, if the layer has one, beta.
func (l *LayerNorm[T]) Params() []*Param[T] {
	n := 1
	if l.Beta != nil {
		n = 2
	}
	if len(l.params) != n || l.params[0] != l.Gamma || n == 2 && l.params[1] != l.Beta {
		l.params = []*Param[T]{l.Gamma}
		if l.Beta != nil {
			l.params = append(l.params, l.Beta)
		}
	}
	return l.params
}
