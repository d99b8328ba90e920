package experiment

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

// MistakesOptions are the settings of Mistakes.
type MistakesOptions struct {
	Common
	// Net is the network trained: "mlp" (784-100-10, ReLU, He weights) or
	// "simpleconvnet" (the book's SimpleConvNet, weights of std 0.01).
	Net string
	// Limit is the number of training images (0 meaning all); every test
	// image is classified.
	Limit int
	// Epochs, Batch and LR are the training: epochs of batches of Batch
	// images, Adam with learning rate LR.
	Epochs, Batch int
	LR            float64
	// Show is the number of misclassified digits drawn, the first ones in
	// the test set's order.
	Show int
	// Trained, if not nil, is examined instead of a network trained here;
	// Net, Limit, Epochs, Batch and LR are then unused, and no history.csv
	// is written.
	Trained *Trained
}

// Trained is a network trained elsewhere, for example one read with
// model.Load, whose mistakes Mistakes draws.
type Trained struct {
	// Net maps a batch of MNIST images to 10 logits per image.
	Net *nn.Sequential[float32]
	// Input is the shape of one image as Net takes it: [784] (flattened)
	// or [1 28 28].
	Input []int
	// Title names the network in the figure ("mnist.kiso").
	Title string
}

// DefaultMistakes returns quick settings: the MLP trained for 5 epochs on
// all 60000 training images with Adam (lr 0.001, batches of 100), the
// first 40 mistakes drawn.
func DefaultMistakes() MistakesOptions {
	return MistakesOptions{Net: "mlp", Epochs: 5, Batch: 100, LR: 0.001, Show: 40}
}

// netTitles name the networks of Mistakes in figures.
var netTitles = map[string]string{"mlp": "MLP 784-100-10", "simpleconvnet": "SimpleConvNet"}

// Mistake is one misclassified test digit.
type Mistake struct {
	// Index is the digit's position in the MNIST test set, from 0.
	Index int `json:"index"`
	Label int `json:"label"`
	Pred  int `json:"pred"`
	// Prob is the probability the network gave its prediction.
	Prob float64 `json:"prob"`
}

// Confusion counts the test digits of one label predicted as another.
type Confusion struct {
	Label int `json:"label"`
	Pred  int `json:"pred"`
	Count int `json:"count"`
}

// MistakesResult is what Mistakes measured.
type MistakesResult struct {
	// Net names the network: MistakesOptions.Net, or Trained.Title.
	Net     string  `json:"net"`
	TestAcc float64 `json:"test_acc"`
	// Mistakes holds every misclassified test digit in test-set order.
	Mistakes []Mistake `json:"mistakes"`
	// Confusions are the most frequent (label, prediction) pairs among
	// the mistakes, most frequent first, at most 5.
	Confusions []Confusion `json:"confusions"`
	Files      []string    `json:"files"`
}

// Mistakes trains a network on MNIST and draws the first Show test digits
// it gets wrong, each captioned "label → prediction" (the mistakes figure),
// listing all of them in mistakes.csv with the probability the network gave
// its wrong answer, and the accuracy per epoch in history.csv.
//
// With o.Trained set it trains nothing and examines that network instead.
func Mistakes(ctx context.Context, o MistakesOptions) (*MistakesResult, error) {
	if o.Trained != nil {
		return examineTrained(ctx, o)
	}
	var spec nn.Spec
	var init nn.Init
	switch o.Net {
	case "mlp":
		spec, init = nn.MLP(784, []int{100}, 10, nn.ReLU, nn.MLPOptions{}), nn.He
	case "simpleconvnet":
		spec, init = nn.SimpleConvNet(), nn.Normal(0.01)
	default:
		return nil, fmt.Errorf("experiment: mistakes: unknown network %q (mlp or simpleconvnet)", o.Net)
	}
	if o.Limit < 0 || o.Epochs < 1 || o.Batch < 1 || !(o.LR > 0) || math.IsInf(o.LR, 0) || o.Show < 1 {
		return nil, fmt.Errorf("experiment: mistakes: invalid options (limit %d, %d epochs, batch %d, lr %v, show %d)",
			o.Limit, o.Epochs, o.Batch, o.LR, o.Show)
	}
	s, err := start(o.Common, o.Epochs)
	if err != nil {
		return nil, err
	}
	if err := s.checkFigure("mistakes"); err != nil {
		return nil, err
	}
	trainSet, testSet, err := loadMNIST(o.MNIST, o.Limit, 0, o.Net == "mlp")
	if err != nil {
		return nil, err
	}
	net, err := nn.Build[float32](spec, init, stream(s.c.Seed, "weights"))
	if err != nil {
		return nil, err
	}
	c, err := fit(ctx, net, optim.NewAdam[float32](o.LR, optim.DefaultBeta1, optim.DefaultBeta2), trainSet, testSet,
		o.Epochs, o.Batch, stream(s.c.Seed, "batches"), func(n int) { s.tick(o.Net, n) })
	if err != nil {
		return nil, err
	}
	if c.Diverged {
		return nil, fmt.Errorf("experiment: mistakes: training diverged (try a smaller learning rate)")
	}
	if err := s.writeHistory(c); err != nil {
		return nil, err
	}
	return s.mistakes(ctx, net, testSet, o.Net, netTitles[o.Net], o.Show)
}

// examineTrained is Mistakes for o.Trained.
func examineTrained(ctx context.Context, o MistakesOptions) (*MistakesResult, error) {
	t := o.Trained
	flat := slices.Equal(t.Input, []int{784})
	if t.Net == nil || !flat && !slices.Equal(t.Input, []int{1, 28, 28}) {
		return nil, fmt.Errorf("experiment: mistakes: the network takes inputs of shape %v, not MNIST images ([784] or [1 28 28])", t.Input)
	}
	if o.Show < 1 {
		return nil, fmt.Errorf("experiment: mistakes: invalid options (show %d)", o.Show)
	}
	s, err := start(o.Common, 0)
	if err != nil {
		return nil, err
	}
	if err := s.checkFigure("mistakes"); err != nil {
		return nil, err
	}
	_, testSet, err := loadMNIST(o.MNIST, 1, 0, flat)
	if err != nil {
		return nil, err
	}
	return s.mistakes(ctx, t.Net, testSet, t.Title, t.Title, o.Show)
}

// mistakes classifies every test image with net, which the result calls
// name and the figure title, and writes mistakes.csv and the figure with
// the first show mistakes.
func (s *session) mistakes(ctx context.Context, net *nn.Sequential[float32], testSet *data.Set[float32], name, title string, show int) (*MistakesResult, error) {
	logits, err := train.Predict(ctx, net, testSet.X, evalBatch)
	if err != nil {
		return nil, err
	}
	if sh := logits.Shape(); len(sh) != 2 || sh[1] != 10 {
		return nil, fmt.Errorf("experiment: mistakes: the network gives outputs of shape %v for %d images, want 10 logits per image", sh, testSet.Len())
	}
	probs := loss.Softmax(logits)
	res := &MistakesResult{Net: name}
	counts := map[[2]int]int{}
	for i, p := range tensor.ArgmaxRows(probs) {
		if label := int(testSet.Y.Data[i]); p != label {
			res.Mistakes = append(res.Mistakes, Mistake{Index: i, Label: label, Pred: p, Prob: float64(probs.Row(i)[p])})
			counts[[2]int{label, p}]++
		}
	}
	res.TestAcc = float64(testSet.Len()-len(res.Mistakes)) / float64(testSet.Len()) // as train.Evaluate counts
	for k, n := range counts {
		res.Confusions = append(res.Confusions, Confusion{Label: k[0], Pred: k[1], Count: n})
	}
	slices.SortFunc(res.Confusions, func(a, b Confusion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Label, b.Label), cmp.Compare(a.Pred, b.Pred))
	})
	res.Confusions = res.Confusions[:min(5, len(res.Confusions))]
	if err := s.writeMistakes(res, testSet.X, title, show); err != nil {
		return nil, err
	}
	res.Files = s.files
	return res, nil
}

// writeMistakes writes mistakes.csv and the mistakes figure, titled after
// the network title, with the first showMax mistakes; x holds the test
// images.
func (s *session) writeMistakes(res *MistakesResult, x *tensor.Tensor[float32], title string, showMax int) error {
	rows := make([][]string, len(res.Mistakes))
	for i, m := range res.Mistakes {
		rows[i] = []string{itoa(m.Index), itoa(m.Label), itoa(m.Pred), num(m.Prob)}
	}
	if err := s.writeCSV("mistakes.csv", []string{"index", "label", "prediction", "probability"}, rows); err != nil {
		return err
	}
	show := res.Mistakes[:min(showMax, len(res.Mistakes))]
	if len(show) == 0 {
		return nil // a perfect score leaves nothing to draw
	}
	per := x.Len() / x.Shape()[0]
	images := make([][]float64, len(show))
	captions := make([]string, len(show))
	for i, m := range show {
		images[i] = make([]float64, per)
		for k, v := range x.Data[m.Index*per : (m.Index+1)*per] {
			images[i][k] = float64(v)
		}
		captions[i] = fmt.Sprintf("%d → %d", m.Label, m.Pred)
	}
	return s.figure("mistakes", func(path string) error {
		return plot.ImageGrid(path, plot.ImageGridOptions{
			Title: fmt.Sprintf("%s: the first %d of %d misclassified test digits (label → prediction)",
				title, len(show), len(res.Mistakes)),
			Images: images, H: 28, W: 28, Cols: 10, Captions: captions, Colormap: plot.InvertedGray, Global: true,
		})
	})
}
