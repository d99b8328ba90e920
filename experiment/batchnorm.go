package experiment

import (
	"context"
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
)

// bookBatchNormEps is the ε of the book's BatchNormalization layer. At
// the smallest weight scales the variance of a layer's inputs is about
// 1e-6, below PyTorch's ε of 1e-5 (nn.BatchNormEps), which would then damp
// the normalization instead of undoing the scale; the book's ε does not.
const bookBatchNormEps = 1e-7

// BatchNormOptions are the settings of BatchNorm.
type BatchNormOptions struct {
	Common
	// Scales is the number of initial weight scales (standard
	// deviations), spaced evenly in log scale from 1 down to 1e-4.
	Scales int
	// Epochs, Batch and LR are the training: epochs of batches of Batch
	// cases, SGD with learning rate LR.
	Epochs, Batch int
	LR            float64
	// Limit is the number of training images.
	Limit int
	// Hidden are the sizes of the ReLU hidden layers.
	Hidden []int
}

// DefaultBatchNorm returns the book's settings (ch06/batch_norm_test.py):
// 16 scales, 20 epochs of 1000 training images in batches of 100, SGD
// with lr 0.01, five hidden layers of 100 ReLU units.
func DefaultBatchNorm() BatchNormOptions {
	return BatchNormOptions{Scales: 16, Epochs: 20, Batch: 100, LR: 0.01, Limit: 1000, Hidden: []int{100, 100, 100, 100, 100}}
}

// BatchNormRun is the pair of runs from one weight scale.
type BatchNormRun struct {
	Scale float64 `json:"scale"`
	// BN and Plain are the training accuracies with and without batch
	// norm at epoch 0 (before training) and after every epoch.
	BN    []float64 `json:"bn"`
	Plain []float64 `json:"plain"`
	// DivergedBN and DivergedPlain tell a run whose loss became NaN or
	// infinite; its accuracy is that of the network where it stopped.
	DivergedBN    bool `json:"diverged_bn,omitempty"`
	DivergedPlain bool `json:"diverged_plain,omitempty"`
}

// BatchNormResult is what BatchNorm measured.
type BatchNormResult struct {
	Runs []BatchNormRun `json:"runs"`
	// MeanBN and MeanPlain are the final training accuracies averaged
	// over the scales.
	MeanBN    float64  `json:"mean_bn"`
	MeanPlain float64  `json:"mean_plain"`
	Files     []string `json:"files"`
}

// Scales returns n weight scales evenly spaced in log scale from 1 down to
// 1e-4, np.logspace(0, -4, n); one scale is 1.
func Scales(n int) []float64 {
	if n == 1 {
		return []float64{1}
	}
	s := make([]float64, n)
	for i := range s {
		s[i] = math.Pow(10, -4*float64(i)/float64(n-1))
	}
	return s
}

// BatchNorm trains the network with and without batch normalization
// (between each hidden Linear and its ReLU, as the book's
// MultiLayerNetExtend) from weights of each scale, the two runs of a scale
// from the same weights on the same batches, and draws their training
// accuracy per epoch in a panel per scale (curves figure; curves.csv) and
// the final accuracies against the scale (final figure), the book's figure
// 6-19. Batch norm uses the book's ε (bookBatchNormEps). The accuracy is measured on the whole training set in evaluation
// mode (batch norm with its running statistics), as the book's is.
func BatchNorm(ctx context.Context, o BatchNormOptions) (*BatchNormResult, error) {
	if o.Scales < 1 || o.Epochs < 1 || o.Batch < 1 || !(o.LR > 0) || math.IsInf(o.LR, 0) || o.Limit < 1 || len(o.Hidden) == 0 {
		return nil, fmt.Errorf("experiment: batchnorm: invalid options (%d scales, %d epochs, batch %d, lr %v, limit %d, %d hidden layers)",
			o.Scales, o.Epochs, o.Batch, o.LR, o.Limit, len(o.Hidden))
	}
	s, err := start(o.Common, 2*o.Scales*o.Epochs)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"curves", "final"} {
		if err := s.checkFigure(f); err != nil {
			return nil, err
		}
	}
	trainSet, _, err := loadMNIST(o.MNIST, o.Limit, 1, true)
	if err != nil {
		return nil, err
	}
	scales := Scales(o.Scales)
	res := &BatchNormResult{Runs: make([]BatchNormRun, o.Scales)}
	err = parallel(ctx, 2*o.Scales, func(ctx context.Context, i int) error {
		scale, bn := scales[i/2], i%2 == 0
		task := fmt.Sprintf("scale %.3g, without batch norm", scale)
		if bn {
			task = fmt.Sprintf("scale %.3g, batch norm", scale)
		}
		spec := nn.MLP(784, o.Hidden, 10, nn.ReLU, nn.MLPOptions{BatchNorm: bn})
		net, err := nn.Build[float32](spec, nn.Normal(scale), stream(s.c.Seed, "weights"))
		if err != nil {
			return err
		}
		for _, l := range net.Layers {
			if b, ok := l.(*nn.BatchNorm[float32]); ok {
				b.Eps = bookBatchNormEps
			}
		}
		c, err := fit(ctx, net, optim.NewSGD[float32](o.LR), trainSet, nil, o.Epochs, o.Batch,
			stream(s.c.Seed, "batches"), func(n int) { s.tick(task, n) })
		if err != nil {
			return err
		}
		r := &res.Runs[i/2] // the two goroutines of a scale write different fields
		if bn {
			r.BN, r.DivergedBN = c.TrainAcc, c.Diverged
		} else {
			r.Plain, r.DivergedPlain = c.TrainAcc, c.Diverged
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range res.Runs {
		r := &res.Runs[i]
		r.Scale = scales[i]
		res.MeanBN += r.BN[o.Epochs] / float64(o.Scales)
		res.MeanPlain += r.Plain[o.Epochs] / float64(o.Scales)
	}
	if err := s.writeBatchNorm(res, o); err != nil {
		return nil, err
	}
	res.Files = s.files
	return res, nil
}

// writeBatchNorm writes curves.csv and the two figures.
func (s *session) writeBatchNorm(res *BatchNormResult, o BatchNormOptions) error {
	var rows [][]string
	epochs := epochAxis(o.Epochs + 1)
	chart := plot.PanelsOptions{
		Title:  fmt.Sprintf("Training accuracy by initial weight std (%d images, SGD lr %g)", o.Limit, o.LR),
		XLabel: "epoch", YLabel: "accuracy", Cols: 4, YMin: 0, YMax: 1,
		Lines: []string{"with batch norm", "without"},
	}
	final := []plot.Series{{Name: "with batch norm"}, {Name: "without"}}
	for _, r := range res.Runs {
		for e := range epochs {
			rows = append(rows, []string{num(r.Scale), itoa(e), num(r.BN[e]), num(r.Plain[e])})
		}
		chart.Panels = append(chart.Panels, plot.Panel{
			Title: fmt.Sprintf("std %.3g", r.Scale),
			Lines: []plot.Series{{X: epochs, Y: r.BN}, {X: epochs, Y: r.Plain}},
		})
		final[0].X, final[0].Y = append(final[0].X, r.Scale), append(final[0].Y, r.BN[o.Epochs])
		final[1].X, final[1].Y = append(final[1].X, r.Scale), append(final[1].Y, r.Plain[o.Epochs])
	}
	if err := s.writeCSV("curves.csv", []string{"scale", "epoch", "batchnorm", "plain"}, rows); err != nil {
		return err
	}
	if err := s.figure("curves", func(path string) error { return plot.Panels(path, chart) }); err != nil {
		return err
	}
	return s.figure("final", func(path string) error {
		return plot.Curve(path, plot.ChartOptions{
			Title:  fmt.Sprintf("Training accuracy after %d epochs by initial weight std", o.Epochs),
			XLabel: "initial weight std", YLabel: "accuracy", LogX: true, Series: final,
		})
	})
}
