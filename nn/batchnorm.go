package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// Default hyperparameters of BatchNorm, PyTorch's.
const (
	// BatchNormMomentum is the weight of the current batch in the running
	// statistics: running = (1-m)·running + m·batch. (The book's
	// momentum 0.9 is the weight of the old value, 1-m.)
	BatchNormMomentum = 0.1
	// BatchNormEps is added to the variance before its square root.
	BatchNormEps = 1e-5
)

// BatchNormSpec is the config of a BatchNorm layer: {"type": "batchnorm",
// "features": 100}, the number of features or channels.
type BatchNormSpec struct {
	Features int `json:"features,omitempty"`
}

func init() { Register("batchnorm", BatchNormSpec{}, buildBatchNorm[float32], buildBatchNorm[float64]) }

// Type returns "batchnorm".
func (BatchNormSpec) Type() string { return "batchnorm" }

// OutShape checks an input case [features] or [channels, ...] of rank at
// most 3 and returns it.
func (s BatchNormSpec) OutShape(in []int) ([]int, error) {
	if err := checkSizes("features", s.Features); err != nil {
		return nil, err
	}
	if s.Features < 1 {
		return nil, fmt.Errorf("features %d must be positive", s.Features)
	}
	if in != nil && (len(in) < 1 || len(in) > 3) {
		return nil, fmt.Errorf("input %v: want [features] or [channels, ...] of rank at most 3", in)
	}
	if in != nil && in[0] >= 0 && in[0] != s.Features {
		return nil, fmt.Errorf("input %v has %d features, layer expects %d", in, in[0], s.Features)
	}
	return in, nil
}

// Footprint counts gamma, beta, running mean and variance, and the output.
func (s BatchNormSpec) Footprint(_, out []int) (int, int) { return 4 * s.Features, numel(out) }

func buildBatchNorm[T tensor.Float](s BatchNormSpec, _ *Builder) (Layer[T], error) {
	return NewBatchNorm[T](s.Features), nil
}

// Spec returns the layer's config.
func (b *BatchNorm[T]) Spec() LayerSpec { return BatchNormSpec{Features: b.features} }

// ExportONNX writes BatchNormalization with the running statistics.
func (b *BatchNorm[T]) ExportONNX(g ONNXGraph) (string, error) {
	f := []int{b.features}
	return g.Node("BatchNormalization", "batchnorm", []string{g.Input(),
		g.Initializer("weight", f, floats(b.Gamma.Value.Data)),
		g.Initializer("bias", f, floats(b.Beta.Value.Data)),
		g.Initializer("running_mean", f, floats(b.RunningMean.Value.Data)),
		g.Initializer("running_var", f, floats(b.RunningVar.Value.Data)),
	}, FloatAttr("epsilon", float32(b.Eps))), nil
}

// TorchModule returns nn.BatchNorm1d on [features] or [channels, length],
// nn.BatchNorm2d over the channels of images.
func (b *BatchNorm[T]) TorchModule(g TorchGraph) (string, error) {
	kind := "nn.BatchNorm1d"
	if len(g.InShape()) == 3 {
		kind = "nn.BatchNorm2d"
	}
	return fmt.Sprintf("%s(%d, eps=%s)", kind, b.features, PyFloat(b.Eps)), nil
}

// TorchExtraState returns PyTorch's num_batches_tracked, which it reads
// only in training without a momentum.
func (b *BatchNorm[T]) TorchExtraState() []string { return []string{"num_batches_tracked"} }

var (
	_ Layer[float64]    = (*BatchNorm[float64])(nil)
	_ Specced           = (*BatchNorm[float64])(nil)
	_ Buffered[float64] = (*BatchNorm[float64])(nil)
	_ ONNXExporter      = (*BatchNorm[float64])(nil)
	_ TorchExporter     = (*BatchNorm[float64])(nil)
	_ TorchExtraState   = (*BatchNorm[float64])(nil)
)

// BatchNorm is batch normalization (Ioffe and Szegedy, 2015): every feature
// is normalized to zero mean and unit variance, then scaled by gamma and
// shifted by beta, both learned.
//
// Shapes: x and y [batch, features] (PyTorch's BatchNorm1d), or
// [batch, channels, ...] such as [batch, channels, height, width]
// (BatchNorm2d), where each channel is one feature with statistics over the
// batch and every position; gamma and beta [features].
//
// In training the mean and the biased variance of the batch normalize it,
// and the running statistics move towards the batch's with Momentum, the
// running variance towards the unbiased batch variance (divided by m-1 for
// m values per feature), as PyTorch does; the book uses the biased one. In
// evaluation the running statistics normalize, and Backward is that affine
// map's derivative. The running statistics start at mean 0 and variance 1
// and are Buffers ("running_mean", "running_var"), saved with the model.
type BatchNorm[T tensor.Float] struct {
	Gamma, Beta             *Param[T]
	RunningMean, RunningVar *Buffer[T] // [features]
	// Momentum and Eps are BatchNormMomentum and BatchNormEps unless
	// changed.
	Momentum, Eps float64

	features int
	params   []*Param[T]
	train    bool
	inv      []float64 // 1/sqrt(var + eps) per feature, of the last Forward
	work     []float64 // per-feature figures of a Forward or Backward (scratch)
	xhat     *tensor.Tensor[T]
	y, dx    *tensor.Tensor[T]
}

// NewBatchNorm returns batch normalization of the given number of features
// (or channels), with gamma 1 and beta 0. It panics if features < 1.
func NewBatchNorm[T tensor.Float](features int) *BatchNorm[T] {
	if features < 1 {
		panic(fmt.Sprintf("nn: BatchNorm(%d): features must be positive", features))
	}
	gamma := tensor.New[T](features)
	gamma.Fill(1)
	rv := tensor.New[T](features)
	rv.Fill(1)
	return &BatchNorm[T]{
		Gamma:       NewParam("weight", gamma, false),
		Beta:        NewParam("bias", tensor.New[T](features), false),
		RunningMean: &Buffer[T]{Name: "running_mean", Value: tensor.New[T](features)},
		RunningVar:  &Buffer[T]{Name: "running_var", Value: rv},
		Momentum:    BatchNormMomentum,
		Eps:         BatchNormEps,
		features:    features,
		inv:         make([]float64, features),
	}
}

// Features returns the number of features (channels) normalized.
func (b *BatchNorm[T]) Features() int { return b.features }

// layout checks x and returns the batch size and the number of positions
// per feature: x is viewed as [n, features, s].
func (b *BatchNorm[T]) layout(x *tensor.Tensor[T]) (n, s int) {
	if x.Rank() < 2 || x.Dim(1) != b.features {
		panic(fmt.Sprintf("nn: BatchNorm(%d) needs input [batch, %d, ...], got %v", b.features, b.features, x.Shape()))
	}
	return x.Dim(0), x.Cols() / b.features
}

// Forward returns gamma·(x - mean)/sqrt(var + Eps) + beta per feature, with
// the batch's statistics in training and the running ones in evaluation. It
// panics in training if a feature has a single value (a batch of one
// without positions): its variance is not defined.
func (b *BatchNorm[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	n, s := b.layout(x)
	m := n * s
	if train && m < 2 {
		panic(fmt.Sprintf("nn: BatchNorm in training needs more than one value per feature, got input %v", x.Shape()))
	}
	b.train = train
	b.xhat = tensor.Reuse(b.xhat, x.Shape()...)
	b.y = tensor.Reuse(b.y, x.Shape()...)
	c := b.features
	mean, vr, gamma, beta := b.scratch(0), b.scratch(1), b.scratch(2), b.scratch(3)
	if train {
		tensor.ChannelMoments(mean, vr, x.Data, n, c, s)
	}
	for f := 0; f < c; f++ {
		if train {
			mom := b.Momentum
			b.RunningMean.Value.Data[f] = T((1-mom)*float64(b.RunningMean.Value.Data[f]) + mom*mean[f])
			b.RunningVar.Value.Data[f] = T((1-mom)*float64(b.RunningVar.Value.Data[f]) + mom*vr[f]*float64(m)/float64(m-1))
		} else {
			mean[f], vr[f] = float64(b.RunningMean.Value.Data[f]), float64(b.RunningVar.Value.Data[f])
		}
		b.inv[f] = 1 / math.Sqrt(vr[f]+b.Eps)
		gamma[f], beta[f] = float64(b.Gamma.Value.Data[f]), float64(b.Beta.Value.Data[f])
	}
	tensor.ChannelNormalize(b.y.Data, b.xhat.Data, x.Data, n, c, s, mean, b.inv, gamma, beta)
	return b.y
}

// scratch returns the i-th of the layer's per-feature float64 work arrays.
func (b *BatchNorm[T]) scratch(i int) []float64 {
	c := b.features
	if len(b.work) != 4*c {
		b.work = make([]float64, 4*c)
	}
	return b.work[i*c : (i+1)*c]
}

// Backward stores dgamma = Σ dy·x̂ and dbeta = Σ dy per feature and returns
// dx. After a training Forward, with m values per feature and
// inv = 1/sqrt(var + Eps),
//
//	dx = gamma·inv/m · (m·dy - Σdy - x̂·Σ(dy·x̂)),
//
// the derivative through the batch statistics; after an evaluation Forward,
// dx = gamma·inv·dy.
func (b *BatchNorm[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, b.y) {
		panic(fmt.Sprintf("nn: BatchNorm backward got gradient of shape %v for output %v", dy.Shape(), b.y.Shape()))
	}
	n, s := b.layout(dy)
	c := b.features
	b.dx = tensor.Reuse(b.dx, dy.Shape()...)
	k, sdy, sdyx := b.scratch(0), b.scratch(1), b.scratch(2)
	tensor.ChannelGradSums(sdy, sdyx, dy.Data, b.xhat.Data, n, c, s)
	for f := 0; f < c; f++ {
		b.Beta.Grad.Data[f] = T(sdy[f])
		b.Gamma.Grad.Data[f] = T(sdyx[f])
		k[f] = float64(b.Gamma.Value.Data[f]) * b.inv[f]
	}
	if b.train {
		tensor.ChannelNormGrad(b.dx.Data, dy.Data, b.xhat.Data, n, c, s, k, sdy, sdyx)
	} else {
		tensor.ChannelScale(b.dx.Data, dy.Data, n, c, s, k)
	}
	return b.dx
}

// Params returns gamma ("weight") and beta ("bias").
func (b *BatchNorm[T]) Params() []*Param[T] {
	if len(b.params) != 2 || b.params[0] != b.Gamma || b.params[1] != b.Beta {
		b.params = []*Param[T]{b.Gamma, b.Beta} // made once: containers ask often
	}
	return b.params
}

// Buffers returns the running mean and variance.
func (b *BatchNorm[T]) Buffers() []*Buffer[T] { return []*Buffer[T]{b.RunningMean, b.RunningVar} }
