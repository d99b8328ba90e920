package experiment

import (
	"context"
	"fmt"
	"math"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

// bookOptimizers are the optimizers the book compares, with its learning
// rates on f (ch06/optimizer_compare_naive.py) and on MNIST
// (ch06/optimizer_compare_mnist.py, each optimizer's default).
var bookOptimizers = []struct {
	name            string
	pathLR, mnistLR float64
}{
	{"SGD", 0.95, 0.01},
	{"Momentum", 0.1, 0.01},
	{"AdaGrad", 1.5, 0.01},
	{"Adam", 0.3, 0.001},
}

// PathStart is where the optimizers' paths on PathF start, the book's
// (-7, 2).
var PathStart = [2]float64{-7, 2}

// PathF is the function of the book's figure 6-8, f(x, y) = x²/20 + y²:
// a bowl twenty times steeper along y than along x, minimum 0 at (0, 0).
func PathF(x, y float64) float64 { return x*x/20 + y*y }

// OptimizersOptions are the settings of Optimizers.
type OptimizersOptions struct {
	Common
	// PathSteps is the number of updates on PathF from PathStart.
	PathSteps int
	// Steps and Batch are the number of MNIST training steps and the
	// cases per step.
	Steps, Batch int
	// Limit, if positive, keeps only the first Limit training images and
	// the first Limit test images.
	Limit int
	// Hidden are the sizes of the network's ReLU hidden layers (He
	// initialization, as the book's MultiLayerNet).
	Hidden []int
}

// DefaultOptimizers returns the book's settings: 30 updates on f, and
// 2000 steps of 128 MNIST images through a network of four hidden layers
// of 100 ReLU units (five layers of weights, the book's
// MultiLayerNet(784, [100]*4, 10)).
func DefaultOptimizers() OptimizersOptions {
	return OptimizersOptions{PathSteps: 30, Steps: 2000, Batch: 128, Hidden: []int{100, 100, 100, 100}}
}

// OptimizerPath is the path of one optimizer on PathF: PathSteps+1 points
// from PathStart on.
type OptimizerPath struct {
	Name string    `json:"name"`
	LR   float64   `json:"lr"`
	X    []float64 `json:"x"`
	Y    []float64 `json:"y"`
}

// End returns the last point of the path and the value of PathF there.
func (p OptimizerPath) End() (x, y, f float64) {
	x, y = p.X[len(p.X)-1], p.Y[len(p.Y)-1]
	return x, y, PathF(x, y)
}

// OptimizerRun is one optimizer's MNIST training.
type OptimizerRun struct {
	Name string  `json:"name"`
	LR   float64 `json:"lr"`
	// FinalLoss is the mean training loss of the last 10% of the steps.
	FinalLoss float64 `json:"final_loss"`
	// TestAcc is the accuracy on the test images after training.
	TestAcc float64 `json:"test_acc"`
	// Losses holds the loss of every step.
	Losses []float64 `json:"-"`
}

// OptimizersResult is what Optimizers measured.
type OptimizersResult struct {
	Paths []OptimizerPath `json:"paths"`
	MNIST []OptimizerRun  `json:"mnist"`
	Files []string        `json:"files"`
}

// OptimizerPaths returns the paths of SGD, Momentum, AdaGrad and Adam
// (optim's, with the book's learning rates 0.95, 0.1, 1.5 and 0.3) over
// steps updates on PathF from PathStart, computed in float64 with the
// exact gradient (x/10, 2y).
func OptimizerPaths(steps int) []OptimizerPath {
	paths := make([]OptimizerPath, len(bookOptimizers))
	for i, b := range bookOptimizers {
		opt, err := optim.New[float64](b.name, b.pathLR)
		if err != nil {
			panic("experiment: " + err.Error()) // unreachable: the names are optim's
		}
		p := nn.NewParam("xy", tensor.FromSlice([]float64{PathStart[0], PathStart[1]}, 2), false)
		path := OptimizerPath{Name: b.name, LR: b.pathLR, X: []float64{PathStart[0]}, Y: []float64{PathStart[1]}}
		for range steps {
			x, y := p.Value.Data[0], p.Value.Data[1]
			p.Grad.Data[0], p.Grad.Data[1] = x/10, 2*y
			opt.Step([]*nn.Param[float64]{p})
			path.X = append(path.X, p.Value.Data[0])
			path.Y = append(path.Y, p.Value.Data[1])
		}
		paths[i] = path
	}
	return paths
}

// Optimizers draws the paths of SGD, Momentum, AdaGrad and Adam on PathF
// over its contour lines (paths.png, paths.csv) and trains the same
// network on MNIST with each, from the same initial weights on the same
// batches, plotting the smoothed loss curves (loss.png; every step's loss in
// loss.csv), as the book's figures 6-8 and 6-9 do.
func Optimizers(ctx context.Context, o OptimizersOptions) (*OptimizersResult, error) {
	if o.PathSteps < 1 || o.Steps < 1 || o.Batch < 1 || o.Limit < 0 || len(o.Hidden) == 0 {
		return nil, fmt.Errorf("experiment: optimizers: invalid options (path steps %d, steps %d, batch %d, limit %d, %d hidden layers)",
			o.PathSteps, o.Steps, o.Batch, o.Limit, len(o.Hidden))
	}
	s, err := start(o.Common, len(bookOptimizers)*o.Steps)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"paths", "loss"} {
		if err := s.checkFigure(f); err != nil {
			return nil, err
		}
	}
	res := &OptimizersResult{Paths: OptimizerPaths(o.PathSteps)}
	if err := s.writePaths(res.Paths); err != nil {
		return nil, err
	}
	trainSet, testSet, err := loadMNIST(o.MNIST, o.Limit, o.Limit, true)
	if err != nil {
		return nil, err
	}
	spec := nn.MLP(784, o.Hidden, 10, nn.ReLU, nn.MLPOptions{})
	res.MNIST = make([]OptimizerRun, len(bookOptimizers))
	err = parallel(ctx, len(bookOptimizers), func(ctx context.Context, i int) error {
		b := bookOptimizers[i]
		opt, err := optim.New[float32](b.name, b.mnistLR)
		if err != nil {
			return err
		}
		r, err := trainSteps(ctx, s, b.name, spec, nn.He, opt, trainSet, testSet, o.Steps, o.Batch)
		if err != nil {
			return err
		}
		r.LR = b.mnistLR
		res.MNIST[i] = *r
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.writeLossCurves("loss", "MNIST training loss by optimizer (smoothed)", res.MNIST); err != nil {
		return nil, err
	}
	res.Files = s.files
	return res, nil
}

// trainSteps builds spec with init from the "weights" stream and trains it
// with opt for steps batches from the "batches" stream, then tests it.
// Every run of an experiment thus starts from the same draws.
func trainSteps(ctx context.Context, s *session, name string, spec nn.Spec, init nn.Init, opt optim.Optimizer[float32],
	trainSet, testSet *data.Set[float32], steps, batch int) (*OptimizerRun, error) {
	net, err := nn.Build[float32](spec, init, stream(s.c.Seed, "weights"))
	if err != nil {
		return nil, err
	}
	ld := data.NewLoader(trainSet, batch, stream(s.c.Seed, "batches"))
	ld.DropLast = trainSet.Len() >= batch
	losses, err := stepTrain(ctx, name, net, opt, ld, steps, func(n int) { s.tick(name, n) })
	if err != nil {
		return nil, err
	}
	m, err := train.Evaluate(ctx, net, &loss.SoftmaxCrossEntropy[float32]{}, testSet, evalBatch)
	if err != nil {
		return nil, err
	}
	return &OptimizerRun{Name: name, FinalLoss: tailMean(losses, 0.1), TestAcc: m.Accuracy, Losses: losses}, nil
}

// tailMean returns the mean of the last frac of xs (at least one value).
func tailMean(xs []float64, frac float64) float64 {
	n := max(1, int(math.Round(frac*float64(len(xs)))))
	var sum float64
	for _, v := range xs[len(xs)-n:] {
		sum += v
	}
	return sum / float64(n)
}

// writePaths writes paths.csv and the contour figure paths.
func (s *session) writePaths(paths []OptimizerPath) error {
	var rows [][]string
	cps := make([]plot.Path, len(paths))
	for i, p := range paths {
		for k := range p.X {
			rows = append(rows, []string{p.Name, itoa(k), num(p.X[k]), num(p.Y[k]), num(PathF(p.X[k], p.Y[k]))})
		}
		cps[i] = plot.Path{Name: fmt.Sprintf("%s (lr %g)", p.Name, p.LR), X: p.X, Y: p.Y}
	}
	if err := s.writeCSV("paths.csv", []string{"optimizer", "step", "x", "y", "f"}, rows); err != nil {
		return err
	}
	return s.figure("paths", func(path string) error {
		return plot.Contour(path, plot.ContourOptions{
			Title: fmt.Sprintf("f(x, y) = x²/20 + y² from (%g, %g), %d updates", PathStart[0], PathStart[1], len(paths[0].X)-1),
			F:     PathF, XMin: -10, XMax: 10, YMin: -5, YMax: 5,
			Paths: cps, Marks: [][2]float64{{0, 0}}, Cols: 2,
		})
	})
}

// writeLossCurves writes base.csv with every step's loss of each run, and
// the figure base with the curves smoothed as the book's.
func (s *session) writeLossCurves(base, title string, runs []OptimizerRun) error {
	header := []string{"step"}
	for _, r := range runs {
		header = append(header, r.Name)
	}
	steps := len(runs[0].Losses)
	rows := make([][]string, steps)
	for k := range rows {
		row := []string{itoa(k + 1)}
		for _, r := range runs {
			row = append(row, num(r.Losses[k]))
		}
		rows[k] = row
	}
	if err := s.writeCSV(base+".csv", header, rows); err != nil {
		return err
	}
	xs := epochAxis(steps + 1)[1:]
	series := make([]plot.Series, len(runs))
	for i, r := range runs {
		series[i] = plot.Series{Name: r.Name, X: xs, Y: smooth(r.Losses)}
	}
	return s.figure(base, func(path string) error {
		return plot.Curve(path, plot.ChartOptions{Title: title, XLabel: "step", YLabel: "loss", Series: series})
	})
}
