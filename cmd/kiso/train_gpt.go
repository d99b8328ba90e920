package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/internal/cputime"
	"github.com/kiso-go/kiso/lm"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/text"
	"github.com/kiso-go/kiso/train"
)

// gptOptions are the flags kiso train has for --model gpt only, besides
// the ones it shares with the other models (--data, --lr, --batch,
// --weight-decay, --dropout, --seed, --dtype, --out, --history,
// --plot-loss, --checkpoint, --resume, --json, --quiet).
type gptOptions struct {
	Layers    int     `json:"layers"`
	Heads     int     `json:"heads"`
	Embd      int     `json:"embd"`
	Block     int     `json:"block"`
	Iters     int     `json:"iters"`
	Warmup    int     `json:"warmup"`
	MinLR     float64 `json:"min_lr"`
	GradClip  float64 `json:"grad_clip"`
	EvalEvery int     `json:"eval_every"`
	EvalIters int     `json:"eval_iters"`
	Tokenizer string  `json:"tokenizer"`
	LogEvery  int     `json:"-"`
}

// The defaults of kiso train --model gpt where they differ from the other
// models': nanoGPT's CPU configuration on Opticks.
const (
	gptDefaultData        = "opticks"
	gptDefaultBatch       = 12
	gptDefaultWeightDecay = 0.1
	gptDefaultOut         = "gpt.kiso"
)

// addGPTFlags adds the flags of --model gpt to kiso train.
func addGPTFlags(cmd *cobra.Command) *gptOptions {
	g := &gptOptions{}
	f := cmd.Flags()
	f.IntVar(&g.Layers, "layers", 4, "gpt: transformer blocks")
	f.IntVar(&g.Heads, "heads", 4, "gpt: attention heads (must divide --embd)")
	f.IntVar(&g.Embd, "embd", 128, "gpt: embedding size")
	f.IntVar(&g.Block, "block", 64, "gpt: context window in tokens")
	f.IntVar(&g.Iters, "iters", 2000, "gpt: training steps")
	f.IntVar(&g.Warmup, "warmup", 100, "gpt: steps of linear learning-rate warmup")
	f.Float64Var(&g.MinLR, "min-lr", 1e-4, "gpt: learning rate at the end of the cosine decay")
	f.Float64Var(&g.GradClip, "grad-clip", 1, "gpt: bound on the global gradient norm (0: none)")
	f.IntVar(&g.EvalEvery, "eval-every", 250, "gpt: steps between loss estimates")
	f.IntVar(&g.EvalIters, "eval-iters", 20, "gpt: batches per loss estimate")
	f.StringVar(&g.Tokenizer, "tokenizer", "char", "gpt: char (the corpus' characters) or a tokenizer file from kiso tokenizer train")
	f.IntVar(&g.LogEvery, "log-every", 100, "gpt: steps between progress lines")
	return g
}

// gptMeta is what a GPT checkpoint keeps besides the tensors: the options
// (to rebuild the run) and the history so far.
type gptMeta struct {
	Model   string        `json:"model"` // "gpt"
	Train   *trainOptions `json:"train"`
	GPT     *gptOptions   `json:"gpt"`
	History []gptPoint    `json:"history"`
	Tokens  int           `json:"tokens"`
	Seconds float64       `json:"seconds"`
}

// gptPoint is one loss estimate of the history, made after Step steps;
// LR is the learning rate of the step that follows (of the last at the
// end).
type gptPoint struct {
	Step      int     `json:"step"`
	LR        float64 `json:"lr"`
	TrainLoss float64 `json:"train_loss"`
	ValLoss   float64 `json:"val_loss"`
	Tokens    int     `json:"tokens"`
	Seconds   float64 `json:"seconds"`
}

// isGPTCheckpoint reports whether path is a checkpoint of kiso train
// --model gpt.
func isGPTCheckpoint(path string) bool {
	if path == "" {
		return false
	}
	st, err := train.LoadState(path)
	if err != nil {
		return false
	}
	var m struct {
		Model string `json:"model"`
	}
	return json.Unmarshal(st.Meta, &m) == nil && m.Model == "gpt"
}

// validate checks the GPT flags.
func (g *gptOptions) validate(o *trainOptions) error {
	for _, c := range []struct {
		name string
		v    int
	}{{"--layers", g.Layers}, {"--heads", g.Heads}, {"--embd", g.Embd}, {"--block", g.Block}, {"--iters", g.Iters}, {"--batch", o.Batch}} {
		if c.v < 1 {
			return usagef("%s %d: want at least 1", c.name, c.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"--layers", g.Layers}, {"--heads", g.Heads}, {"--embd", g.Embd}, {"--block", g.Block}, {"--batch", o.Batch}} {
		if c.v > 1<<16 {
			return usagef("%s %d: want at most %d", c.name, c.v, 1<<16)
		}
	}
	if g.Embd%g.Heads != 0 {
		return usagef("--heads %d does not divide --embd %d", g.Heads, g.Embd)
	}
	if g.Warmup < 0 || g.Warmup >= g.Iters {
		return usagef("--warmup %d: want 0 to --iters−1 (%d)", g.Warmup, g.Iters-1)
	}
	if g.EvalEvery < 1 || g.EvalIters < 0 || g.LogEvery < 1 {
		return usagef("--eval-every %d, --eval-iters %d, --log-every %d: want at least 1, 0 and 1", g.EvalEvery, g.EvalIters, g.LogEvery)
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 0) || !(g.MinLR >= 0) || g.MinLR > o.LR {
		return usagef("--lr %v, --min-lr %v: want 0 ≤ min-lr ≤ lr, lr positive and finite", o.LR, g.MinLR)
	}
	if !(o.WeightDecay >= 0) || !(g.GradClip >= 0) || !(o.Dropout >= 0 && o.Dropout < 1) {
		return usagef("--weight-decay %v, --grad-clip %v, --dropout %v: want non-negative, non-negative, in [0, 1)", o.WeightDecay, g.GradClip, o.Dropout)
	}
	if o.DType != "float32" && o.DType != "float64" {
		return usagef("--dtype %q: want float32 or float64", o.DType)
	}
	if o.PlotAcc != "" || o.PlotBoundary != "" {
		return usagef("--plot-acc and --plot-boundary are for classifiers, not --model gpt")
	}
	return nil
}

// gptDefaults sets the defaults of --model gpt for the shared flags not
// given.
func gptDefaults(o *trainOptions, changed func(string) bool) {
	if !changed("data") {
		o.Data = gptDefaultData
	}
	if !changed("batch") {
		o.Batch = gptDefaultBatch
	}
	if !changed("weight-decay") {
		o.WeightDecay = gptDefaultWeightDecay
	}
	if !changed("out") {
		o.Out = gptDefaultOut
	}
	o.OutGiven = changed("out")
	o.Model = "gpt"
}

// gptWarmup shortens the default warmup of a run shorter than it to a
// twentieth of the run.
func gptWarmup(g *gptOptions, changed func(string) bool) {
	if !changed("warmup") && g.Warmup >= g.Iters {
		g.Warmup = g.Iters / 20
	}
}

// loadGPTResume reads the options saved in the checkpoint o.Resume into o
// and g, keeping the output flags given again and --iters.
func loadGPTResume(o *trainOptions, g *gptOptions, changed func(string) bool) (*train.State, *gptMeta, error) {
	st, err := train.LoadState(o.Resume)
	if err != nil {
		return nil, nil, err
	}
	meta := &gptMeta{}
	if err := json.Unmarshal(st.Meta, meta); err != nil || meta.Model != "gpt" || meta.Train == nil || meta.GPT == nil {
		return nil, nil, fmt.Errorf("%s: not a checkpoint of kiso train --model gpt", o.Resume)
	}
	keep := *o
	keepG := *g
	*o = *meta.Train
	*g = *meta.GPT
	o.Resume, o.JSON, o.Quiet = keep.Resume, keep.JSON, keep.Quiet
	g.LogEvery = keepG.LogEvery
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{{"out", &o.Out, keep.Out}, {"history", &o.HistoryCSV, keep.HistoryCSV}, {"plot-loss", &o.PlotLoss, keep.PlotLoss}, {"checkpoint", &o.Checkpoint, keep.Checkpoint}} {
		if changed(f.name) {
			*f.dst = f.v
		}
	}
	if changed("out") {
		o.OutGiven = true
	}
	if changed("iters") {
		g.Iters = keepG.Iters
	}
	return st, meta, nil
}

// runTrainGPT is kiso train --model gpt.
func runTrainGPT(ctx context.Context, o *trainOptions, g *gptOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	var st *train.State
	var meta *gptMeta
	if o.Resume != "" {
		var err error
		if st, meta, err = loadGPTResume(o, g, changed); err != nil {
			return err
		}
	} else {
		gptDefaults(o, changed)
		gptWarmup(g, changed)
	}
	if err := g.validate(o); err != nil {
		return err
	}
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
	if o.PlotLoss != "" {
		if err := plot.CheckPath(o.PlotLoss); err != nil {
			return fmt.Errorf("--plot-loss: %w", err)
		}
	}
	if o.DType == "float64" {
		return trainGPTAs[float64](ctx, o, g, st, meta, stdout, stderr)
	}
	return trainGPTAs[float32](ctx, o, g, st, meta, stdout, stderr)
}

// gptTokenizer returns the tokenizer --tokenizer names for corpus c.
func gptTokenizer(c *text.Corpus, name string) (text.Tokenizer, error) {
	if name == "char" {
		return text.NewChar(c.Text)
	}
	tok, err := text.LoadTokenizer(name)
	if err != nil {
		return nil, fmt.Errorf("--tokenizer: %w", err)
	}
	return tok, nil
}

func trainGPTAs[T tensor.Float](ctx context.Context, o *trainOptions, g *gptOptions, st *train.State, meta *gptMeta, stdout, stderr io.Writer) error {
	progress := stdout
	if o.JSON {
		progress = stderr
	}
	if o.Quiet {
		progress = io.Discard
	}
	corpus, err := text.Load(ctx, o.Data, text.Options{})
	if err != nil {
		return fmt.Errorf("--data %s: %w", o.Data, err)
	}
	tok, err := gptTokenizer(corpus, g.Tokenizer)
	if err != nil {
		return err
	}
	data, err := text.NewLMData(corpus, tok, g.Block)
	if err != nil {
		return err
	}
	cfg := nn.GPTConfig{Vocab: tok.VocabSize(), Block: g.Block, Layers: g.Layers, Heads: g.Heads, Embd: g.Embd, Dropout: o.Dropout}
	spec, err := nn.Architecture("gpt", cfg)
	if err != nil {
		return usageError{err.Error()}
	}
	seed := uint32(o.Seed)
	net, err := nn.Build[T](spec, nn.Normal(0.02), rng.NewNumpy(seed))
	if err != nil {
		return err
	}
	gpt := net.Layers[0].(*nn.GPT[T])
	m := lm.NewGPT(gpt)
	opt := optim.NewAdamW[T](o.LR, 0.9, 0.99, o.WeightDecay)
	batches := lm.NewWindows(data.Train, o.Batch, rng.NewNumpy(seed+1))
	sched := optim.WarmupCosine{Base: o.LR, Min: g.MinLR, Warmup: g.Warmup, Decay: g.Iters}
	tr := lm.NewTrainer[T](m, opt, batches,
		lm.NewWindows(data.Train, o.Batch, rng.NewNumpy(seed+2)), lm.NewWindows(data.Val, o.Batch, rng.NewNumpy(seed+3)),
		lm.Config{Iters: g.Iters, Schedule: sched,
			Clip: g.GradClip, EvalEvery: g.EvalEvery, EvalIters: g.EvalIters})
	if meta == nil {
		meta = &gptMeta{Model: "gpt", Train: o, GPT: g}
	} else {
		meta.Train, meta.GPT = o, g
		if err := restoreGPT(st, tr, batches.R, gpt); err != nil {
			return fmt.Errorf("%s: %w", o.Resume, err)
		}
		fmt.Fprintf(progress, "resuming %s from step %d\n", o.Resume, tr.Step)
	}
	if tr.Step >= g.Iters {
		return usagef("the checkpoint has taken %d steps already; give a larger --iters to continue", tr.Step)
	}
	nParams := 0
	for _, p := range m.Params() {
		nParams += p.Value.Len()
	}
	fmt.Fprintf(progress, "%s: %d tokens (%s, vocabulary %d), %d for training, %d for validation\n",
		corpus.Name, data.Train.Tokens()+data.Val.Tokens(), tok.Kind(), tok.VocabSize(), data.Train.Tokens(), data.Val.Tokens())
	fmt.Fprintf(progress, "gpt: %d layers, %d heads, %d features, window %d, %d parameters, %s; batch %d, %d steps\n",
		g.Layers, g.Heads, g.Embd, g.Block, nParams, o.DType, o.Batch, g.Iters)

	save := func(path string) error { return saveGPTCheckpoint(path, tr, batches.R, gpt, meta) }
	cpu0, cpuOK := cputime.Process()
	startTokens, startSecs := meta.Tokens, meta.Seconds
	var lastEval lm.Point
	err = tr.Run(ctx, func(p lm.Point) error {
		meta.Tokens, meta.Seconds = startTokens+p.Tokens, startSecs+p.Seconds
		if p.Eval {
			lastEval = p
			if n := len(meta.History); n > 0 && meta.History[n-1].Step == p.Step {
				return nil // the estimate the checkpoint was saved after
			}
			meta.History = append(meta.History, gptPoint{Step: p.Step, LR: sched.LR(p.Step), TrainLoss: p.TrainLoss, ValLoss: p.ValLoss, Tokens: meta.Tokens, Seconds: meta.Seconds})
			fmt.Fprintf(progress, "step %d: train loss %.4f, val loss %.4f\n", p.Step, p.TrainLoss, p.ValLoss)
			if o.Checkpoint != "" && p.Step > 0 && p.Step < g.Iters {
				if err := save(o.Checkpoint); err != nil {
					return fmt.Errorf("--checkpoint: %w", err)
				}
			}
			return nil
		}
		if p.Step%g.LogEvery == 0 || p.Step == 1 {
			rate := float64(p.Tokens) / max(p.Seconds, 1e-9)
			left := time.Duration(float64((g.Iters-p.Step)*o.Batch*g.Block) / rate * float64(time.Second))
			fmt.Fprintf(progress, "step %d/%d: loss %.4f, lr %.2e, %.0f tokens/s, %s left\n", p.Step, g.Iters, p.Loss, p.LR, rate, left.Round(time.Second))
		}
		return nil
	})
	cpu1, _ := cputime.Process()
	if errors.Is(err, context.Canceled) {
		return o.saveInterrupted(save)
	}
	if err != nil {
		return err
	}
	full, err := lm.FullLoss(ctx, m, data.Val, 64)
	if err != nil {
		return o.saveInterrupted(save)
	}
	rate := float64(meta.Tokens) / max(meta.Seconds, 1e-9)
	fmt.Fprintf(progress, "full validation loss %.4f (all %d non-overlapping windows of %d tokens)\n", full, data.Val.Count(), g.Block)
	if err := finishGPT(o, meta, net, tok, full); err != nil {
		return err
	}
	if o.Out != "" {
		fmt.Fprintf(progress, "model saved to %s (kiso generate --model %s)\n", o.Out, shellQuote(o.Out))
	}
	fmt.Fprintf(progress, "done: %d steps, %.0f tokens/s over %.1f s of training\n", tr.Step, rate, meta.Seconds)
	if o.JSON {
		out := map[string]any{
			"model": "gpt", "data": o.Data, "tokenizer": tok.Kind(), "vocab": tok.VocabSize(), "params": nParams,
			"iters": tr.Step, "full_val_loss": full, "tokens_per_second": rate, "train_seconds": meta.Seconds,
		}
		if lastEval.Eval { // the last periodic estimate; none with --eval-iters 0
			out["train_loss"], out["val_loss"] = lastEval.TrainLoss, lastEval.ValLoss
		}
		if cpuOK {
			out["cpu_seconds"] = (cpu1 - cpu0).Seconds()
		}
		if rss, ok := peakRSS(); ok {
			out["peak_rss_bytes"] = rss
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return nil
}

// finishGPT writes the model file (with the tokenizer in its metadata),
// the history CSV and the loss plot.
func finishGPT[T tensor.Float](o *trainOptions, meta *gptMeta, net *nn.Sequential[T], tok text.Tokenizer, full float64) error {
	if o.Out != "" {
		tj, err := text.MarshalTokenizer(tok)
		if err != nil {
			return err
		}
		seed := uint64(o.Seed)
		info := model.Info{Dataset: o.Data, Optimizer: "adamw", LearningRate: o.LR, Seed: &seed,
			Extra: map[string]string{"tokenizer": string(tj), "iters": fmt.Sprint(meta.GPT.Iters), "full_val_loss": fmt.Sprintf("%.4f", full)}}
		if err := model.Save(o.Out, net, info); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	if o.HistoryCSV != "" {
		var b strings.Builder
		b.WriteString("step,lr,train_loss,val_loss,tokens,seconds\n")
		for _, p := range meta.History {
			fmt.Fprintf(&b, "%d,%g,%.6f,%.6f,%d,%.3f\n", p.Step, p.LR, p.TrainLoss, p.ValLoss, p.Tokens, p.Seconds)
		}
		if err := atomicfile.WriteBytes(o.HistoryCSV, []byte(b.String())); err != nil {
			return fmt.Errorf("--history: %w", err)
		}
	}
	if o.PlotLoss != "" {
		var steps, tl, vl []float64
		for _, p := range meta.History {
			steps, tl, vl = append(steps, float64(p.Step)), append(tl, p.TrainLoss), append(vl, p.ValLoss)
		}
		err := plot.Curve(o.PlotLoss, plot.ChartOptions{Title: "GPT on " + o.Data, XLabel: "step", YLabel: "loss",
			Series: []plot.Series{{Name: "train", X: steps, Y: tl}, {Name: "validation", X: steps, Y: vl}}})
		if err != nil {
			return fmt.Errorf("--plot-loss: %w", err)
		}
	}
	return nil
}

// saveGPTCheckpoint writes the run's whole state to path: parameters,
// optimizer, the generators of the batches and of dropout, the step, and
// meta.
func saveGPTCheckpoint[T tensor.Float](path string, tr *lm.Trainer[T], data *rng.MT, g *nn.GPT[T], meta *gptMeta) error {
	st := &train.State{DType: "float64", GlobalStep: tr.Step, Optimizer: tr.Opt.State()}
	if model.DType[T]() == "F32" {
		st.DType = "float32"
	}
	var err error
	if st.Shuffle, err = data.MarshalBinary(); err != nil {
		return err
	}
	for _, r := range g.RNGs() {
		b, err := r.MarshalBinary()
		if err != nil {
			return err
		}
		st.RNGs = append(st.RNGs, b)
	}
	for _, p := range g.Params() {
		d := make([]float64, p.Value.Len())
		for i, v := range p.Value.Data {
			d[i] = float64(v)
		}
		st.Params = append(st.Params, train.Tensor{Name: p.Name, Shape: p.Value.Shape(), Data: d})
	}
	if st.Meta, err = json.Marshal(meta); err != nil {
		return err
	}
	return train.SaveState(path, st)
}

// restoreGPT sets the run back to the state st, checked against it first:
// nothing is changed on error.
func restoreGPT[T tensor.Float](st *train.State, tr *lm.Trainer[T], data *rng.MT, g *nn.GPT[T]) error {
	params := g.Params()
	if len(st.Params) != len(params) {
		return fmt.Errorf("the checkpoint holds %d parameters, the model has %d", len(st.Params), len(params))
	}
	for i, p := range params {
		s := st.Params[i]
		if s.Name != p.Name || !tensor.EqualShape(s.Shape, p.Value.Shape()) || len(s.Data) != p.Value.Len() {
			return fmt.Errorf("parameter %d: the checkpoint holds %s %v, the model %s %v", i, s.Name, s.Shape, p.Name, p.Value.Shape())
		}
	}
	if len(st.RNGs) != len(g.RNGs()) {
		return fmt.Errorf("the checkpoint holds %d dropout generators, the model has %d", len(st.RNGs), len(g.RNGs()))
	}
	if err := optim.CheckState(st.Optimizer, params); err != nil {
		return err
	}
	if err := tr.Opt.LoadState(st.Optimizer); err != nil {
		return err
	}
	if err := data.UnmarshalBinary(st.Shuffle); err != nil {
		return err
	}
	for i, r := range g.RNGs() {
		if err := r.UnmarshalBinary(st.RNGs[i]); err != nil {
			return err
		}
	}
	for i, p := range params {
		for j, v := range st.Params[i].Data {
			p.Value.Data[j] = T(v)
		}
	}
	tr.Step = st.GlobalStep
	return nil
}

// peakRSS returns the process's peak resident set size in bytes, from
// /proc/self/status (Linux); ok is false elsewhere.
func peakRSS() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, found := strings.CutPrefix(line, "VmHWM:"); found {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				return kb * 1024, true
			}
		}
	}
	return 0, false
}
