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
	kisotrain "github.com/kiso-go/kiso/train"
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

	opt optim.Optimizer[float64]
	// lossFn is softmax cross-entropy, or for a regression (classes 1)
	// the mean squared error.
	lossFn loss.Loss[float64]
	one    *kisotrain.Step[float64] // the training step: net, lossFn, opt and L1

	points      []Point
	train, test *data.Set[float64]
	batchR      *rng.MT
	loader      *data.Loader[float64]
	picks       []int // the cases of a step under Config.Draws "tutorial"
	px, py      *tensor.Tensor[float64]
	steps       int
}

// netSpec returns the architecture of c's network for classes classes:
// Linear and activation layers from the features to the classes' logits.
func netSpec(c *Config, classes int) nn.Spec {
	in := len(c.Features)
	s := nn.Spec{Input: []int{in}}
	for _, l := range c.Layers {
		f, _ := nn.ParseFunc(l.Activation) // Config.Validate accepted the name
		s.Layers = append(s.Layers, nn.LinearSpec{In: in, Out: l.Neurons}, nn.ActivationSpec{Func: f})
		in = l.Neurons
	}
	s.Layers = append(s.Layers, nn.LinearSpec{In: in, Out: classes})
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
	r := newRand(c.Seed, streamInit)
	if c.Draws == "tutorial" {
		r = rng.NewNumpy(uint32(c.Seed)) // np.random.seed(seed); Validate bounds Seed to 32 bits
	}
	net, err := nn.Build[float64](spec, init, r)
	if err != nil {
		return nil, err
	}
	return assemble(c, spec, net, classes, pts)
}

// assemble returns a learner training net (built from spec) on pts.
func assemble(c Config, spec nn.Spec, net *nn.Sequential[float64], classes int, pts []Point) (*learner, error) {
	l := &learner{cfg: c, spec: spec, net: net, classes: classes, lossFn: &loss.SoftmaxCrossEntropy[float64]{}}
	if classes == 1 {
		l.lossFn = &loss.MSE[float64]{}
	}
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
	l.one = kisotrain.NewStep[float64](net, l.lossFn, l.opt)
	l.batchR = newRand(c.Seed, streamBatch)
	if c.Draws == "tutorial" {
		l.batchR = rng.NewPython(uint64(c.Seed)) // random.seed(seed)
	}
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
		if l.one != nil {
			l.one.Opt = opt
		}
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
	l.train, l.test = toSets(pts, l.classes, l.cfg.Features)
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
	if l.steps >= MaxSteps {
		return math.NaN(), fmt.Errorf("%d steps, the most a session takes: reset to start again", int64(MaxSteps))
	}
	var x, y *tensor.Tensor[float64]
	if l.cfg.Draws == "tutorial" {
		// The tutorial's random.randrange, once per case of the batch.
		l.picks = l.picks[:0]
		for range min(l.cfg.Batch, l.train.Len()) {
			l.picks = append(l.picks, l.batchR.Below(l.train.Len()))
		}
		l.px, l.py = l.train.GatherTo(l.px, l.py, l.picks)
		x, y = l.px, l.py
	} else {
		x, y = l.loader.Next()
	}
	f := l.gradient(x, y, l.cfg.Grad == "numerical")
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f, fmt.Errorf("training diverged at step %d (loss %v): try a smaller learning rate", l.steps+1, f)
	}
	l.one.L1 = 0
	if l.cfg.Reg == "l1" {
		l.one.L1 = l.cfg.RegRate
	}
	l.one.Update()
	l.steps++
	return f, nil
}

// gradient stores in every parameter's Grad the gradient of the loss on
// x, y, by central differences if numerical is set and by backpropagation
// otherwise, and returns the loss.
func (l *learner) gradient(x, y *tensor.Tensor[float64], numerical bool) float64 {
	if numerical {
		return numgrad.LayersGradient(l.net.Layers, l.lossFn, x, y, true, numgrad.H)
	}
	f, _ := l.one.Forward(x, y)
	l.one.Backward()
	return f
}

// evaluate returns the mean loss and the accuracy of the network on s,
// NaN for both if s is nil.
func (l *learner) evaluate(s *data.Set[float64]) (lossValue, accuracy float64) {
	if s == nil {
		return math.NaN(), math.NaN()
	}
	out := l.net.Forward(s.X, false)
	lossValue = l.lossFn.Forward(out, s.Y)
	if l.classes == 1 {
		return lossValue, math.NaN() // a regression has no accuracy
	}
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
//
// The numerical gradient is not run: its cost grows with the parameters
// (a page's network of 402 runs its last layer 805 times, on up to
// 2000 points, each time a page connects). Each run times one forward
// pass layer by layer instead, and the fastest time of each layer and of
// the loss is weighted by how often numgrad.LayersGradient runs it
// (numgrad.LayersGradientRuns). That is what the numerical gradient would
// take with none of its perturbations cut short, timed as backprop is, on
// the fastest runs. (On 2000 points, under a load of 15 on 2 cores, it
// gave 0.28 s and 0.52 s for ReLU and tanh, where whole numerical
// gradients took 0.34-1.16 s and 0.69-1.33 s.)
func (l *learner) timeGradients(budget time.Duration) (backprop, numerical time.Duration) {
	if l.train == nil {
		return 0, 0
	}
	idx := make([]int, min(l.cfg.Batch, l.train.Len()))
	for i := range idx {
		idx[i] = i
	}
	x, y := l.train.GatherTo(nil, nil, idx)
	repeat := func(run func()) {
		start := time.Now()
		for n := 0; n == 0 || (time.Since(start) < budget && n < 1000); n++ {
			run()
		}
	}
	backprop = time.Duration(math.MaxInt64)
	repeat(func() {
		t0 := time.Now()
		l.gradient(x, y, false)
		backprop = min(backprop, time.Since(t0))
	})
	layers := l.net.Layers
	best := make([]time.Duration, len(layers)+1) // the layers', then the loss's
	for i := range best {
		best[i] = time.Duration(math.MaxInt64)
	}
	repeat(func() {
		out := x
		for k, layer := range layers {
			t0 := time.Now()
			out = layer.Forward(out, true)
			best[k] = min(best[k], time.Since(t0))
		}
		t0 := time.Now()
		l.lossFn.Forward(out, y)
		best[len(layers)] = min(best[len(layers)], time.Since(t0))
	})
	runs, lossRuns := numgrad.LayersGradientRuns(layers)
	for k, n := range append(runs, lossRuns) {
		numerical += time.Duration(n) * best[k]
	}
	return backprop, numerical
}
