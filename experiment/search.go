package experiment

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
)

// SearchOptions are the settings of Search.
type SearchOptions struct {
	Common
	// Limit is the number of MNIST training images used, of which ValFrac
	// are held out for validation.
	Limit   int
	ValFrac float64
	// Trials is the number of random trials, each training Epochs epochs
	// of batches of Batch cases with SGD.
	Trials, Epochs, Batch int
	// LRExp and DecayExp bound the exponents: the learning rate is 10^u
	// and the weight decay 10^v with u and v uniform in these ranges.
	LRExp, DecayExp [2]float64
	// Hidden are the sizes of the ReLU hidden layers (He initialization).
	Hidden []int
	// Show is the number of best trials whose curves are drawn.
	Show int
}

// DefaultSearch returns the book's settings
// (ch06/hyperparameter_optimization.py): 500 training images of which 20%
// validate, 100 trials of 50 epochs of batches of 100, learning rate
// 10^U(-6, -2), weight decay 10^U(-8, -4), six hidden layers of 100 ReLU
// units, the best 20 drawn.
func DefaultSearch() SearchOptions {
	return SearchOptions{Limit: 500, ValFrac: 0.2, Trials: 100, Epochs: 50, Batch: 100,
		LRExp: [2]float64{-6, -2}, DecayExp: [2]float64{-8, -4},
		Hidden: []int{100, 100, 100, 100, 100, 100}, Show: 20}
}

// Trial is one training of Search.
type Trial struct {
	// Index is the trial's number in the order drawn, from 1.
	Index       int     `json:"index"`
	LR          float64 `json:"lr"`
	WeightDecay float64 `json:"weight_decay"`
	// ValAcc and TrainAcc are the final accuracies on the validation and
	// training images.
	ValAcc   float64 `json:"val_acc"`
	TrainAcc float64 `json:"train_acc"`
	Diverged bool    `json:"diverged,omitempty"`
	// ValCurve and TrainCurve are the accuracies at epoch 0 and after
	// every epoch.
	ValCurve   []float64 `json:"-"`
	TrainCurve []float64 `json:"-"`
}

// SearchResult is what Search measured.
type SearchResult struct {
	// Trials are sorted by final validation accuracy, best first (trials
	// of equal accuracy in the order drawn).
	Trials     []Trial  `json:"trials"`
	Train, Val int      `json:"-"` // the numbers of training and validation images
	Files      []string `json:"files"`
}

// Search is random search over the learning rate and the weight decay
// (book §6.5): the first Limit training images are shuffled and split into
// training and validation images; each trial draws its hyperparameters,
// the weight decay then the learning rate as the book's script does, and
// trains the network from the same weights on the same batches. Its files:
// trials.csv (every trial, best first) and curves.csv (accuracy per
// epoch), the best figure (validation and training accuracy of the Show
// best trials), lr (validation accuracy against the learning rate) and
// space (the trials in the plane of the two hyperparameters, the best
// marked). The test images are never used.
func Search(ctx context.Context, o SearchOptions) (*SearchResult, error) {
	if o.Limit < 2 || !(o.ValFrac > 0 && o.ValFrac < 1) || o.Trials < 1 || o.Epochs < 1 || o.Batch < 1 ||
		!(o.LRExp[0] <= o.LRExp[1]) || !(o.DecayExp[0] <= o.DecayExp[1]) || math.IsInf(o.LRExp[1], 0) ||
		math.IsInf(o.DecayExp[1], 0) || math.IsInf(o.LRExp[0], 0) || math.IsInf(o.DecayExp[0], 0) ||
		len(o.Hidden) == 0 || o.Show < 0 {
		return nil, fmt.Errorf("experiment: search: invalid options (limit %d, validation %v, %d trials, %d epochs, batch %d, lr 10^%v, decay 10^%v, %d hidden layers, show %d)",
			o.Limit, o.ValFrac, o.Trials, o.Epochs, o.Batch, o.LRExp, o.DecayExp, len(o.Hidden), o.Show)
	}
	s, err := start(o.Common, o.Trials*o.Epochs)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"best", "lr", "space"} {
		if err := s.checkFigure(f); err != nil {
			return nil, err
		}
	}
	all, _, err := loadMNIST(o.MNIST, o.Limit, 1, true)
	if err != nil {
		return nil, err
	}
	trainSet, valSet := data.Split(all, o.ValFrac, stream(s.c.Seed, "split"))
	if trainSet.Len() == 0 || valSet.Len() == 0 {
		return nil, fmt.Errorf("experiment: search: %d images split %v leave an empty part", o.Limit, o.ValFrac)
	}
	trials := make([]Trial, o.Trials)
	r := stream(s.c.Seed, "hyperparameters")
	for i := range trials {
		// numpy's uniform(low, high) is low + (high-low)·u; the book
		// passes the bounds high first.
		decay := math.Pow(10, o.DecayExp[1]+(o.DecayExp[0]-o.DecayExp[1])*r.Float64())
		lr := math.Pow(10, o.LRExp[1]+(o.LRExp[0]-o.LRExp[1])*r.Float64())
		trials[i] = Trial{Index: i + 1, LR: lr, WeightDecay: decay}
	}
	spec := nn.MLP(784, o.Hidden, 10, nn.ReLU, nn.MLPOptions{})
	err = parallel(ctx, o.Trials, func(ctx context.Context, i int) error {
		t := &trials[i]
		net, err := nn.Build[float32](spec, nn.He, stream(s.c.Seed, "weights"))
		if err != nil {
			return err
		}
		opt := optim.NewSGD[float32](t.LR)
		opt.SetWeightDecay(t.WeightDecay)
		task := fmt.Sprintf("trial %d of %d", t.Index, o.Trials)
		c, err := fit(ctx, net, opt, trainSet, valSet, o.Epochs, o.Batch, stream(s.c.Seed, "batches"),
			func(n int) { s.tick(task, n) })
		if err != nil {
			return err
		}
		t.TrainCurve, t.ValCurve, t.Diverged = c.TrainAcc, c.TestAcc, c.Diverged
		t.TrainAcc, t.ValAcc = c.last()
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(trials, func(a, b Trial) int { return cmp.Compare(b.ValAcc, a.ValAcc) })
	res := &SearchResult{Trials: trials, Train: trainSet.Len(), Val: valSet.Len()}
	if err := s.writeSearch(res, o); err != nil {
		return nil, err
	}
	res.Files = s.files
	return res, nil
}

// writeSearch writes the CSV files and the figures of Search.
func (s *session) writeSearch(res *SearchResult, o SearchOptions) error {
	var rows, curveRows [][]string
	for rank, t := range res.Trials {
		rows = append(rows, []string{itoa(rank + 1), itoa(t.Index), num(t.LR), num(t.WeightDecay), num(t.ValAcc), num(t.TrainAcc)})
		for e := range t.ValCurve {
			curveRows = append(curveRows, []string{itoa(t.Index), itoa(e), num(t.TrainCurve[e]), num(t.ValCurve[e])})
		}
	}
	if err := s.writeCSV("trials.csv", []string{"rank", "trial", "lr", "weight_decay", "val_acc", "train_acc"}, rows); err != nil {
		return err
	}
	if err := s.writeCSV("curves.csv", []string{"trial", "epoch", "train_acc", "val_acc"}, curveRows); err != nil {
		return err
	}
	show := min(o.Show, len(res.Trials))
	epochs := epochAxis(o.Epochs + 1)
	chart := plot.PanelsOptions{
		Title:  fmt.Sprintf("The best %d of %d trials (%d training, %d validation images)", show, len(res.Trials), res.Train, res.Val),
		XLabel: "epoch", YLabel: "accuracy", Cols: 5, YMin: 0, YMax: 1,
		Lines: []string{"validation", "train"},
	}
	// Two series per figure: the best trials and the others.
	name := []string{fmt.Sprintf("best %d", show), "others"}
	byLR := []plot.Series{{Name: name[0]}, {Name: name[1]}}
	space := []plot.Series{{Name: name[0]}, {Name: name[1]}}
	for rank, t := range res.Trials {
		k := 1
		if rank < show {
			k = 0
			chart.Panels = append(chart.Panels, plot.Panel{
				Title: fmt.Sprintf("#%d lr %.1e, wd %.0e", rank+1, t.LR, t.WeightDecay),
				Lines: []plot.Series{{X: epochs, Y: t.ValCurve}, {X: epochs, Y: t.TrainCurve}},
			})
		}
		byLR[k].X, byLR[k].Y = append(byLR[k].X, t.LR), append(byLR[k].Y, t.ValAcc)
		space[k].X, space[k].Y = append(space[k].X, t.LR), append(space[k].Y, t.WeightDecay)
	}
	if show == 0 {
		byLR, space = byLR[1:], space[1:]
	} else if err := s.figure("best", func(path string) error { return plot.Panels(path, chart) }); err != nil {
		return err
	}
	err := s.figure("lr", func(path string) error {
		return plot.Scatter(path, plot.ChartOptions{
			Title:  fmt.Sprintf("Validation accuracy after %d epochs by learning rate", o.Epochs),
			XLabel: "learning rate", YLabel: "validation accuracy", LogX: true, Series: byLR,
		})
	})
	if err != nil {
		return err
	}
	return s.figure("space", func(path string) error {
		return plot.Scatter(path, plot.ChartOptions{
			Title:  "The trials' hyperparameters",
			XLabel: "learning rate", YLabel: "weight decay", LogX: true, LogY: true, Series: space,
		})
	})
}
