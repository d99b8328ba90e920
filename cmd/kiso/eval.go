package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

func init() { extraCommands = append(extraCommands, newEvalCmd) }

// evalOptions are the flags of kiso eval.
type evalOptions struct {
	dataOptions
	Model string
	Split string
	Batch int
	Seed  int64
	JSON  bool
}

func newEvalCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &evalOptions{}
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure a saved model's loss, accuracy and confusion matrix",
		Long: `Evaluate a .kiso model on a dataset: MNIST's test (or training) images,
a CSV file (standardized as the model's training data was), or a toy 2-D
set. Prints the loss, the accuracy and the confusion matrix (rows: true
class, columns: predicted class).

--split chooses the part: test (the default), train, or all (toy sets and
CSVs; the default for a model trained with --test-frac 0). For a toy set or CSV the model file records how kiso train split
the data (the fraction held out and the seed, and a toy set's --points,
--noise and --seed), so --split test evaluates exactly the cases train
held out and reproduces its test accuracy; flags given override what the
file records. A model that records no split (written by an older kiso) is
evaluated on all the data.`,
		Example: `  kiso eval --model mnist.kiso --data mnist
  kiso eval --model spiral.kiso --data spiral --split train
  kiso eval --model fashion.kiso --data fashion-mnist
  kiso eval --model iris.kiso --data csv:iris.csv --label species --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEval(cmd.Context(), o, cmd.Flags().Changed, stdout, stderr)
		},
	}
	addDataFlags(cmd, &o.dataOptions)
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "the .kiso model file")
	f.StringVar(&o.Split, "split", "", "test, train or all (toy sets and CSVs); default test, or all for a model that records no split")
	f.IntVar(&o.Batch, "batch", 500, "cases per forward pass")
	f.Int64Var(&o.Seed, "seed", 1, "toy sets: the seed they were generated with")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// evalReport is kiso eval --json's output.
type evalReport struct {
	Model     string   `json:"model"`
	Data      string   `json:"data"`
	Split     string   `json:"split"`
	Cases     int      `json:"cases"`
	Loss      float64  `json:"loss"`
	Accuracy  *float64 `json:"accuracy"`
	Confusion [][]int  `json:"confusion,omitempty"`
	Classes   []string `json:"classes,omitempty"`
}

func runEval(ctx context.Context, o *evalOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	if o.Model == "" {
		return usagef("--model is required: a .kiso file written by kiso train")
	}
	if err := o.dataOptions.validate(); err != nil {
		return err
	}
	switch {
	case o.Split != "" && o.Split != "test" && o.Split != "train" && o.Split != "all":
		return usagef("--split %q: must be test, train or all", o.Split)
	case o.Split == "all" && o.images():
		return usagef("--split all: %s's parts are fixed; evaluate --split train and --split test", o.Data)
	case o.Batch < 1:
		return usagef("--batch %d: must be at least 1", o.Batch)
	case o.Seed < 0 || o.Seed > math.MaxUint32-1:
		return usagef("--seed %d: must be between 0 and 4294967294", o.Seed)
	}
	m, err := model.Load[float64](o.Model)
	if err != nil {
		return err
	}
	if err := o.recordedSplit(m.Info, changed, stderr); err != nil {
		return err
	}
	set, err := evalSet(ctx, o, m, stderr)
	if err != nil {
		return err
	}
	l := loss.ForTask[float64](set.Classes)
	met, err := train.Evaluate[float64](ctx, m.Net, l, set, fitBatch(m.Spec, set.InputShape(), o.Batch))
	if err != nil {
		return fmt.Errorf("%s on %s: %w", o.Model, o.Data, err)
	}
	rep := evalReport{Model: o.Model, Data: o.Data, Split: o.Split, Cases: met.N, Loss: met.Loss, Accuracy: finite(met.Accuracy), Confusion: met.Confusion, Classes: set.ClassNames}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "%s on %s (%s): %d cases, loss %.4f", o.Model, o.Data, o.Split, met.N, met.Loss)
	if rep.Accuracy != nil {
		fmt.Fprintf(stdout, ", accuracy %.2f%%", 100**rep.Accuracy)
	}
	fmt.Fprintln(stdout)
	if met.Confusion != nil {
		fmt.Fprintln(stdout, "\nconfusion matrix (rows: true class, columns: predicted):")
		printConfusion(stdout, met.Confusion, set.ClassNames)
	}
	return nil
}

// recordedSplit sets the data options that the model file records and
// the command line does not give: a toy set's seed, points and noise, and
// how a toy set or CSV was split. It then settles --split: test by
// default, all for a model that records no split.
func (o *evalOptions) recordedSplit(info model.Info, changed func(string) bool, stderr io.Writer) error {
	if !changed("seed") && info.Seed != nil && *info.Seed <= math.MaxUint32-1 {
		o.Seed = int64(*info.Seed)
	}
	o.dataOptions.Seed, o.SplitSeed = uint32(o.Seed), uint32(o.Seed)+1
	if o.images() {
		if o.Split == "" {
			o.Split = "test"
		}
		return nil
	}
	sp := info.Split
	if sp == nil {
		if o.Split == "" {
			fmt.Fprintf(stderr, "%s records no train/test split (an older kiso wrote it): evaluating all the data\n", o.Model)
			o.Split = "all"
		}
		if o.Split != "all" && !changed("test-frac") {
			return usagef("--split %s: %s records no train/test split; give the --test-frac and --seed it was trained with, or use --split all", o.Split, o.Model)
		}
	} else {
		if !changed("test-frac") {
			o.TestFrac = sp.TestFrac
		}
		if !changed("seed") && sp.Seed <= math.MaxUint32 {
			o.SplitSeed = uint32(sp.Seed)
		}
		if sp.Points > 0 && !changed("points") {
			o.Points = sp.Points
		}
		if sp.Points > 0 && !changed("noise") {
			o.Noise = sp.Noise
		}
	}
	if o.Split == "" {
		o.Split = "test"
		if o.TestFrac == 0 {
			o.Split = "all" // nothing was held out
		}
	}
	if o.Split != "all" && o.TestFrac == 0 {
		return usagef("--split %s: %s was trained on all the data (--test-frac 0); use --split all", o.Split, o.Model)
	}
	if o.Split == "all" {
		o.TestFrac = 0
	}
	return o.dataOptions.validate()
}

// evalSet loads the data to evaluate in the layout the model expects.
func evalSet(ctx context.Context, o *evalOptions, m *model.Loaded[float64], stderr io.Writer) (*data.Set[float64], error) {
	images := len(m.Spec.Input) == 3
	o.Points = max(o.Points, 2)
	ds, err := loadDataset[float64](ctx, &o.dataOptions, images, stderr)
	if err != nil {
		return nil, err
	}
	set := ds.train
	if o.Split == "test" {
		set = ds.test
	}
	if o.kind() == "csv" {
		// loadDataset standardized with the data's own statistics; undo
		// that and apply the model's, fitted on its training data.
		if len(m.Info.Mean) != set.X.Cols() || len(m.Info.Std) != set.X.Cols() {
			return nil, fmt.Errorf("%s: the model was trained on %d features with standardization %d, %s has %d features", o.Model, len(m.Info.Mean), len(m.Info.Std), o.Data, set.X.Cols())
		}
		restandardize(set.X, ds.mean, ds.std, m.Info.Mean, m.Info.Std)
		if m.Info.ClassNames != nil {
			if err := relabel(set, m.Info.ClassNames); err != nil {
				return nil, fmt.Errorf("%s: %w", o.Data, err)
			}
		}
	}
	if want := m.Spec.Input; len(want) > 0 && numel(want) != numel(set.InputShape()) {
		return nil, fmt.Errorf("%s takes inputs of shape %v, %s has %d features per case", o.Model, want, o.Data, numel(set.InputShape()))
	}
	// A model that records no input shape is checked on the data's, as
	// Load checks one that does, within nn's limits.
	if _, err := m.Spec.Validate(set.InputShape()); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", o.Model, o.Data, err)
	}
	return set, nil
}

// restandardize maps x, standardized with (m1, s1), to standardization
// with (m2, s2).
func restandardize(x *tensor.Tensor[float64], m1, s1, m2, s2 []float64) {
	c := x.Cols()
	for i, v := range x.Data {
		j := i % c
		x.Data[i] = (v*s1[j] + m1[j] - m2[j]) / s2[j]
	}
}

// relabel renumbers set's classes in the order of the model's class names.
func relabel(set *data.Set[float64], names []string) error {
	index := map[string]int{}
	for i, n := range names {
		index[n] = i
	}
	for i, v := range set.Y.Data {
		name := strconv.Itoa(int(v))
		if set.ClassNames != nil {
			name = set.ClassNames[int(v)]
		}
		k, ok := index[name]
		if !ok {
			return fmt.Errorf("case %d has label %q, which the model was not trained on (it knows %s)", i+1, name, strings.Join(names, ", "))
		}
		set.Y.Data[i] = float64(k)
	}
	set.Classes, set.ClassNames = len(names), names
	return nil
}

func printConfusion(w io.Writer, c [][]int, names []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', tabwriter.AlignRight)
	label := func(i int) string {
		if i < len(names) {
			return names[i]
		}
		return strconv.Itoa(i)
	}
	fmt.Fprint(tw, "\t")
	for j := range c {
		fmt.Fprintf(tw, "%s\t", label(j))
	}
	fmt.Fprintln(tw)
	for i, row := range c {
		fmt.Fprintf(tw, "%s\t", label(i))
		for _, n := range row {
			fmt.Fprintf(tw, "%d\t", n)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
