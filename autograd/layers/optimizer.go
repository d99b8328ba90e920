package layers

import (
	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/tensor"
)

// Optimizer drives one of package optim's optimizers over a layer's
// parameters (DeZero's optimizer.setup(model) and update()): the same
// optimizers serve nn's networks and autograd's. Each Update lends the
// optimizer the parameters' Data and their gradients' Data as nn.Params,
// without copying.
//
// Two settings make it DeZero's optimizer where the book's programs need
// it: SkipNoGrad (below), and for Adam, optim.Adam.SetEps(1e-8) (DeZero's
// ε; optim's default is the first book's 1e-7). NewDeZeroAdam sets both.
// Neither changes nn's training, which never passes a missing gradient.
type Optimizer[T tensor.Float] struct {
	Opt optim.Optimizer[T]
	// SkipNoGrad leaves a parameter without a gradient out of the step, as
	// DeZero's update() does ("if p.grad is not None"): its value and its
	// optimizer state (Adam's m and v) stay as they are, while the step
	// count (Adam's t) advances for all. Without it such a parameter is
	// given a zero gradient: SGD leaves it alone either way, but Adam's
	// moments decay and keep moving it.
	SkipNoGrad bool

	target Layer[T]
	params []*nn.Param[T]
	zeros  map[*ag.Variable[T]]*tensor.Tensor[T]
}

// Setup returns an Optimizer updating target's parameters with opt.
func Setup[T tensor.Float](opt optim.Optimizer[T], target Layer[T]) *Optimizer[T] {
	return &Optimizer[T]{Opt: opt, target: target, zeros: map[*ag.Variable[T]]*tensor.Tensor[T]{}}
}

// Update applies one step of the optimizer to every parameter that has a
// value (a lazily shaped layer's weight has none before its first call).
// A parameter without a gradient is skipped with SkipNoGrad and given a
// zero gradient otherwise; either way the optimizer sees the same
// parameters in the same order at every step, as package optim requires.
// Parameters registered with Param32 are rounded to float32 afterwards.
func (o *Optimizer[T]) Update() {
	o.params = o.params[:0]
	var round []*tensor.Tensor[T]
	_, is32 := any(T(0)).(float32) // float32 values need no rounding
	for _, n := range NamedParams(o.target) {
		v := n.V
		if v.Data == nil {
			continue
		}
		var g *tensor.Tensor[T]
		switch {
		case v.Grad != nil:
			g = v.Grad.Data
		case o.SkipNoGrad:
			// nil: optim skips the parameter.
		default:
			g = o.zeros[v]
			if g == nil || !tensor.EqualShape(g.Shape(), v.Shape()) {
				g = tensor.New[T](v.Shape()...)
				o.zeros[v] = g
			}
		}
		o.params = append(o.params, &nn.Param[T]{Name: n.Path, Value: v.Data, Grad: g})
		if n.Float32 && !is32 {
			round = append(round, v.Data)
		}
	}
	o.Opt.Step(o.params)
	for _, t := range round {
		Round32(t)
	}
}

// NewDeZeroAdam returns an Optimizer updating target's parameters with Adam
// as DeZero's optimizers.Adam(alpha) does: β1 = 0.9, β2 = 0.999, ε = 1e-8,
// parameters without a gradient skipped (alpha = 0.001 is DeZero's
// default). optim's Adam computes DeZero's formula in its order; when
// every parameter of target is registered with Param32 (float32 values,
// as DeZero's layers keep), it also keeps the moments in float32 and
// computes the update in float32 (optim.Adam.SetFloat32), as numpy does
// with DeZero's float32 arrays: step 59's 100 losses are then DeZero's.
func NewDeZeroAdam[T tensor.Float](alpha float64, target Layer[T]) *Optimizer[T] {
	adam := optim.NewAdam[T](alpha, optim.DefaultBeta1, optim.DefaultBeta2)
	adam.SetEps(1e-8)
	all32 := true
	for _, n := range NamedParams(target) {
		all32 = all32 && n.Float32
	}
	adam.SetFloat32(all32)
	o := Setup[T](adam, target)
	o.SkipNoGrad = true
	return o
}
