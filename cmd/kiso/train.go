package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/internal/cputime"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

func init() { extraCommands = append(extraCommands, newTrainCmd) }

// trainOptions are the flags of kiso train. They are saved as JSON in every
// checkpoint, so that --resume rebuilds the same run.
type trainOptions struct {
	dataOptions
	Model       string  `json:"model"`
	Hidden      string  `json:"hidden"`
	Act         string  `json:"act"`
	Init        string  `json:"init"`
	Optimizer   string  `json:"optimizer"`
	LR          float64 `json:"lr"`
	LRSchedule  string  `json:"lr_schedule,omitempty"`
	LRMin       float64 `json:"lr_min,omitempty"`
	LRStep      int     `json:"lr_step,omitempty"`
	LRGamma     float64 `json:"lr_gamma,omitempty"`
	Batch       int     `json:"batch"`
	Epochs      int     `json:"epochs"`
	WeightDecay float64 `json:"weight_decay"`
	Dropout     float64 `json:"dropout"`
	BatchNorm   bool    `json:"batchnorm"`
	Seed        int64   `json:"seed"`
	DType       string  `json:"dtype"`
	EarlyStop   int     `json:"early_stop"`
	EvalTrain   bool    `json:"eval_train"`
	Augment     string  `json:"augment,omitempty"`

	// The outputs and checkpoint settings are saved too, so that a
	// resumed run writes the same files (unless given again). OutGiven
	// records whether --out was named on the command line: a model file
	// nobody named is never overwritten.
	Out             string `json:"out"`
	OutGiven        bool   `json:"out_given"`
	HistoryCSV      string `json:"history"`
	PlotLoss        string `json:"plot_loss"`
	PlotAcc         string `json:"plot_acc"`
	PlotBoundary    string `json:"plot_boundary"`
	Checkpoint      string `json:"checkpoint"`
	CheckpointEvery int    `json:"checkpoint_every"`

	Resume string `json:"-"`
	JSON   bool   `json:"-"`
	Quiet  bool   `json:"-"`

	// resumeValues counts the parameter and buffer values saved in the
	// checkpoint o.Resume: the network its options describe may not have
	// more, which is checked before it is built.
	resumeValues int
}

func addDataFlags(cmd *cobra.Command, o *dataOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Data, "data", "", "dataset: mnist, fashion-mnist, xor, circle, gauss, spiral (2-D toy sets) or csv:PATH")
	f.IntVar(&o.Limit, "limit", 0, "MNIST, Fashion-MNIST: use only the first N training and N test images (0: all)")
	f.IntVar(&o.Points, "points", 400, "toy sets: number of points")
	f.Float64Var(&o.Noise, "noise", 0.1, "toy sets: noise, 0 to 1")
	f.Float64Var(&o.TestFrac, "test-frac", 0.2, "toy and CSV sets: fraction held out for testing")
	f.StringVar(&o.Label, "label", "", "CSV: the label column, by header name or 0-based index (default: the last)")
	f.BoolVar(&o.Regress, "regression", false, "CSV: the label is a number to predict (MSE loss), not a class")
	f.StringVar(&o.MNISTDir, "mnist-dir", "", "MNIST cache folder (default: the user cache folder's kiso/mnist)")
}

func newTrainCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &trainOptions{}
	var g *gptOptions
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train a network on MNIST, a toy 2-D set or a CSV file",
		Long: `Train a multi-layer or convolutional network.

--model is mlp (configured by --hidden, --act, --batchnorm, --dropout),
simplecnn or deepcnn (MNIST), or a JSON file holding an architecture
({"input": [784], "layers": [{"type": "linear", "in": 784, "out": 100},
{"type": "relu"}, ...]}). Progress goes to stdout: a bar per epoch on a
terminal, one line per epoch otherwise. The trained model is saved to --out
as a .kiso file (safetensors), loadable with kiso eval and kiso predict.
The training set is cut into batches of --batch cases in a new order each
epoch; a last batch that would hold a single case joins the batch before
it (batch normalization cannot learn from one case).

With --checkpoint FILE the run saves its whole state there every
--checkpoint-every epochs and when interrupted (Ctrl-C); without it, an
interrupted run is saved beside the model (model.ckpt for model.kiso, never
over an existing file), and the message gives the command that resumes it.
kiso train --resume FILE continues the run bit for bit as if it had not
stopped, writing the outputs the original command named and checkpointing
as it did; flags may be repeated unchanged, and only --epochs,
--early-stop, --eval-train and the output flags may differ.

--model lstmlm (or rnnlm) and --model seq2seq run kiso lstmlm and kiso
seq2seq with the flags given here (their defaults, not train's, for the
rest): kiso train --model lstmlm --data brown, kiso train --model seq2seq
--data addition.

The toy 2-D sets (xor, circle, gauss, spiral: 400 points, 80 held out)
train with --lr 0.01 --batch 10 --epochs 100, and an MLP with --hidden
32,32, unless those flags are given: defaults that learn every one of them
in a fraction of a second. A run whose final accuracy is near chance ends with a hint.

Without --out, the model goes to model.kiso, and kiso train refuses to
start if that file exists (name it with --out to replace it).`,
		Example: `  kiso train --data mnist --hidden 100 --epochs 10 --out mnist.kiso
  kiso train --data mnist --model simplecnn --epochs 20 --out cnn.kiso
  kiso train --data spiral --plot-boundary spiral.png
  kiso train --data csv:iris.csv --label species --hidden 8 --epochs 100`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, ok := seqModels[o.Model]; ok { // train_dispatch.go
				return runTrainSeq(cmd.Context(), cmd, o.Model, stdout, stderr)
			}
			if o.Model == "gpt" || isGPTCheckpoint(o.Resume) { // train_gpt.go
				return runTrainGPT(cmd.Context(), o, g, cmd.Flags().Changed, stdout, stderr)
			}
			return runTrain(cmd.Context(), o, cmd.Flags().Changed, stdout, stderr)
		},
	}
	g = addGPTFlags(cmd)
	addDataFlags(cmd, &o.dataOptions)
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "mlp", "mlp, simplecnn, deepcnn, gpt (a transformer on text: see the gpt flags), "+seqModelNames()+" (run as kiso lstmlm or kiso seq2seq with the flags given), or an architecture JSON file")
	f.StringVar(&o.Hidden, "hidden", "100", "mlp: hidden layer sizes, comma-separated (empty: none; toy sets: 32,32)")
	f.StringVar(&o.Act, "act", "relu", "mlp: activation: relu, sigmoid, tanh, leakyrelu, identity")
	f.StringVar(&o.Init, "init", "he", "weight initializer: he, xavier, or a standard deviation (simplecnn: 0.01 unless given, the book's)")
	f.StringVar(&o.Optimizer, "optimizer", "adam", "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw (with --weight-decay as AdamW's decoupled decay)")
	f.Float64Var(&o.LR, "lr", 0.001, "learning rate (toy sets: 0.01)")
	f.StringVar(&o.LRSchedule, "lr-schedule", "constant", "learning rate over the run: constant; cosine (from --lr down to --lr-min over all the steps of --epochs); step (times --lr-gamma every --lr-step epochs)")
	f.Float64Var(&o.LRMin, "lr-min", 0, "--lr-schedule cosine: the learning rate at the end")
	f.IntVar(&o.LRStep, "lr-step", 10, "--lr-schedule step: epochs between decays")
	f.Float64Var(&o.LRGamma, "lr-gamma", 0.1, "--lr-schedule step: factor of each decay")
	f.IntVar(&o.Batch, "batch", 100, "minibatch size (toy sets: 10)")
	f.IntVar(&o.Epochs, "epochs", 10, "passes over the training data (toy sets: 100)")
	f.Float64Var(&o.WeightDecay, "weight-decay", 0, "L2 weight decay λ (weights only)")
	f.Float64Var(&o.Dropout, "dropout", 0, "mlp: dropout rate after each hidden layer, 0 to <1")
	f.BoolVar(&o.BatchNorm, "batchnorm", false, "mlp: batch normalization before each hidden activation")
	f.Int64Var(&o.Seed, "seed", 1, "random seed (weights, shuffling, toy data)")
	f.StringVar(&o.DType, "dtype", "float32", "element type: float32 or float64")
	f.IntVar(&o.EarlyStop, "early-stop", 0, "stop when the test loss has not improved for this many epochs (0: never)")
	f.StringVar(&o.Augment, "augment", "none", "image data: random changes to each training image at every step: flip (mirror left-right half the time), shift=N (move by up to N pixels each way), both as flip,shift=2, or none")
	f.BoolVar(&o.EvalTrain, "eval-train", false, "measure training loss and accuracy on the whole training set each epoch (default: running means)")
	f.StringVar(&o.Out, "out", "model.kiso", `model file to write ("" to skip)`)
	f.StringVar(&o.HistoryCSV, "history", "", "CSV file for the loss and accuracy of every epoch")
	f.StringVar(&o.PlotLoss, "plot-loss", "", "plot of train and test loss per epoch (.png or .svg)")
	f.StringVar(&o.PlotAcc, "plot-acc", "", "plot of train and test accuracy per epoch (.png or .svg)")
	f.StringVar(&o.PlotBoundary, "plot-boundary", "", "2-D data: decision boundary with the points (.png or .svg)")
	f.StringVar(&o.Checkpoint, "checkpoint", "", "checkpoint file (written every --checkpoint-every epochs and on Ctrl-C)")
	f.IntVar(&o.CheckpointEvery, "checkpoint-every", 1, "epochs between checkpoints")
	f.StringVar(&o.Resume, "resume", "", "continue the run saved in this checkpoint")
	f.BoolVar(&o.JSON, "json", false, "print a JSON summary on stdout (progress goes to stderr)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "no progress output")
	addSeqFlags(cmd) // after train's own flags: it adds only those train lacks
	f.Lookup("data").Usage += "; --model lstmlm: brown or ptb; --model seq2seq: addition, dates or pairs:FILE"
	return cmd
}

func (o *trainOptions) validate() error {
	if err := o.dataOptions.validate(); err != nil {
		return err
	}
	switch {
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return usagef("--lr %v: must be a positive number", o.LR)
	case o.Batch < 1:
		return usagef("--batch %d: must be at least 1", o.Batch)
	case o.Epochs < 1:
		return usagef("--epochs %d: must be at least 1", o.Epochs)
	case !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0):
		return usagef("--weight-decay %v: must be zero or positive", o.WeightDecay)
	case !(o.Dropout >= 0 && o.Dropout < 1):
		return usagef("--dropout %v: must be in [0, 1)", o.Dropout)
	case o.Seed < 0 || o.Seed > math.MaxUint32-1:
		return usagef("--seed %d: must be between 0 and 4294967294", o.Seed)
	case o.DType != "float32" && o.DType != "float64":
		return usagef("--dtype %q: must be float32 or float64", o.DType)
	case o.EarlyStop < 0:
		return usagef("--early-stop %d: must be zero or positive", o.EarlyStop)
	case o.CheckpointEvery < 1:
		return usagef("--checkpoint-every %d: must be at least 1", o.CheckpointEvery)
	case o.PlotBoundary != "" && o.images():
		return usagef("--plot-boundary: needs 2-D data, %s has 784 features (28x28 images)", o.Data)
	case o.Out != "" && (o.Out == o.Checkpoint || o.Out == o.Resume):
		return usagef("--out %s: the model file would replace the run's checkpoint; name another", o.Out)
	case o.BatchNorm && o.Batch < 2:
		return usagef("--batch %d: batch normalization needs batches of at least 2 cases", o.Batch)
	}
	if err := o.checkSchedule(); err != nil {
		return err
	}
	if a, err := data.ParseAugment(o.Augment); err != nil {
		return usagef("--augment: %v", err)
	} else if a.On() && !o.images() {
		return usagef("--augment %s: needs image data (mnist or fashion-mnist), not %s", o.Augment, o.Data)
	}
	if err := o.mlp().check(); err != nil {
		return err
	}
	if _, err := nn.ParseInit(o.Init); err != nil {
		return usagef("--init %q: want he, xavier or a standard deviation such as 0.01", o.Init)
	}
	if _, err := optim.New[float64](o.Optimizer, o.LR); err != nil {
		return usagef("--optimizer %q: want one of %s", o.Optimizer, strings.Join(append(optim.Names(), "adamw"), ", "))
	}
	return nil
}

// hiddenSizes parses --hidden (see parseHidden).
func (o *trainOptions) hiddenSizes() ([]int, error) { return parseHidden(o.Hidden) }

// mlp returns the flags that shape --model mlp.
func (o *trainOptions) mlp() mlpFlags {
	return mlpFlags{Hidden: o.Hidden, Act: o.Act, BatchNorm: o.BatchNorm, Dropout: o.Dropout}
}

// mlpFlags are the flags that describe an MLP, in kiso train and kiso
// gradcheck alike: --hidden, --act, --batchnorm and --dropout (whose range
// each command checks with its other flags).
type mlpFlags struct {
	Hidden    string
	Act       string
	BatchNorm bool
	Dropout   float64
}

// check returns the usage error of the first of --hidden and --act that
// does not parse, or nil.
func (f mlpFlags) check() error {
	_, err := f.spec(1, 1)
	return err
}

// spec returns the MLP the flags describe, from inputs features to
// outputs, or the usage error of the first flag that does not parse.
func (f mlpFlags) spec(inputs, outputs int) (nn.Spec, error) {
	hidden, err := parseHidden(f.Hidden)
	if err != nil {
		return nn.Spec{}, err
	}
	act, err := nn.ParseFunc(f.Act)
	if err != nil {
		return nn.Spec{}, usagef("--act %q: want relu, sigmoid, tanh, leakyrelu, identity or step", f.Act)
	}
	return nn.MLP(inputs, hidden, outputs, act, nn.MLPOptions{BatchNorm: f.BatchNorm, Dropout: f.Dropout}), nil
}

// readSpec reads --model (see readModelSpec).
func (o *trainOptions) readSpec() (spec nn.Spec, file bool, err error) { return readModelSpec(o.Model) }

// readModelSpec returns the architecture a --model flag names: an empty
// spec and file false for mlp (built from the mlpFlags), a built-in spec
// for simplecnn and deepcnn, or the spec decoded from a JSON file (unknown
// fields are errors), with file true.
func readModelSpec(name string) (spec nn.Spec, file bool, err error) {
	switch name {
	case "mlp":
		return nn.Spec{}, false, nil
	case "simplecnn":
		return nn.SimpleConvNet(), false, nil
	case "deepcnn":
		return nn.DeepConvNet(), false, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.HasSuffix(name, ".json") {
			return spec, false, usagef("--model %q: want mlp, simplecnn, deepcnn or an architecture JSON file", name)
		}
		return spec, false, fmt.Errorf("--model: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, false, fmt.Errorf("%s: not an architecture: %v", name, err)
	}
	return spec, true, nil
}

func runTrain(ctx context.Context, o *trainOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	if o.Resume != "" {
		if err := o.loadResume(changed); err != nil {
			return err
		}
	} else {
		o.OutGiven = changed("out")
	}
	if o.Resume == "" {
		o.toyDefaults(changed)
	}
	if o.Model == "simplecnn" && !changed("init") && o.Resume == "" {
		// The book trains SimpleConvNet from weights of std 0.01: 99.0% on
		// MNIST in 20 epochs here, against 98.75% from He's.
		o.Init = "0.01"
	}
	if err := o.validate(); err != nil {
		return err
	}
	// Fail before training, not after, if an output cannot be written,
	// or would replace a model file nobody named.
	if err := o.checkUnnamedOut(); err != nil {
		return err
	}
	for _, p := range []struct{ flag, path string }{{"--out", o.Out}, {"--history", o.HistoryCSV}, {"--checkpoint", o.Checkpoint}} {
		if p.path != "" {
			if err := atomicfile.CheckWritable(p.path); err != nil {
				return fmt.Errorf("%s: %w", p.flag, err)
			}
		}
	}
	for _, p := range []struct{ flag, path string }{{"--plot-loss", o.PlotLoss}, {"--plot-acc", o.PlotAcc}, {"--plot-boundary", o.PlotBoundary}} {
		if p.path != "" {
			if err := plot.CheckPath(p.path); err != nil {
				return fmt.Errorf("%s: %w", p.flag, err)
			}
		}
	}
	if o.DType == "float64" {
		return trainAs[float64](ctx, o, stdout, stderr)
	}
	return trainAs[float32](ctx, o, stdout, stderr)
}

// run holds one training run's pieces.
type run[T tensor.Float] struct {
	o       *trainOptions
	ds      *dataset[T]
	spec    nn.Spec
	net     *nn.Sequential[T]
	loss    loss.Loss[T]
	trainer *train.Trainer[T]
	// cpu is the process's CPU time over the cpuEpochs epochs Fit trained.
	cpu       time.Duration
	cpuEpochs int
}

func trainAs[T tensor.Float](ctx context.Context, o *trainOptions, stdout, stderr io.Writer) error {
	progress := stdout
	if o.JSON {
		progress = stderr
	}
	if o.Quiet {
		progress = io.Discard
	}
	r, err := newRun[T](ctx, o, progress)
	if err != nil {
		return err
	}
	var resumed *train.State
	if o.Resume != "" {
		if resumed, err = train.LoadState(o.Resume); err != nil {
			return err
		}
		if err := r.trainer.Restore(resumed); err != nil {
			return fmt.Errorf("%s: %w", o.Resume, err)
		}
		fmt.Fprintf(progress, "resuming %s from epoch %d, step %d\n", o.Resume, resumed.Epoch, resumed.Step)
	}
	meta, err := json.Marshal(o)
	if err != nil {
		return err
	}
	saveCheckpoint := func(path string) error {
		st, err := r.trainer.Snapshot()
		if err != nil {
			return err
		}
		st.Meta = meta
		return train.SaveState(path, st)
	}
	if o.Checkpoint != "" {
		r.trainer.Observers = append(r.trainer.Observers, &train.Checkpoint{Every: o.CheckpointEvery, Save: func(int) error { return saveCheckpoint(o.Checkpoint) }})
	}
	if o.EarlyStop > 0 && r.ds.test != nil {
		r.trainer.Observers = append(r.trainer.Observers, &train.EarlyStopping{Monitor: "test_loss", Patience: o.EarlyStop})
	}
	bar := newProgress(progress, o.Epochs)
	r.trainer.Observers = append(r.trainer.Observers, bar)
	fmt.Fprintf(progress, "training %s on %s: %d training cases, %d test cases, %s\n", r.describe(), r.ds.name, r.ds.train.Len(), testLen(r.ds), o.DType)
	start, epoch0 := time.Now(), r.trainer.Epoch()
	cpu0, cpuOK := cputime.Process()
	h, err := r.trainer.Fit(ctx, r.ds.train, r.ds.test)
	bar.finish()
	if cpu1, ok := cputime.Process(); ok && cpuOK {
		r.cpu, r.cpuEpochs = cpu1-cpu0, r.trainer.Epoch()-epoch0
	}
	if errors.Is(err, context.Canceled) {
		return o.saveInterrupted(saveCheckpoint)
	}
	if err != nil {
		if errors.Is(err, train.ErrDiverged) && o.Checkpoint != "" {
			return fmt.Errorf("%w (the last good checkpoint, %s, is intact; try a smaller --lr)", err, o.Checkpoint)
		}
		if errors.Is(err, train.ErrDiverged) {
			return fmt.Errorf("%w (try a smaller --lr)", err)
		}
		return err
	}
	if err := r.finish(ctx, h, time.Since(start), stdout); err != nil {
		return err
	}
	if !o.Quiet {
		r.hintNearChance(h, stderr)
	}
	return nil
}

func testLen[T tensor.Float](d *dataset[T]) int {
	if d.test == nil {
		return 0
	}
	return d.test.Len()
}

// newRun loads the data and builds the network, loss, optimizer and trainer.
func newRun[T tensor.Float](ctx context.Context, o *trainOptions, progress io.Writer) (*run[T], error) {
	spec, fromFile, err := o.readSpec()
	if err != nil {
		return nil, err
	}
	images := o.Model == "simplecnn" || o.Model == "deepcnn" || (fromFile && len(spec.Input) == 3)
	if images && !o.images() {
		return nil, usagef("--model %s takes 28x28 images: use it with --data mnist or --data fashion-mnist", o.Model)
	}
	o.dataOptions.Seed, o.SplitSeed = uint32(o.Seed), uint32(o.Seed)+1
	ds, err := loadDataset[T](ctx, &o.dataOptions, images, progress)
	if err != nil {
		return nil, err
	}
	if o.PlotBoundary != "" {
		if err := canPlotBoundary(ds); err != nil {
			return nil, err
		}
	}
	if hasBatchNorm(o, spec) && !images && ds.train.Len() < 2 {
		return nil, fmt.Errorf("%s: batch normalization needs at least 2 training cases, %d remain after the split", ds.name, ds.train.Len())
	}
	outputs := ds.train.Classes
	if outputs == 0 {
		outputs = ds.train.Y.Cols()
	}
	if o.Model == "mlp" {
		if spec, err = o.mlp().spec(numel(ds.inputShape), outputs); err != nil {
			return nil, err
		}
	}
	if len(spec.Input) == 0 {
		spec.Input = ds.inputShape
	}
	out, err := spec.Validate(ds.inputShape)
	if err != nil {
		return nil, fmt.Errorf("architecture: %w", err)
	}
	if numel(out) != outputs {
		return nil, fmt.Errorf("architecture: the network has %d outputs but %s has %d", numel(out), ds.name, outputs)
	}
	if o.Resume != "" {
		// A checkpoint's options could ask for a network far larger than
		// the values it holds: refuse it before building it.
		if fp, err := spec.Footprint(ds.inputShape); err == nil && fp.Params > o.resumeValues {
			return nil, fmt.Errorf("%s: its options describe a network of %d parameter and buffer values, but it holds %d", o.Resume, fp.Params, o.resumeValues)
		}
	}
	init, _ := nn.ParseInit(o.Init)
	net, err := nn.Build[T](spec, init, rng.NewNumpy(uint32(o.Seed)))
	if err != nil {
		return nil, fmt.Errorf("architecture: %w", err)
	}
	l := loss.ForTask[T](ds.train.Classes)
	opt, _ := optim.New[T](o.Optimizer, o.LR)
	opt.SetWeightDecay(o.WeightDecay)
	cfg := train.Config{Epochs: o.Epochs, BatchSize: o.Batch, Seed: uint32(o.Seed) + 2, EvalTrain: o.EvalTrain, FoldLone: true}
	counter := data.NewLoader(ds.train, o.Batch, nil)
	counter.FoldLone = cfg.FoldLone
	cfg.Schedule, cfg.SchedulePerStep = o.schedule(counter.Len())
	if o.images() {
		cfg.Augment, _ = data.ParseAugment(o.Augment) // checked by check
		cfg.ImageShape = [3]int{1, 28, 28}
	}
	tr := train.New[T](net, l, opt, cfg)
	return &run[T]{o: o, ds: ds, spec: spec, net: net, loss: l, trainer: tr}, nil
}

// hasBatchNorm reports whether the network has batch normalization.
func hasBatchNorm(o *trainOptions, spec nn.Spec) bool {
	if o.Model == "mlp" {
		return o.BatchNorm
	}
	c, _ := spec.Chain() // an unknown architecture has no layers here
	for _, l := range c.Layers {
		if _, ok := l.(nn.BatchNormSpec); ok {
			return true
		}
	}
	return false
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// describe names the architecture in a few words.
func (r *run[T]) describe() string {
	if r.o.Model != "mlp" {
		return r.o.Model + r.o.scheduleName() + r.o.augmentName()
	}
	sizes := []string{strconv.Itoa(numel(r.ds.inputShape))}
	hidden, _ := r.o.hiddenSizes()
	for _, h := range hidden {
		sizes = append(sizes, strconv.Itoa(h))
	}
	outputs := r.ds.train.Classes
	if outputs == 0 {
		outputs = r.ds.train.Y.Cols()
	}
	sizes = append(sizes, strconv.Itoa(outputs))
	extra := ""
	if r.o.BatchNorm {
		extra += ", batch norm"
	}
	if r.o.Dropout > 0 {
		extra += fmt.Sprintf(", dropout %g", r.o.Dropout)
	}
	return fmt.Sprintf("MLP %s (%s%s), %s lr %g%s%s", strings.Join(sizes, "-"), r.o.Act, extra, r.o.Optimizer, r.o.LR, r.o.scheduleName(), r.o.augmentName())
}

// trainSummary is kiso train --json's output.
type trainSummary struct {
	Data            string   `json:"data"`
	Model           string   `json:"model"`
	Epochs          int      `json:"epochs"`
	TrainLoss       float64  `json:"train_loss"`
	TrainAccuracy   *float64 `json:"train_accuracy"`
	TestLoss        *float64 `json:"test_loss"`
	TestAccuracy    *float64 `json:"test_accuracy"`
	SecondsPerEpoch float64  `json:"seconds_per_epoch"`
	Seconds         float64  `json:"seconds"`
	// CPUSeconds is the CPU time of the process (all threads, user and
	// system) while it trained, evaluation included, beside Seconds' wall
	// time; CPUSecondsPerEpoch divides it by the epochs this run trained.
	// Both are absent where the system's CPU time is not read.
	CPUSeconds         *float64           `json:"cpu_seconds,omitempty"`
	CPUSecondsPerEpoch *float64           `json:"cpu_seconds_per_epoch,omitempty"`
	Out                string             `json:"out,omitempty"`
	History            []train.EpochStats `json:"history"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// finish writes the model, history and plots and reports the result.
func (r *run[T]) finish(ctx context.Context, h *train.History, took time.Duration, stdout io.Writer) error {
	o := r.o
	last := h.Last()
	if o.Out != "" {
		seed := uint64(o.Seed)
		info := model.Info{
			Dataset: r.ds.name, Classes: r.ds.train.Classes, ClassNames: r.ds.train.ClassNames,
			Optimizer: o.Optimizer, LearningRate: o.LR, Epochs: len(h.Epochs), Seed: &seed, Mean: r.ds.mean, Std: r.ds.std,
			Split: o.splitInfo(),
		}
		if a := finite(last.TestAcc); a != nil {
			info.Accuracy = *a
		}
		if err := model.Save(o.Out, r.net, info); err != nil {
			return err
		}
	}
	if o.HistoryCSV != "" {
		if err := atomicfile.Write(o.HistoryCSV, h.WriteCSV); err != nil {
			return err
		}
	}
	if err := r.plots(h); err != nil {
		return err
	}
	var secs float64
	for _, e := range h.Epochs {
		secs += e.Seconds
	}
	s := trainSummary{
		Data: r.ds.name, Model: o.Model, Epochs: len(h.Epochs), TrainLoss: last.TrainLoss,
		TrainAccuracy: finite(last.TrainAcc), TestLoss: finite(last.TestLoss), TestAccuracy: finite(last.TestAcc),
		SecondsPerEpoch: secs / float64(max(len(h.Epochs), 1)), Seconds: took.Seconds(), Out: o.Out, History: h.Epochs,
	}
	if r.cpuEpochs > 0 {
		c := r.cpu.Seconds()
		s.CPUSeconds, s.CPUSecondsPerEpoch = &c, finite(c/float64(r.cpuEpochs))
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(s)
	}
	if o.Quiet {
		return nil
	}
	fmt.Fprintf(stdout, "done: %d epochs, %s per epoch", s.Epochs, seconds(s.SecondsPerEpoch))
	if s.CPUSecondsPerEpoch != nil {
		fmt.Fprintf(stdout, " (CPU %s)", seconds(*s.CPUSecondsPerEpoch))
	}
	if s.TrainAccuracy != nil {
		fmt.Fprintf(stdout, "; train accuracy %.2f%%", 100**s.TrainAccuracy)
	}
	if s.TestAccuracy != nil {
		fmt.Fprintf(stdout, ", test accuracy %.2f%%", 100**s.TestAccuracy)
	} else if s.TestLoss != nil {
		fmt.Fprintf(stdout, ", test loss %.4g", *s.TestLoss)
	}
	fmt.Fprintln(stdout)
	if o.Out != "" {
		fmt.Fprintf(stdout, "model saved to %s\n", o.Out)
	}
	return nil
}

// plots draws the requested figures.
func (r *run[T]) plots(h *train.History) error {
	o := r.o
	epochs := make([]float64, len(h.Epochs))
	var trl, tel, tra, tea []float64
	for i, e := range h.Epochs {
		epochs[i] = float64(e.Epoch)
		trl, tel, tra, tea = append(trl, e.TrainLoss), append(tel, e.TestLoss), append(tra, e.TrainAcc), append(tea, e.TestAcc)
	}
	series := func(train, test []float64) []plot.Series {
		s := []plot.Series{{Name: "train", X: epochs, Y: train}}
		if r.ds.test != nil {
			s = append(s, plot.Series{Name: "test", X: epochs, Y: test})
		}
		return s
	}
	if o.PlotLoss != "" {
		if err := plot.Curve(o.PlotLoss, plot.ChartOptions{Title: r.ds.name + ": loss per epoch", XLabel: "epoch", YLabel: "loss", Series: series(trl, tel)}); err != nil {
			return err
		}
	}
	if o.PlotAcc != "" {
		if r.ds.train.Classes == 0 {
			return errors.New("--plot-acc: a regression has no accuracy; use --plot-loss")
		}
		if err := plot.Curve(o.PlotAcc, plot.ChartOptions{Title: r.ds.name + ": accuracy per epoch", XLabel: "epoch", YLabel: "accuracy", Series: series(tra, tea)}); err != nil {
			return err
		}
	}
	if o.PlotBoundary != "" {
		return r.plotBoundary()
	}
	return nil
}

// canPlotBoundary returns an error unless d is 2-D classification data,
// whose decision boundary --plot-boundary can draw.
func canPlotBoundary[T tensor.Float](d *dataset[T]) error {
	set := d.train
	if in := set.InputShape(); len(in) != 1 || in[0] != 2 {
		return usagef("--plot-boundary: needs 2-D data, %s has %d features", d.name, numel(d.inputShape))
	}
	if set.Classes == 0 {
		return usagef("--plot-boundary: needs classes, %s is a regression", d.name)
	}
	return nil
}

// plotBoundary draws the decision boundary of a 2-D classifier with all
// its points.
func (r *run[T]) plotBoundary() error {
	set := r.ds.train
	if err := canPlotBoundary(r.ds); err != nil {
		return err
	}
	var pts [][2]float64
	var labels []int
	for _, s := range []*struct{ x, y *tensor.Tensor[T] }{{set.X, set.Y}, testXY(r.ds)} {
		if s == nil {
			continue
		}
		for i := 0; i < s.x.Rows(); i++ {
			pts = append(pts, [2]float64{float64(s.x.At(i, 0)), float64(s.x.At(i, 1))})
			labels = append(labels, int(s.y.Data[i]))
		}
	}
	return plot.Boundary(r.o.PlotBoundary, plot.BoundaryOptions{
		Title: r.ds.name + ": decision boundary", Pad: 0.1, // the points' box widened by 10% each side
		PredictRows: train.ProbRows[T](r.net), Points: pts, Labels: labels, ClassNames: set.ClassNames,
	})
}

func testXY[T tensor.Float](d *dataset[T]) *struct{ x, y *tensor.Tensor[T] } {
	if d.test == nil {
		return nil
	}
	return &struct{ x, y *tensor.Tensor[T] }{d.test.X, d.test.Y}
}
