package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/experiment"
	"github.com/kiso-go/kiso/model"
)

func init() { extraCommands = append(extraCommands, newExperimentCmd) }

// experimentOptions are the flags of kiso experiment. The numeric flags
// are 0 unless given, meaning the experiment's default (the book's).
type experimentOptions struct {
	Out      string
	Format   string
	Seed     int64
	MNISTDir string
	JSON     bool
	Quiet    bool

	Steps, Epochs, Limit, Trials, Scales, Show int
	Net                                        string
	// Model is a .kiso file whose mistakes are drawn instead of training
	// a network (mistakes only).
	Model string
}

// experimentInfo names an experiment, says what it does, and lists the
// flags that shrink or change it beyond the common ones.
type experimentInfo struct {
	name, short string
	flags       []string
}

// experimentNames are the experiments in the book's order.
var experimentNames = []experimentInfo{
	{"optimizers", "SGD, Momentum, AdaGrad, Adam on x²/20 + y² and on MNIST", []string{"steps", "limit"}},
	{"init", "weight std 0.01 vs Xavier vs He: activation histograms, MNIST loss", []string{"steps", "limit"}},
	{"batchnorm", "with and without batch norm over 16 initial weight scales", []string{"epochs", "limit", "scales"}},
	{"overfit", "300 images, 7 layers: no regularization, weight decay, dropout", []string{"epochs", "limit"}},
	{"search", "random search of learning rate and weight decay", []string{"epochs", "limit", "trials", "show"}},
	{"filters", "SimpleConvNet's first-layer filters before and after training", []string{"epochs", "limit"}},
	{"mistakes", "a grid of misclassified test digits", []string{"epochs", "limit", "show", "net", "model"}},
}

func newExperimentCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &experimentOptions{}
	var list strings.Builder
	for _, e := range experimentNames {
		fmt.Fprintf(&list, "  %-11s %s\n", e.name, e.short)
	}
	cmd := &cobra.Command{
		Use:   "experiment NAME",
		Short: "Reproduce one of the book's comparisons (optimizers, init, batchnorm, ...)",
		Long: `Reproduce one of the comparisons of chapters 6 and 7 of "Deep Learning from
Scratch" on MNIST, with the book's settings unless flags shrink them. Each
experiment writes CSV files of its numbers and PNG figures (SVG with
--format svg) into --out, experiments/NAME by default, and prints a table of
its key numbers (or JSON with --json). The same --seed gives the same files.

Experiments:
` + list.String() + `
--steps applies to optimizers and init; --epochs to the others; --limit is
the number of training images (and, for optimizers and init, test images);
--trials and --show to search; --scales to batchnorm; --net (mlp or
simplecnn, as kiso train --model names them) and --show to mistakes, or --model FILE to draw the mistakes
of a network trained on MNIST by kiso train instead of training one. MNIST
is fetched into the cache first if needed (see kiso data mnist).`,
		Example: `  kiso experiment optimizers
  kiso experiment search --trials 20 --epochs 20
  kiso experiment mistakes --net simplecnn --epochs 2 --out /tmp/mistakes
  kiso experiment mistakes --model mnist.kiso --show 20`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s takes one experiment name, got %d arguments (see kiso experiment --help)", cmd.CommandPath(), len(args))
			}
			return nil
		},
		ValidArgs: experimentList(),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExperiment(cmd.Context(), args[0], o, cmd.Flags().Changed, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "output folder (default experiments/NAME)")
	f.StringVar(&o.Format, "format", "png", "figure format: png, svg, or png,svg for both")
	f.Int64Var(&o.Seed, "seed", 0, "random seed, 0 to 4294967295")
	f.StringVar(&o.MNISTDir, "mnist-dir", "", "MNIST cache folder (default: the user cache folder's kiso/mnist)")
	f.BoolVar(&o.JSON, "json", false, "print the results as one JSON object (progress goes to stderr)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "no progress output")
	f.IntVar(&o.Steps, "steps", 0, "training steps (default 2000)")
	f.IntVar(&o.Epochs, "epochs", 0, "training epochs (default: the experiment's)")
	f.IntVar(&o.Limit, "limit", 0, "training images (default: the experiment's)")
	f.IntVar(&o.Trials, "trials", 0, "search trials (default 100)")
	f.IntVar(&o.Scales, "scales", 0, "weight scales from 1 to 1e-4 (default 16)")
	f.IntVar(&o.Show, "show", 0, "trials or digits drawn (default 20 and 40)")
	f.StringVar(&o.Net, "net", "mlp", "network of mistakes: mlp or simplecnn (as kiso train --model names it; simpleconvnet also works)")
	f.StringVar(&o.Model, "model", "", "mistakes of this .kiso model, trained on MNIST, instead of training one")
	return cmd
}

func experimentList() []string {
	names := make([]string, len(experimentNames))
	for i, e := range experimentNames {
		names[i] = e.name
	}
	return names
}

// validate checks the flags against the experiment name; changed tells
// which flags were given.
func (o *experimentOptions) validate(name string, changed func(string) bool) error {
	i := slices.IndexFunc(experimentNames, func(e experimentInfo) bool { return e.name == name })
	if i < 0 {
		return usagef("unknown experiment %q: want one of %s", name, strings.Join(experimentList(), ", "))
	}
	for _, fl := range []string{"steps", "epochs", "limit", "trials", "scales", "show", "net", "model"} {
		if changed(fl) && !slices.Contains(experimentNames[i].flags, fl) {
			return usagef("--%s does not apply to %s (it takes --%s)", fl, name, strings.Join(experimentNames[i].flags, ", --"))
		}
	}
	for _, v := range []struct {
		flag string
		n    int
	}{{"steps", o.Steps}, {"epochs", o.Epochs}, {"limit", o.Limit}, {"trials", o.Trials}, {"scales", o.Scales}, {"show", o.Show}} {
		if changed(v.flag) && v.n < 1 {
			return usagef("--%s %d: must be at least 1", v.flag, v.n)
		}
	}
	if changed("model") {
		if o.Model == "" {
			return usagef("--model: empty file name")
		}
		for _, fl := range []string{"epochs", "limit", "net"} {
			if changed(fl) {
				return usagef("--%s does not apply with --model: the model is already trained", fl)
			}
		}
	}
	if o.Limit > 60000 {
		return usagef("--limit %d: MNIST has 60000 training images", o.Limit)
	}
	switch o.Net {
	case "simplecnn": // kiso train --model's name for it
		o.Net = "simpleconvnet"
	case "mlp", "simpleconvnet":
	default:
		return usagef("--net %q: must be mlp or simplecnn (the book's SimpleConvNet, also spelt simpleconvnet)", o.Net)
	}
	if o.Seed < 0 || o.Seed > math.MaxUint32 {
		return usagef("--seed %d: must be between 0 and 4294967295", o.Seed)
	}
	if _, err := o.formats(); err != nil {
		return err
	}
	return nil
}

// formats parses --format.
func (o *experimentOptions) formats() ([]string, error) {
	var fs []string
	for _, f := range strings.Split(strings.ToLower(o.Format), ",") {
		f = strings.TrimSpace(f)
		if f != "png" && f != "svg" {
			return nil, usagef("--format %q: must be png, svg or png,svg", o.Format)
		}
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

// experimentResult is what every experiment returns.
type experimentResult interface {
	Tables() []experiment.Table
}

func runExperiment(ctx context.Context, name string, o *experimentOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	if err := o.validate(name, changed); err != nil {
		return err
	}
	progress := stdout
	switch {
	case o.Quiet:
		progress = io.Discard
	case o.JSON:
		progress = stderr
	}
	formats, _ := o.formats()
	var trained *experiment.Trained
	if o.Model != "" {
		m, err := model.Load[float32](o.Model)
		if err != nil {
			return err
		}
		trained = &experiment.Trained{Net: m.Net, Input: m.Spec.Input, Title: filepath.Base(o.Model)}
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("experiments", name)
	}
	dir, err := data.FetchMNIST(ctx, data.FetchOptions{Dir: o.MNISTDir, Progress: func(m string) { fmt.Fprintln(progress, m) }})
	if err != nil {
		return err
	}
	bar := newExperimentProgress(progress, name)
	c := experiment.Common{Out: out, Formats: formats, Seed: uint32(o.Seed), MNIST: dir, Progress: bar.report}
	start := time.Now()
	res, err := o.run(ctx, name, c, trained, changed)
	bar.finish()
	if err != nil {
		return err
	}
	took := time.Since(start).Seconds()
	if o.JSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"experiment": name, "seconds": took, "seed": o.Seed, "out": out, "result": res})
	}
	printExperiment(stdout, res)
	fmt.Fprintf(stdout, "\n%s: %.1f s; files in %s\n", name, took, out)
	return nil
}

// run builds the experiment's options from its defaults and the flags
// given, and runs it; trained is the network of --model, if given.
func (o *experimentOptions) run(ctx context.Context, name string, c experiment.Common, trained *experiment.Trained, changed func(string) bool) (experimentResult, error) {
	set := func(flag string, dst *int, v int) {
		if changed(flag) {
			*dst = v
		}
	}
	switch name {
	case "optimizers":
		e := experiment.DefaultOptimizers()
		e.Common = c
		set("steps", &e.Steps, o.Steps)
		set("limit", &e.Limit, o.Limit)
		return experiment.Optimizers(ctx, e)
	case "init":
		e := experiment.DefaultInit()
		e.Common = c
		set("steps", &e.Steps, o.Steps)
		set("limit", &e.Limit, o.Limit)
		return experiment.Init(ctx, e)
	case "batchnorm":
		e := experiment.DefaultBatchNorm()
		e.Common = c
		set("epochs", &e.Epochs, o.Epochs)
		set("limit", &e.Limit, o.Limit)
		set("scales", &e.Scales, o.Scales)
		return experiment.BatchNorm(ctx, e)
	case "overfit":
		e := experiment.DefaultOverfit()
		e.Common = c
		set("epochs", &e.Epochs, o.Epochs)
		set("limit", &e.Limit, o.Limit)
		return experiment.Overfit(ctx, e)
	case "search":
		e := experiment.DefaultSearch()
		e.Common = c
		set("epochs", &e.Epochs, o.Epochs)
		set("limit", &e.Limit, o.Limit)
		set("trials", &e.Trials, o.Trials)
		set("show", &e.Show, o.Show)
		return experiment.Search(ctx, e)
	case "filters":
		e := experiment.DefaultFilters()
		e.Common = c
		set("epochs", &e.Epochs, o.Epochs)
		set("limit", &e.Limit, o.Limit)
		return experiment.Filters(ctx, e)
	case "mistakes":
		e := experiment.DefaultMistakes()
		e.Common = c
		e.Net, e.Trained = o.Net, trained
		set("epochs", &e.Epochs, o.Epochs)
		set("limit", &e.Limit, o.Limit)
		set("show", &e.Show, o.Show)
		return experiment.Mistakes(ctx, e)
	}
	panic("kiso: unreachable experiment " + name) // validate knows the names
}

// printExperiment prints the result's tables.
func printExperiment(w io.Writer, res experimentResult) {
	for i, t := range res.Tables() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, t.Title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(t.Header, "\t"))
		for _, r := range t.Rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		tw.Flush()
	}
}

// experimentProgress shows an experiment's progress: a bar on a terminal,
// otherwise a line at every tenth of the work.
type experimentProgress struct {
	mu   sync.Mutex
	w    io.Writer
	name string
	tty  bool
	bar  *progressbar.ProgressBar
	last int // tenths reported
}

func newExperimentProgress(w io.Writer, name string) *experimentProgress {
	p := &experimentProgress{w: w, name: name}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

func (p *experimentProgress) report(e experiment.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Total < 1 {
		return
	}
	if p.tty {
		if p.bar == nil {
			p.bar = progressbar.NewOptions(e.Total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100e6),
				progressbar.OptionClearOnFinish(),
			)
		}
		p.bar.Describe(fmt.Sprintf("%s: %s", p.name, e.Task))
		p.bar.Set(e.Done)
		return
	}
	if tenth := 10 * e.Done / e.Total; tenth > p.last {
		p.last = tenth
		fmt.Fprintf(p.w, "%s: %d%% (%s)\n", p.name, 10*tenth, e.Task)
	}
}

func (p *experimentProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
	}
}
