package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
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
mode, as in training.`,
		Example: `  kiso gradcheck --hidden 10,10 --act tanh --batchnorm --dropout 0.3
  kiso gradcheck --model simplecnn --max-per-param 20
  kiso gradcheck --model arch.json --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGradcheck(cmd.Context(), o, stdout)
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
	f.IntVar(&o.MaxPerParam, "max-per-param", 0, "check at most this many elements of each parameter (0: all; large CNNs take long)")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// gradcheckReport is kiso gradcheck --json's output.
type gradcheckReport struct {
	Model     string           `json:"model"`
	Params    []numgrad.Result `json:"params"`
	MaxRelErr float64          `json:"max_rel_err"`
	Tolerance float64          `json:"tolerance"`
	Passed    bool             `json:"passed"`
}

func runGradcheck(ctx context.Context, o *gradcheckOptions, stdout io.Writer) error {
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
	to := trainOptions{Model: o.Model, Hidden: o.Hidden}
	spec, fromFile, err := to.readSpec()
	if err != nil {
		return err
	}
	if o.Model == "mlp" {
		hidden, err := to.hiddenSizes()
		if err != nil {
			return err
		}
		act, err := nn.ParseFunc(o.Act)
		if err != nil {
			return usagef("--act %q: want relu, sigmoid, tanh, leakyrelu, identity or step", o.Act)
		}
		spec = nn.MLP(o.Inputs, hidden, o.Classes, act, nn.MLPOptions{BatchNorm: o.BatchNorm, Dropout: o.Dropout})
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
	init, err := nn.ParseInit(o.Init)
	if err != nil {
		return usagef("--init %q: want he, xavier or a standard deviation", o.Init)
	}
	r := rng.NewNumpy(uint32(o.Seed))
	net, err := nn.Build[float64](spec, init, r)
	if err != nil {
		return fmt.Errorf("architecture: %w", err)
	}
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dropout[float64]); ok {
			d.Freeze()
		}
	}
	// Biases start at zero, which can put a ReLU exactly on its kink (an
	// input row that dropout or ReLU zeroed, plus a zero bias), where the
	// function has no derivative. Small random biases keep the check off it.
	for _, p := range net.Params() {
		if isLinearOrConvBias(net, p) {
			tensor.FillNormal(p.Value, r, 0, 0.1)
		}
	}
	shape := append([]int{o.Batch}, spec.Input...)
	x := tensor.RandN[float64](r, 1, shape...)
	classes := numel(out)
	t := tensor.New[float64](o.Batch)
	for i := range t.Data {
		t.Data[i] = float64(r.Below(classes))
	}
	// One forward pass in training mode draws the dropout masks that the
	// check then keeps.
	net.Forward(x, true)
	res := numgrad.CheckSample[float64](net, &loss.SoftmaxCrossEntropy[float64]{}, x, t, true, o.H, o.MaxPerParam, r)
	rep := gradcheckReport{Model: o.Model, Params: res, MaxRelErr: numgrad.MaxRelErr(res), Tolerance: o.Tol}
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

// isLinearOrConvBias reports whether p is the bias of a Linear or Conv2D
// layer of net (batch norm's shift stays at its initial 0).
func isLinearOrConvBias(net *nn.Sequential[float64], p *nn.Param[float64]) bool {
	for _, l := range net.Layers {
		switch l := l.(type) {
		case *nn.Linear[float64]:
			if l.B == p {
				return true
			}
		case *nn.Conv2D[float64]:
			if l.B == p {
				return true
			}
		}
	}
	return false
}
