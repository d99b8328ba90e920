package playground

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// errNoPoints is the error of a step without training points.
var errNoPoints = errors.New("no training points: click on the data to add some")

// learner is a network, its data and everything needed to train it one
// step at a time. It is not safe for concurrent use: a session's
// goroutine owns it.
type learner struct {
	cfg     Config
	spec    nn.Spec
	net     *nn.Sequential[float64]
	linears []*nn.Linear[float64] // the Linear layers, input side first
	acts    []nn.Func             // the activation of each hidden layer
	classes int

	opt    optim.Optimizer[float64]
	lossFn loss.SoftmaxCrossEntropy[float64]

	points      []Point
	train, test *data.Set[float64]
	batchR      *rng.MT
	loader      *data.Loader[float64]
	steps       int
}

// netSpec returns the architecture of c's network for classes classes:
// Linear and activation layers from 2 inputs to the classes' logits.
func netSpec(c *Config, classes int) nn.Spec {
	s := nn.Spec{Input: []int{2}}
	in := 2
	for _, l := range c.Layers {
		s.Layers = append(s.Layers, nn.LayerSpec{Type: "linear", In: in, Out: l.Neurons}, nn.LayerSpec{Type: l.Activation})
		in = l.Neurons
	}
	s.Layers = append(s.Layers, nn.LayerSpec{Type: "linear", In: in, Out: classes})
	return s
}

// newLearner returns a learner for a valid c: its points, and a network
// whose weights are drawn from c.Seed's init stream.
func newLearner(c Config) (*learner, error) {
	pts, err := makePoints(&c)
	if err != nil {
		return nil, err
	}
	init, err := nn.ParseInit(c.Init)
	if err != nil {
		return nil, err
	}
	classes := c.classes()
	spec := netSpec(&c, classes)
	net, err := nn.Build[float64](spec, init, newRand(c.Seed, streamInit))
	if err != nil {
		return nil, err
	}
	return assemble(c, spec, net, classes, pts)
}

// assemble returns a learner training net (built from spec) on pts.
func assemble(c Config, spec nn.Spec, net *nn.Sequential[float64], classes int, pts []Point) (*learner, error) {
	l := &learner{cfg: c, spec: spec, net: net, classes: classes}
	for _, layer := range net.Layers {
		switch layer := layer.(type) {
		case *nn.Linear[float64]:
			l.linears = append(l.linears, layer)
		case *nn.Activation[float64]:
			l.acts = append(l.acts, layer.Func)
		default:
			return nil, fmt.Errorf("layer %T: the playground shows only linear and activation layers", layer)
		}
	}
	if len(l.linears) != len(l.acts)+1 {
		return nil, errors.New("the network must alternate linear and activation layers and end with a linear layer")
	}
	if err := l.setTraining(c); err != nil {
		return nil, err
	}
	l.batchR = newRand(c.Seed, streamBatch)
	l.setPoints(pts)
	return l, nil
}

// setTraining applies c's optimizer, learning rate, batch size and
// regularization, keeping the weights. A new optimizer name starts a new
// optimizer (its state, such as Adam's moments, is lost).
func (l *learner) setTraining(c Config) error {
	if l.opt == nil || l.opt.Name() != c.Optimizer {
		opt, err := optim.New[float64](c.Optimizer, c.LR)
		if err != nil {
			return err
		}
		l.opt = opt
	}
	l.opt.SetLR(c.LR)
	l.opt.SetWeightDecay(0)
	if c.Reg == "l2" {
		l.opt.SetWeightDecay(c.RegRate)
	}
	batchChanged := c.Batch != l.cfg.Batch
	l.cfg.Optimizer, l.cfg.LR, l.cfg.Batch = c.Optimizer, c.LR, c.Batch
	l.cfg.Reg, l.cfg.RegRate, l.cfg.Grad, l.cfg.Speed = c.Reg, c.RegRate, c.Grad, c.Speed
	if batchChanged && l.train != nil {
		l.loader = data.NewLoader(l.train, min(c.Batch, l.train.Len()), l.batchR)
	}
	return nil
}

// setPoints replaces the data with pts, keeping the network; the batches
// continue from the batch stream's current state.
func (l *learner) setPoints(pts []Point) {
	l.points = pts
	l.train, l.test = toSets(pts, l.classes)
	l.loader = nil
	if l.train != nil {
		l.loader = data.NewLoader(l.train, min(l.cfg.Batch, l.train.Len()), l.batchR)
	}
}

// step takes one training step: a batch, the gradient by l.cfg.Grad, L1
// if asked for, and the optimizer's update. It returns the batch's loss
// and an error if there are no training points or the loss is not finite
// (the weights are then left as they were before the update).
func (l *learner) step() (float64, error) {
	if l.loader == nil {
		return math.NaN(), errNoPoints
	}
	x, y := l.loader.Next()
	f := l.gradient(x, y, l.cfg.Grad == "numerical")
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f, fmt.Errorf("training diverged at step %d (loss %v): try a smaller learning rate", l.steps+1, f)
	}
	params := l.net.Params()
	if l.cfg.Reg == "l1" && l.cfg.RegRate > 0 {
		addL1(params, l.cfg.RegRate)
	}
	l.opt.Step(params)
	l.steps++
	return f, nil
}

// gradient stores in every parameter's Grad the gradient of the loss on
// x, y, by central differences if numerical is set and by backpropagation
// otherwise, and returns the loss.
func (l *learner) gradient(x, y *tensor.Tensor[float64], numerical bool) float64 {
	if numerical {
		return numgrad.LayersGradient(l.net.Layers, &l.lossFn, x, y, true, numgrad.H)
	}
	f := l.lossFn.Forward(l.net.Forward(x, true), y)
	l.net.Backward(l.lossFn.Backward())
	return f
}

// addL1 adds λ·sign(w) to the gradient of every weight (p.Decay), the
// gradient of λ‖W‖₁; sign(0) is 0.
func addL1(params []*nn.Param[float64], lambda float64) {
	for _, p := range params {
		if !p.Decay {
			continue
		}
		for i, w := range p.Value.Data {
			switch {
			case w > 0:
				p.Grad.Data[i] += lambda
			case w < 0:
				p.Grad.Data[i] -= lambda
			}
		}
	}
}

// evaluate returns the mean loss and the accuracy of the network on s,
// NaN for both if s is nil.
func (l *learner) evaluate(s *data.Set[float64]) (lossValue, accuracy float64) {
	if s == nil {
		return math.NaN(), math.NaN()
	}
	out := l.net.Forward(s.X, false)
	lossValue = l.lossFn.Forward(out, s.Y)
	right := 0
	for i, k := range tensor.ArgmaxRows(out) {
		if k == int(s.Y.Data[i]) {
			right++
		}
	}
	return lossValue, float64(right) / float64(s.Len())
}

// params returns the number of trainable numbers of the network.
func (l *learner) params() int {
	n := 0
	for _, p := range l.net.Params() {
		n += p.Value.Len()
	}
	return n
}

// timeGradients measures the time of one gradient of the loss on the
// first batch of training points by each method: the fastest of as many
// runs as fit in about budget, at least one. (The fastest, not the mean,
// so that a goroutine switched out mid-run does not count.) It changes no
// weight.
func (l *learner) timeGradients(budget time.Duration) (backprop, numerical time.Duration) {
	if l.train == nil {
		return 0, 0
	}
	idx := make([]int, min(l.cfg.Batch, l.train.Len()))
	for i := range idx {
		idx[i] = i
	}
	x, y := l.train.GatherTo(nil, nil, idx)
	measure := func(numerical bool) time.Duration {
		best := time.Duration(math.MaxInt64)
		start := time.Now()
		for n := 0; n == 0 || (time.Since(start) < budget && n < 1000); n++ {
			t0 := time.Now()
			l.gradient(x, y, numerical)
			best = min(best, time.Since(t0))
		}
		return best
	}
	return measure(false), measure(true)
}
