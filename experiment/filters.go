package experiment

import (
	"context"
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
)

// FiltersOptions are the settings of Filters.
type FiltersOptions struct {
	Common
	// Limit and TestLimit are the numbers of training and test images (0
	// meaning all).
	Limit, TestLimit int
	// Epochs, Batch and LR are the training: epochs of batches of Batch
	// images, Adam with learning rate LR.
	Epochs, Batch int
	LR            float64
	// InitStd is the standard deviation of the initial weights.
	InitStd float64
}

// DefaultFilters returns the book's settings (ch07/train_convnet.py:
// Adam with lr 0.001, batches of 100, weights of std 0.01) on a subset: 3
// epochs of 10000 training images rather than 20 of 60000, which gives
// filters of the same kind in a few minutes; the 10000 test images.
func DefaultFilters() FiltersOptions {
	return FiltersOptions{Limit: 10000, Epochs: 3, Batch: 100, LR: 0.001, InitStd: 0.01}
}

// FiltersResult is what Filters measured.
type FiltersResult struct {
	// TrainAcc and TestAcc are the accuracies after training.
	TrainAcc float64 `json:"train_acc"`
	TestAcc  float64 `json:"test_acc"`
	// Before and After are the 30 filters of 5×5 weights, row-major,
	// before and after training.
	Before [][]float64 `json:"-"`
	After  [][]float64 `json:"-"`
	Files  []string    `json:"files"`
}

// Filters trains the book's SimpleConvNet on MNIST and draws the 30 5×5
// filters of its first layer before training (random noise) and after
// (edge and blob detectors), the book's figure 7-24: before and after
// figures, the weights in filters.csv, accuracy per epoch in history.csv.
// Each filter is drawn in its own range, dark for its largest weights (ink
// on paper, as the book shows them).
func Filters(ctx context.Context, o FiltersOptions) (*FiltersResult, error) {
	if o.Limit < 0 || o.TestLimit < 0 || o.Epochs < 1 || o.Batch < 1 || !(o.LR > 0) || math.IsInf(o.LR, 0) ||
		!(o.InitStd > 0) || math.IsInf(o.InitStd, 0) {
		return nil, fmt.Errorf("experiment: filters: invalid options (limit %d, test limit %d, %d epochs, batch %d, lr %v, init std %v)",
			o.Limit, o.TestLimit, o.Epochs, o.Batch, o.LR, o.InitStd)
	}
	s, err := start(o.Common, o.Epochs)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"before", "after"} {
		if err := s.checkFigure(f); err != nil {
			return nil, err
		}
	}
	trainSet, testSet, err := loadMNIST(o.MNIST, o.Limit, o.TestLimit, false)
	if err != nil {
		return nil, err
	}
	net, err := nn.Build[float32](nn.SimpleConvNet(), nn.Normal(o.InitStd), stream(s.c.Seed, "weights"))
	if err != nil {
		return nil, err
	}
	conv := net.Layers[0].(*nn.Conv2D[float32])
	res := &FiltersResult{Before: filterImages(conv)}
	c, err := fit(ctx, net, optim.NewAdam[float32](o.LR, optim.DefaultBeta1, optim.DefaultBeta2), trainSet, testSet,
		o.Epochs, o.Batch, stream(s.c.Seed, "batches"), func(n int) { s.tick("SimpleConvNet", n) })
	if err != nil {
		return nil, err
	}
	if c.Diverged {
		return nil, fmt.Errorf("experiment: filters: training diverged (try a smaller learning rate)")
	}
	res.After = filterImages(conv)
	res.TrainAcc, res.TestAcc = c.last()
	if err := s.writeHistory(c); err != nil {
		return nil, err
	}
	g := conv.Window()
	var rows [][]string
	for f := range res.Before {
		for k := range res.Before[f] {
			rows = append(rows, []string{itoa(f), itoa(k / g.W), itoa(k % g.W), num(res.Before[f][k]), num(res.After[f][k])})
		}
	}
	if err := s.writeCSV("filters.csv", []string{"filter", "row", "col", "before", "after"}, rows); err != nil {
		return nil, err
	}
	for _, fig := range []struct {
		base, title string
		images      [][]float64
	}{
		{"before", fmt.Sprintf("First-layer filters before training (std %g)", o.InitStd), res.Before},
		{"after", fmt.Sprintf("After %s on %d images: test accuracy %.1f%%", plural(o.Epochs, "epoch"), trainSet.Len(), 100*res.TestAcc), res.After},
	} {
		err := s.figure(fig.base, func(path string) error {
			return plot.ImageGrid(path, plot.ImageGridOptions{
				Title: fig.title, Images: fig.images, H: g.H, W: g.W, Cols: 10, Colormap: plot.InvertedGray,
			})
		})
		if err != nil {
			return nil, err
		}
	}
	res.Files = s.files
	return res, nil
}

// plural returns "1 epoch", "3 epochs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// filterImages returns a copy of the weights of each filter of c that sees
// the first input channel, as float64.
func filterImages(c *nn.Conv2D[float32]) [][]float64 {
	w := c.W.Value.Data
	g := c.Window()
	size := g.H * g.W
	out := make([][]float64, c.Out())
	for f := range out {
		out[f] = make([]float64, size)
		off := f * c.In() * size
		for k := range size {
			out[f][k] = float64(w[off+k])
		}
	}
	return out
}

// writeHistory writes history.csv: the training and test accuracy and
// loss at epoch 0 and after every epoch.
func (s *session) writeHistory(c *curves) error {
	rows := make([][]string, len(c.TrainAcc))
	for e := range rows {
		rows[e] = []string{itoa(e), num(c.TrainLoss[e]), num(c.TrainAcc[e]), num(c.TestLoss[e]), num(c.TestAcc[e])}
	}
	return s.writeCSV("history.csv", []string{"epoch", "train_loss", "train_acc", "test_loss", "test_acc"}, rows)
}
