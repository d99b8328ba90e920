package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
)

func init() { extraCommands = append(extraCommands, newGradcheckCmd) }

// gradcheckOptions are the flags of kiso gradcheck.
type gradcheckOptions struct {
	Model       string
	Inputs      int
	Classes     int
	Hidden      string
	Act         string
	Init        string
	Dropout     float64
	BatchNorm   bool
	Batch       int
	Seed        int64
	H           float64
	Tol         float64
	MaxPerParam int
	JSON        bool
}

// Limits of a default gradient check: a network of more than
// gradcheckFullLimit parameter values is checked on gradcheckSample
// elements of each parameter unless --max-per-param is given (SimpleConvNet,
// 433,000 values, took more than 20 minutes whole). A check still running
// after gradcheckProgressAfter reports progress every
// gradcheckProgressEvery on stderr.
const (
	gradcheckFullLimit = 20000
	gradcheckSample    = 30
)

var (
	gradcheckProgressAfter = 3 * time.Second
	gradcheckProgressEvery = 2 * time.Second
)

func newGradcheckCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &gradcheckOptions{}
	cmd := &cobra.Command{
		Use:   "gradcheck",
		Short: "Compare backpropagation with central differences, parameter by parameter",
		Long: `Build a network in float64 (random small biases, so that no ReLU sits
exactly on its kink), run a random batch through it, and compare
the gradient of every parameter from backpropagation with the numerical
gradient by central differences (step --h). Prints the largest relative
error |a-b|/max(|a|,|b|,1e-3) per parameter and fails (exit 1) if any
exceeds --tol. Dropout masks are held fixed; batch norm runs in training
mode, as in training. Parameters are named and shaped as in model files
(a Linear weight is [out, in], as in PyTorch's state_dict).

A network of more than 20000 parameter values (simplecnn, deepcnn) is
checked on 30 randomly chosen elements of each parameter unless
--max-per-param says otherwise (0: all; a full check costs two forward
passes per element); the output says so. A check running longer than a
few seconds reports its progress on stderr.`,
		Example: `  kiso gradcheck --hidden 10,10 --act tanh --batchnorm --dropout 0.3
  kiso gradcheck --model simplecnn --max-per-param 20
  kiso gradcheck --model arch.json --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGradcheck(cmd.Context(), o, cmd.Flags().Changed, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "mlp", "mlp, simplecnn, deepcnn, or an architecture JSON file")
	f.IntVar(&o.Inputs, "inputs", 8, "mlp: input features")
	f.IntVar(&o.Classes, "classes", 3, "mlp: output classes")
	f.StringVar(&o.Hidden, "hidden", "6,5", "mlp: hidden layer sizes")
	f.StringVar(&o.Act, "act", "tanh", "mlp: activation")
	f.StringVar(&o.Init, "init", "xavier", "weight initializer: he, xavier, or a standard deviation")
	f.Float64Var(&o.Dropout, "dropout", 0, "mlp: dropout rate (masks held fixed during the check)")
	f.BoolVar(&o.BatchNorm, "batchnorm", false, "mlp: batch normalization")
	f.IntVar(&o.Batch, "batch", 8, "cases in the random batch")
	f.Int64Var(&o.Seed, "seed", 1, "random seed for the weights, the batch and the sampled elements")
	f.Float64Var(&o.H, "h", 1e-5, "central-difference step (1e-5 balances truncation and rounding error in float64; the tutorial's is 1e-4)")
	f.Float64Var(&o.Tol, "tol", 1e-6, "largest relative error that passes")
	f.IntVar(&o.MaxPerParam, "max-per-param", 0, "check at most this many elements of each parameter (0: all; default 30 for networks of more than 20000 values)")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// gradcheckReport is kiso gradcheck --json's output.
type gradcheckReport struct {
	Model  string           `json:"model"`
	Params []numgrad.Result `json:"params"`
	// SampledPerParam is the number of elements checked at most per
	// parameter, 0 when all are.
	SampledPerParam int     `json:"sampled_per_param"`
	MaxRelErr       float64 `json:"max_rel_err"`
	Tolerance       float64 `json:"tolerance"`
	Passed          bool    `json:"passed"`
}

func runGradcheck(ctx context.Context, o *gradcheckOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	switch {
	case o.Inputs < 1:
		return usagef("--inputs %d: must be at least 1", o.Inputs)
	case o.Classes < 2:
		return usagef("--classes %d: must be at least 2", o.Classes)
	case o.Batch < 1:
		return usagef("--batch %d: must be at least 1", o.Batch)
	case o.BatchNorm && o.Batch < 2:
		return usagef("--batch %d: batch normalization needs at least 2 cases", o.Batch)
	case !(o.H > 0) || o.H > 0.1:
		return usagef("--h %v: must be in (0, 0.1]", o.H)
	case !(o.Tol > 0):
		return usagef("--tol %v: must be positive", o.Tol)
	case o.MaxPerParam < 0:
		return usagef("--max-per-param %d: must be zero (all) or positive", o.MaxPerParam)
	case !(o.Dropout >= 0 && o.Dropout < 1):
		return usagef("--dropout %v: must be in [0, 1)", o.Dropout)
	case o.Seed < 0 || o.Seed > math.MaxUint32:
		return usagef("--seed %d: must be between 0 and 4294967295", o.Seed)
	}
	spec, fromFile, err := readModelSpec(o.Model)
	if err != nil {
		return err
	}
	if o.Model == "mlp" {
		m := mlpFlags{Hidden: o.Hidden, Act: o.Act, BatchNorm: o.BatchNorm, Dropout: o.Dropout}
		if spec, err = m.spec(o.Inputs, o.Classes); err != nil {
			return err
		}
	} else if !fromFile {
		spec.Input = []int{1, 28, 28}
	}
	if len(spec.Input) == 0 {
		return fmt.Errorf("%s: the architecture needs an \"input\" shape for a gradient check", o.Model)
	}
	out, err := spec.Validate(nil)
	if err != nil {
		return fmt.Errorf("architecture: %w", err)
	}
	if most := maxCheckBatch(spec); o.Batch > most {
		return usagef("--batch %d: more than the %d cases of this network that fit in maxBatchValues (%d values)", o.Batch, most, maxBatchValues)
	}
	init, err := nn.ParseInit(o.Init)
	if err != nil {
		return usagef("--init %q: want he, xavier or a standard deviation", o.Init)
	}
	r := rng.NewNumpy(uint32(o.Seed))
	net, err := nn.Build[float64](spec, init, r)
	if err != nil {
		return fmt.Errorf("architecture: %w", err)
	}
	// Dropout masks held, small random biases, a random batch: see
	// numgrad.Prepare.
	x, t := numgrad.Prepare(net, spec.Input, o.Batch, numel(out), r)
	values := 0
	for _, p := range net.Params() {
		values += p.Value.Len()
	}
	note := stdout
	if o.JSON {
		note = stderr
	}
	if !changed("max-per-param") && values > gradcheckFullLimit {
		o.MaxPerParam = gradcheckSample
		fmt.Fprintf(note, "%s has %d parameter values, more than %d: checking %d sampled elements of each parameter (--max-per-param 0 checks them all)\n",
			o.Model, values, gradcheckFullLimit, gradcheckSample)
	}
	start, next := time.Now(), gradcheckProgressAfter
	progress := func(done, total int) {
		if el := time.Since(start); el >= next && done < total {
			left := time.Duration(float64(el) / float64(done) * float64(total-done)).Round(time.Second)
			fmt.Fprintf(stderr, "gradcheck: %d of %d elements checked (%d%%), about %v left\n", done, total, 100*done/total, left)
			next = el + gradcheckProgressEvery
		}
	}
	res, err := numgrad.CheckContext[float64](ctx, net, &loss.SoftmaxCrossEntropy[float64]{}, x, t, true, o.H,
		numgrad.Options{MaxPerParam: o.MaxPerParam, Rand: r, Progress: progress})
	if err != nil {
		return err
	}
	numgrad.FileShapes(net.Params(), res)
	rep := gradcheckReport{Model: o.Model, Params: res, SampledPerParam: o.MaxPerParam, MaxRelErr: numgrad.MaxRelErr(res), Tolerance: o.Tol}
	rep.Passed = rep.MaxRelErr <= o.Tol
	if o.JSON {
		if err := json.NewEncoder(stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "parameter\tshape\tchecked\tmax rel err\tmax abs err\t")
		for _, p := range res {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.3g\t%.3g\t\n", p.Name, strings.Trim(fmt.Sprint(p.Shape), "[]"), p.Checked, p.MaxRelErr, p.MaxAbsErr)
		}
		tw.Flush()
		verdict := "passed"
		if !rep.Passed {
			verdict = "FAILED"
		}
		fmt.Fprintf(stdout, "largest relative error %.3g: %s (tolerance %g)\n", rep.MaxRelErr, verdict, o.Tol)
	}
	if !rep.Passed {
		return fmt.Errorf("gradient check failed: largest relative error %.3g exceeds %g", rep.MaxRelErr, o.Tol)
	}
	return nil
}
