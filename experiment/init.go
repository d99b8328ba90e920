package experiment

import (
	"context"
	"fmt"
	"math"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/tensor"
)

// InitOptions are the settings of Init.
type InitOptions struct {
	Common
	// Steps, Batch and LR are the MNIST training: steps of Batch cases,
	// SGD with learning rate LR.
	Steps, Batch int
	LR           float64
	// Limit, if positive, keeps only the first Limit training images and
	// the first Limit test images.
	Limit int
	// Hidden are the sizes of the MNIST network's ReLU hidden layers.
	Hidden []int
	// Samples cases of Width standard normal features go through Layers
	// layers of Width units (no bias) for the activation histograms.
	Samples, Width, Layers int
}

// DefaultInit returns the book's settings (ch06/weight_init_compare.py and
// weight_init_activation_histogram.py): 2000 SGD steps (lr 0.01) of 128
// images through four hidden layers of 100 ReLU units; 1000 cases of 100
// features through 5 layers of 100 for the histograms.
func DefaultInit() InitOptions {
	return InitOptions{Steps: 2000, Batch: 128, LR: 0.01, Hidden: []int{100, 100, 100, 100},
		Samples: 1000, Width: 100, Layers: 5}
}

// histInits are the initializers of the activation histograms and
// mnistInits those of the MNIST comparison, as in the book.
var (
	histInits  = []nn.Init{nn.Normal(1), nn.Normal(0.01), nn.Xavier, nn.He}
	mnistInits = []nn.Init{nn.Normal(0.01), nn.Xavier, nn.He}
)

// initName is how an initializer is called in files and figures.
func initName(i nn.Init) string {
	switch i.String() {
	case "xavier":
		return "Xavier"
	case "he":
		return "He"
	}
	return "std " + i.String()
}

// LayerStats describes the activations of one layer of the histogram
// network.
type LayerStats struct {
	Activation string  `json:"activation"`
	Init       string  `json:"init"`
	Layer      int     `json:"layer"` // from 1
	Mean       float64 `json:"mean"`
	Std        float64 `json:"std"`
	// Zero is the fraction of activations that are exactly 0 (ReLU's
	// inactive units); Saturated the fraction of sigmoid outputs below
	// 0.01 or above 0.99, where its gradient vanishes (0 for ReLU).
	Zero      float64 `json:"zero"`
	Saturated float64 `json:"saturated"`
}

// InitResult is what Init measured.
type InitResult struct {
	MNIST       []OptimizerRun `json:"mnist"` // one per initializer, Name is the initializer
	Activations []LayerStats   `json:"activations"`
	Files       []string       `json:"files"`
}

// Init compares weight initializations as the book's section 6.2 does.
// First, Samples Gaussian cases go through Layers layers of Width units,
// sigmoid and then ReLU, with weights of std 1, std 0.01, Xavier and He:
// a histogram per layer of the activations (hist_ACT_INIT figures;
// the counts in activations.csv) shows them saturate, collapse or keep
// their spread. For ReLU the exact zeros (half of the units, whatever the
// weights) are left out of the histograms, so that the spread of the others
// shows. Then the MNIST network is trained from std 0.01, Xavier and He
// weights on the same batches (loss figure and loss.csv).
//
// The histograms are computed in float64, every configuration from the
// same input and the same standard normal draws scaled to its std.
func Init(ctx context.Context, o InitOptions) (*InitResult, error) {
	if o.Steps < 1 || o.Batch < 1 || !(o.LR > 0) || math.IsInf(o.LR, 0) || o.Limit < 0 || len(o.Hidden) == 0 ||
		o.Samples < 1 || o.Width < 1 || o.Layers < 1 {
		return nil, fmt.Errorf("experiment: init: invalid options (steps %d, batch %d, lr %v, limit %d, %d hidden layers, histograms %d×%d through %d layers)",
			o.Steps, o.Batch, o.LR, o.Limit, len(o.Hidden), o.Samples, o.Width, o.Layers)
	}
	s, err := start(o.Common, len(mnistInits)*o.Steps)
	if err != nil {
		return nil, err
	}
	if err := s.checkFigure("loss"); err != nil {
		return nil, err
	}
	res := &InitResult{}
	if res.Activations, err = s.histograms(o); err != nil {
		return nil, err
	}
	trainSet, testSet, err := loadMNIST(o.MNIST, o.Limit, o.Limit, true)
	if err != nil {
		return nil, err
	}
	spec := nn.MLP(784, o.Hidden, 10, nn.ReLU, nn.MLPOptions{})
	res.MNIST = make([]OptimizerRun, len(mnistInits))
	err = parallel(ctx, len(mnistInits), func(ctx context.Context, i int) error {
		r, err := trainSteps(ctx, s, initName(mnistInits[i]), spec, mnistInits[i], optim.NewSGD[float32](o.LR),
			trainSet, testSet, o.Steps, o.Batch)
		if err != nil {
			return err
		}
		r.LR = o.LR
		res.MNIST[i] = *r
		return nil
	})
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("MNIST training loss by weight initialization (ReLU, SGD lr %g, smoothed)", o.LR)
	if err := s.writeLossCurves("loss", title, res.MNIST); err != nil {
		return nil, err
	}
	res.Files = s.files
	return res, nil
}

// histBins is the number of bins of the activation histograms, over
// [0, 1] (the book's plt.hist(a, 30, range=(0, 1))).
const histBins = 30

// histograms draws the activation histograms and writes activations.csv.
func (s *session) histograms(o InitOptions) ([]LayerStats, error) {
	x := tensor.RandN[float64](stream(s.c.Seed, "histogram input"), 1, o.Samples, o.Width)
	var stats []LayerStats
	var rows [][]string
	for _, act := range []nn.Func{nn.Sigmoid, nn.ReLU} {
		for _, init := range histInits {
			// The same draws for every configuration: only the scale
			// and the activation differ.
			r := stream(s.c.Seed, "histogram weights")
			a := x
			panels := make([][]float64, o.Layers)
			titles := make([]string, o.Layers)
			for l := range o.Layers {
				lin := nn.NewLinear[float64](o.Width, o.Width)
				lin.Reset(init, r)
				a = nn.NewActivation[float64](act).Forward(lin.Forward(a, false), false)
				st := layerStats(a.Data, act == nn.Sigmoid)
				st.Activation, st.Init, st.Layer = act.String(), initName(init), l+1
				stats = append(stats, st)
				panels[l] = a.Data
				if act == nn.ReLU {
					panels[l] = nonZero(a.Data)
				}
				titles[l] = fmt.Sprintf("layer %d", l+1)
				for b, c := range binCount(panels[l], histBins) {
					lo, hi := float64(b)/histBins, float64(b+1)/histBins
					rows = append(rows, []string{act.String(), initName(init), itoa(l + 1), num(lo), num(hi), itoa(c)})
				}
			}
			xlabel := "activation"
			if act == nn.ReLU {
				xlabel = "activation (zeros left out)"
			}
			base := fmt.Sprintf("hist_%s_%s", act, fileInit(init))
			err := s.figure(base, func(path string) error {
				return plot.Histograms(path, plot.HistogramOptions{
					Title:  fmt.Sprintf("%s activations per layer, weights %s", act, initName(init)),
					Panels: panels, Titles: titles, XLabel: xlabel, Bins: histBins, Lo: 0, Hi: 1,
				})
			})
			if err != nil {
				return nil, err
			}
		}
	}
	header := []string{"activation", "init", "layer", "bin_lo", "bin_hi", "count"}
	return stats, s.writeCSV("activations.csv", header, rows)
}

// fileInit is an initializer's name in file names: "std1", "std0.01",
// "xavier", "he".
func fileInit(i nn.Init) string {
	switch n := i.String(); n {
	case "xavier", "he":
		return n
	default:
		return "std" + n
	}
}

// layerStats returns the mean, standard deviation and the fractions of
// zeros and, if sigmoid, of saturated values of a.
func layerStats(a []float64, sigmoid bool) LayerStats {
	var sum, sq float64
	var zero, sat int
	for _, v := range a {
		sum += v
		if v == 0 {
			zero++
		}
		if sigmoid && (v < 0.01 || v > 0.99) {
			sat++
		}
	}
	n := float64(len(a))
	mean := sum / n
	for _, v := range a {
		sq += (v - mean) * (v - mean)
	}
	return LayerStats{Mean: mean, Std: math.Sqrt(sq / n), Zero: float64(zero) / n, Saturated: float64(sat) / n}
}

// nonZero returns the values of a that are not 0.
func nonZero(a []float64) []float64 {
	var out []float64
	for _, v := range a {
		if v != 0 {
			out = append(out, v)
		}
	}
	return out
}

// binCount counts the values of a in n equal bins over [0, 1] (1 in the
// last), as the histograms do; values outside are not counted.
func binCount(a []float64, n int) []int {
	c := make([]int, n)
	for _, v := range a {
		if v >= 0 && v <= 1 {
			c[min(int(v*float64(n)), n-1)]++
		}
	}
	return c
}
