package experiment

import (
	"context"
	"fmt"
	"github.com/kiso-go/kiso/plot"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/tensor"
)

// OverfitOptions are the settings of Overfit.
type OverfitOptions struct {
	Common
	// Limit is the number of training images, TestLimit the number of
	// test images measured after every epoch.
	Limit, TestLimit int
	// Epochs, Batch and LR are the training: epochs of batches of Batch
	// cases, SGD with learning rate LR.
	Epochs, Batch int
	LR            float64
	// Hidden are the sizes of the ReLU hidden layers (He initialization).
	Hidden []int
	// WeightDecay is λ of the run with weight decay, Dropout the drop
	// rate of the run with dropout.
	WeightDecay, Dropout float64
}

// DefaultOverfit returns the book's settings (ch06/overfit_weight_decay.py
// and overfit_dropout.py): 300 training images, the 10000 test images,
// 200 epochs of batches of 100, SGD with lr 0.01, six hidden layers of 100
// ReLU units (seven layers of weights), λ = 0.1 and a dropout rate of 0.2.
func DefaultOverfit() OverfitOptions {
	return OverfitOptions{Limit: 300, TestLimit: mnistTest, Epochs: 200, Batch: 100, LR: 0.01,
		Hidden: []int{100, 100, 100, 100, 100, 100}, WeightDecay: 0.1, Dropout: 0.2}
}

// OverfitRun is one of the three trainings of Overfit.
type OverfitRun struct {
	Name        string  `json:"name"`
	WeightDecay float64 `json:"weight_decay"`
	Dropout     float64 `json:"dropout"`
	// TrainAcc and TestAcc are the accuracies at epoch 0 (before
	// training) and after every epoch.
	TrainAcc []float64 `json:"train_acc"`
	TestAcc  []float64 `json:"test_acc"`
	// Gap is the final training accuracy minus the final test accuracy.
	Gap      float64 `json:"gap"`
	Diverged bool    `json:"diverged,omitempty"`
}

// Final returns the last training and test accuracies.
func (r OverfitRun) Final() (train, test float64) {
	return r.TrainAcc[len(r.TrainAcc)-1], r.TestAcc[len(r.TestAcc)-1]
}

// OverfitResult is what Overfit measured.
type OverfitResult struct {
	Runs  []OverfitRun `json:"runs"`
	Files []string     `json:"files"`
}

// Overfit trains a deep network on few images three times, from the same
// weights on the same batches: without regularization, with weight decay
// and with dropout, and draws the training and test accuracy per epoch of
// each (accuracy figure and accuracy.csv), the book's figures 6-20 to 6-23.
// Without regularization the network learns its training images by heart
// while the test accuracy stays far behind; weight decay and dropout
// narrow the gap.
func Overfit(ctx context.Context, o OverfitOptions) (*OverfitResult, error) {
	if o.Limit < 1 || o.TestLimit < 1 || o.Epochs < 1 || o.Batch < 1 || !(o.LR > 0) || math.IsInf(o.LR, 0) ||
		len(o.Hidden) == 0 || !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0) || !(o.Dropout >= 0 && o.Dropout < 1) {
		return nil, fmt.Errorf("experiment: overfit: invalid options (limit %d, test limit %d, %d epochs, batch %d, lr %v, %d hidden layers, weight decay %v, dropout %v)",
			o.Limit, o.TestLimit, o.Epochs, o.Batch, o.LR, len(o.Hidden), o.WeightDecay, o.Dropout)
	}
	s, err := start(o.Common, 3*o.Epochs)
	if err != nil {
		return nil, err
	}
	if err := s.checkFigure("accuracy"); err != nil {
		return nil, err
	}
	trainSet, testSet, err := loadMNIST(o.MNIST, o.Limit, o.TestLimit, true)
	if err != nil {
		return nil, err
	}
	res := &OverfitResult{Runs: []OverfitRun{
		{Name: "no regularization"},
		{Name: fmt.Sprintf("weight decay %g", o.WeightDecay), WeightDecay: o.WeightDecay},
		{Name: fmt.Sprintf("dropout %g", o.Dropout), Dropout: o.Dropout},
	}}
	// Build draws each Dropout's seed between the weights of the layers
	// around it, so the runs copy their weights from one network.
	base, err := nn.Build[float32](nn.MLP(784, o.Hidden, 10, nn.ReLU, nn.MLPOptions{}), nn.He, stream(s.c.Seed, "weights"))
	if err != nil {
		return nil, err
	}
	// The runs share base's parameters, read once here: a Sequential
	// builds its parameter list at the first Params call, which must not
	// happen in several goroutines at once.
	baseParams := base.Params()
	err = parallel(ctx, len(res.Runs), func(ctx context.Context, i int) error {
		r := &res.Runs[i]
		spec := nn.MLP(784, o.Hidden, 10, nn.ReLU, nn.MLPOptions{Dropout: r.Dropout})
		net, err := nn.Build[float32](spec, nn.He, stream(s.c.Seed, "weights"))
		if err != nil {
			return err
		}
		copyParams(net, baseParams)
		opt := optim.NewSGD[float32](o.LR)
		opt.SetWeightDecay(r.WeightDecay)
		c, err := fit(ctx, net, opt, trainSet, testSet, o.Epochs, o.Batch, stream(s.c.Seed, "batches"),
			func(n int) { s.tick(r.Name, n) })
		if err != nil {
			return err
		}
		r.TrainAcc, r.TestAcc, r.Diverged = c.TrainAcc, c.TestAcc, c.Diverged
		tr, te := c.last()
		r.Gap = tr - te
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.writeOverfit(res, o); err != nil {
		return nil, err
	}
	res.Files = s.files
	return res, nil
}

// copyParams copies the values of the parameters s into dst's, which must
// be the same parameters in the same order.
func copyParams(dst nn.Layer[float32], s []*nn.Param[float32]) {
	d := dst.Params()
	if len(d) != len(s) {
		panic(fmt.Sprintf("experiment: copyParams: %d and %d parameters", len(d), len(s)))
	}
	for i := range d {
		if !tensor.SameShape(d[i].Value, s[i].Value) {
			panic(fmt.Sprintf("experiment: copyParams: %s is %v, %s is %v", d[i].Name, d[i].Value.Shape(), s[i].Name, s[i].Value.Shape()))
		}
		copy(d[i].Value.Data, s[i].Value.Data)
	}
}

// writeOverfit writes accuracy.csv and the accuracy figure.
func (s *session) writeOverfit(res *OverfitResult, o OverfitOptions) error {
	var rows [][]string
	epochs := epochAxis(o.Epochs + 1)
	chart := plot.PanelsOptions{
		Title: fmt.Sprintf("%d training images, %d layers: accuracy on the training and test images",
			o.Limit, len(o.Hidden)+1),
		XLabel: "epoch", YLabel: "accuracy", Cols: len(res.Runs), YMin: 0, YMax: 1, PanelW: 3.2, PanelH: 2.6,
		Lines: []string{"train", "test"},
	}
	for _, r := range res.Runs {
		for e := range epochs {
			rows = append(rows, []string{r.Name, itoa(e), num(r.TrainAcc[e]), num(r.TestAcc[e])})
		}
		chart.Panels = append(chart.Panels, plot.Panel{Title: r.Name, Lines: []plot.Series{{X: epochs, Y: r.TrainAcc}, {X: epochs, Y: r.TestAcc}}})
	}
	if err := s.writeCSV("accuracy.csv", []string{"run", "epoch", "train_acc", "test_acc"}, rows); err != nil {
		return err
	}
	return s.figure("accuracy", func(path string) error { return plot.Panels(path, chart) })
}
