package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/tutorial"
)

// xorOptions are the flags of kiso xor; the defaults are the tutorial's.
type xorOptions struct {
	Hidden  int
	InitStd float64
	LR      float64
	Steps   int
	Grad    string
	Seed    int64
	LossCSV string
	Plot    string
	JSON    bool
	Sweep   int
}

func newXORCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &xorOptions{}
	cmd := &cobra.Command{
		Use:   "xor",
		Short: "Train the tutorial's two-layer network on XOR",
		Long: `Train the tutorial's network on XOR: 2 inputs, a sigmoid hidden layer,
softmax output and cross-entropy, stochastic gradient descent on one random
case per step, gradients taken numerically (central differences, the
tutorial's way) or by backpropagation.

With the same --seed it draws the very numbers the tutorial's Python draws
after np.random.seed(seed) and random.seed(seed), so the two runs follow the
same path. The loss of every step goes to --loss-csv and is plotted to --plot.`,
		Example: `  kiso xor
  kiso xor --grad backprop --json
  kiso xor --sweep 100`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runXOR(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Hidden, "hidden", 2, "hidden units")
	f.Float64Var(&o.InitStd, "init-std", 0.1, "standard deviation of the initial weights")
	f.Float64Var(&o.LR, "lr", 0.1, "learning rate")
	f.IntVar(&o.Steps, "steps", 30000, "training steps, one random XOR case each")
	f.StringVar(&o.Grad, "grad", "numerical", "gradient method: numerical or backprop")
	f.Int64Var(&o.Seed, "seed", 0, "random seed, 0 to 4294967295 (np.random.seed and random.seed)")
	f.StringVar(&o.LossCSV, "loss-csv", "loss_data.csv", `CSV file for the loss of every step ("" to skip)`)
	f.StringVar(&o.Plot, "plot", "loss.png", `loss plot, .png or .svg ("" to skip)`)
	f.BoolVar(&o.JSON, "json", false, "print one JSON object instead of text")
	f.IntVar(&o.Sweep, "sweep", 0, "train this many seeds from --seed on and report how many learn XOR (writes no files)")
	return cmd
}

func (o *xorOptions) validate() (tutorial.Method, error) {
	switch {
	case o.Hidden < 1:
		return 0, usagef("--hidden %d: must be at least 1", o.Hidden)
	case o.Hidden > maxHiddenSize:
		return 0, usagef("--hidden %d: more than %d units (maxHiddenSize)", o.Hidden, maxHiddenSize)
	case o.Steps < 1:
		return 0, usagef("--steps %d: must be at least 1", o.Steps)
	case !(o.LR > 0) || math.IsInf(o.LR, 0):
		return 0, usagef("--lr %v: must be a positive number", o.LR)
	case !(o.InitStd >= 0) || math.IsInf(o.InitStd, 0):
		return 0, usagef("--init-std %v: must be zero or positive", o.InitStd)
	case o.Seed < 0 || o.Seed > math.MaxUint32:
		return 0, usagef("--seed %d: must be between 0 and 4294967295", o.Seed)
	case o.Sweep < 0:
		return 0, usagef("--sweep %d: must be zero or positive", o.Sweep)
	case o.Sweep > 0 && uint64(o.Seed)+uint64(o.Sweep)-1 > math.MaxUint32:
		return 0, usagef("--sweep %d from --seed %d: seeds must stay below 4294967296", o.Sweep, o.Seed)
	}
	m, err := tutorial.ParseMethod(o.Grad)
	if err != nil {
		return 0, usagef("--grad %q: must be numerical or backprop", o.Grad)
	}
	return m, nil
}

// xorResult is what one training run reports; its JSON form is the output
// of kiso xor --json.
type xorResult struct {
	Predictions  [][]float64            `json:"predictions"`
	Params       map[string]interface{} `json:"params"`
	FinalLoss    float64                `json:"final_loss"`
	Learned      bool                   `json:"learned"`
	Steps        int                    `json:"steps"`
	Seed         int64                  `json:"seed"`
	Grad         string                 `json:"grad"`
	TrainSeconds float64                `json:"train_seconds"`
	Hint         string                 `json:"hint,omitempty"`

	net    *tutorial.TwoLayerNet[float64]
	losses []float64
}

// trainXOR trains one network with the options and the given seed. keep
// says whether to keep the loss of every step.
func trainXOR(ctx context.Context, o *xorOptions, m tutorial.Method, seed int64, keep bool) (*xorResult, error) {
	xs := data.XOR[float64]()
	x, t := xs.X, data.OneHot(xs.Y, xs.Classes)
	net := tutorial.NewTwoLayerNet[float64](2, o.Hidden, 2, o.InitStd, rng.NewNumpy(uint32(seed)))
	r := &xorResult{Steps: o.Steps, Seed: seed, Grad: m.String(), net: net}
	var record func(int, float64)
	if keep {
		r.losses = make([]float64, 0, o.Steps)
		record = func(_ int, l float64) { r.losses = append(r.losses, l) }
	}
	start := time.Now()
	if err := net.Learn(ctx, x, t, o.Steps, o.LR, m, rng.NewPython(uint64(seed)), record); err != nil {
		return nil, err
	}
	r.TrainSeconds = time.Since(start).Seconds()
	p := net.Predict(x)
	r.Learned = true
	for i, k := range tensor.ArgmaxRows(p) {
		r.Predictions = append(r.Predictions, append([]float64(nil), p.Row(i)...))
		if k != int(xs.Y.Data[i]) {
			r.Learned = false
		}
	}
	if !r.Learned {
		r.Hint = stallHint
	}
	r.FinalLoss = net.Loss(x, t)
	if math.IsNaN(r.FinalLoss) || math.IsInf(r.FinalLoss, 0) {
		return nil, fmt.Errorf("training diverged: final loss %v (try a smaller --lr)", r.FinalLoss)
	}
	r.Params = map[string]interface{}{}
	for _, prm := range net.Params() {
		r.Params[prm.Name] = nested(prm.Value)
	}
	return r, nil
}

// nested returns a rank-1 or rank-2 tensor as []float64 or [][]float64.
func nested(t *tensor.Tensor[float64]) interface{} {
	if t.Rank() == 1 {
		return append([]float64(nil), t.Data...)
	}
	rows := make([][]float64, t.Rows())
	for i := range rows {
		rows[i] = append([]float64(nil), t.Row(i)...)
	}
	return rows
}

func runXOR(ctx context.Context, o *xorOptions, stdout, stderr io.Writer) error {
	m, err := o.validate()
	if err != nil {
		return err
	}
	if o.Sweep > 0 {
		return runXORSweep(ctx, o, m, stdout)
	}
	// Fail before training, not after, if an output cannot be written.
	if o.LossCSV != "" {
		if err := atomicfile.CheckWritable(o.LossCSV); err != nil {
			return fmt.Errorf("--loss-csv: %w", err)
		}
	}
	if o.Plot != "" {
		if err := plot.CheckPath(o.Plot); err != nil {
			return fmt.Errorf("--plot: %w", err)
		}
	}
	r, err := trainXOR(ctx, o, m, o.Seed, o.LossCSV != "" || o.Plot != "")
	if err != nil {
		return err
	}
	if err := writeXORFiles(o, r); err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(r)
	}
	printXOR(stdout, o, r)
	return nil
}

// writeXORFiles writes the loss CSV and the plot, side by side. Together
// they allocate several megabytes (the plot's image and its PNG rows, the
// CSV's text) on a heap of a few: a higher GC target while they run spares
// the collections that would take about a tenth of the plot's time.
func writeXORFiles(o *xorOptions, r *xorResult) error {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	var csvErr, plotErr error
	var wg sync.WaitGroup
	if o.LossCSV != "" {
		wg.Add(1)
		go func() { defer wg.Done(); csvErr = writeLossCSV(o.LossCSV, r.losses) }()
	}
	if o.Plot != "" {
		title := fmt.Sprintf("XOR, %s gradient: loss per step (seed %d)", r.Grad, r.Seed)
		steps := make([]float64, len(r.losses))
		for i := range steps {
			steps[i] = float64(i)
		}
		plotErr = plot.Loss(o.Plot, steps, r.losses, title)
	}
	wg.Wait()
	if csvErr != nil {
		return csvErr
	}
	return plotErr
}

// writeLossCSV writes "step,loss" and one line per step, atomically.
func writeLossCSV(path string, losses []float64) error {
	b := make([]byte, 0, 10+len(losses)*26)
	b = append(b, "step,loss\n"...)
	for i, l := range losses {
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, l, 'g', -1, 64)
		b = append(b, '\n')
	}
	return atomicfile.WriteBytes(path, b)
}

const stallHint = "with 2 hidden units XOR can stall in a local minimum; try another --seed, more --hidden units or more --steps (kiso xor --sweep 100 shows how often)"

var xorInputs = []string{"(1,1)", "(1,0)", "(0,1)", "(0,0)"}

func printXOR(w io.Writer, o *xorOptions, r *xorResult) {
	fmt.Fprintf(w, "XOR: 2-%d-2 network, %s gradient, %d steps, lr %g, seed %d\n\n", o.Hidden, r.Grad, r.Steps, o.LR, r.Seed)
	fmt.Fprintln(w, "input  prediction [P(0) P(1)]")
	for i, p := range r.Predictions {
		fmt.Fprintf(w, "%s  [%.8f %.8f]\n", xorInputs[i], p[0], p[1])
	}
	fmt.Fprintln(w)
	for _, p := range r.net.Params() {
		s := p.Value.String()
		pad := strings.Repeat(" ", len(p.Name)+3)
		fmt.Fprintf(w, "%s = %s\n", p.Name, strings.ReplaceAll(s, "\n", "\n"+pad))
	}
	fmt.Fprintln(w)
	if r.Learned {
		fmt.Fprintf(w, "learned XOR: yes, all 4 cases classified right; final mean loss %.6g\n", r.FinalLoss)
	} else {
		fmt.Fprintf(w, "learned XOR: NO, the network stalled (final mean loss %.6g).\n", r.FinalLoss)
		fmt.Fprintln(w, "hint: "+stallHint)
	}
	fmt.Fprintf(w, "trained in %.3f s\n", r.TrainSeconds)
}

// sweepResult is the report of kiso xor --sweep.
type sweepResult struct {
	Runs        int     `json:"runs"`
	Learned     int     `json:"learned"`
	Rate        float64 `json:"rate"`
	FirstSeed   int64   `json:"first_seed"`
	FailedSeeds []int64 `json:"failed_seeds"`
	Grad        string  `json:"grad"`
	Steps       int     `json:"steps"`
	Hidden      int     `json:"hidden"`
}

// runXORSweep trains o.Sweep seeds in parallel, one per core.
func runXORSweep(ctx context.Context, o *xorOptions, m tutorial.Method, stdout io.Writer) error {
	learned := make([]bool, o.Sweep)
	errs := make([]error, o.Sweep)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := trainXOR(ctx, o, m, o.Seed+int64(i), false)
				if err != nil {
					errs[i] = err
					continue
				}
				learned[i] = r.Learned
			}
		}()
	}
	for i := 0; i < o.Sweep && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	s := sweepResult{Runs: o.Sweep, FirstSeed: o.Seed, FailedSeeds: []int64{}, Grad: m.String(), Steps: o.Steps, Hidden: o.Hidden}
	for i, ok := range learned {
		if errs[i] == nil && ok {
			s.Learned++
		} else {
			s.FailedSeeds = append(s.FailedSeeds, o.Seed+int64(i))
		}
	}
	s.Rate = float64(s.Learned) / float64(s.Runs)
	if o.JSON {
		return json.NewEncoder(stdout).Encode(s)
	}
	fmt.Fprintf(stdout, "XOR sweep: 2-%d-2 network, %s gradient, %d steps, seeds %d to %d\n", o.Hidden, s.Grad, o.Steps, o.Seed, o.Seed+int64(o.Sweep)-1)
	fmt.Fprintf(stdout, "learned XOR: %d of %d (%.1f%%)\n", s.Learned, s.Runs, 100*s.Rate)
	if len(s.FailedSeeds) > 0 {
		fmt.Fprintf(stdout, "stalled seeds: %v\n", s.FailedSeeds)
	}
	return nil
}
