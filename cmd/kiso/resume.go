package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/train"
)

// runFlags are the flags of kiso train that fix a run: a resumed run takes
// them from its checkpoint, and accepts them on the command line only with
// the value saved there.
var runFlags = []struct {
	name  string
	value func(o *trainOptions) any
}{
	{"data", func(o *trainOptions) any { return o.Data }},
	{"model", func(o *trainOptions) any { return o.Model }},
	{"hidden", func(o *trainOptions) any { s, _ := o.hiddenSizes(); return fmt.Sprint(s) }},
	{"act", func(o *trainOptions) any { return o.Act }},
	{"init", func(o *trainOptions) any { return o.Init }},
	{"optimizer", func(o *trainOptions) any { return o.Optimizer }},
	{"lr", func(o *trainOptions) any { return o.LR }},
	{"lr-schedule", func(o *trainOptions) any { return o.LRSchedule }},
	{"lr-min", func(o *trainOptions) any { return o.LRMin }},
	{"lr-step", func(o *trainOptions) any { return o.LRStep }},
	{"lr-gamma", func(o *trainOptions) any { return o.LRGamma }},
	{"augment", func(o *trainOptions) any { a, _ := data.ParseAugment(o.Augment); return a.String() }},
	{"batch", func(o *trainOptions) any { return o.Batch }},
	{"weight-decay", func(o *trainOptions) any { return o.WeightDecay }},
	{"dropout", func(o *trainOptions) any { return o.Dropout }},
	{"batchnorm", func(o *trainOptions) any { return o.BatchNorm }},
	{"seed", func(o *trainOptions) any { return o.Seed }},
	{"dtype", func(o *trainOptions) any { return o.DType }},
	{"limit", func(o *trainOptions) any { return o.Limit }},
	{"points", func(o *trainOptions) any { return o.Points }},
	{"noise", func(o *trainOptions) any { return o.Noise }},
	{"test-frac", func(o *trainOptions) any { return o.TestFrac }},
	{"label", func(o *trainOptions) any { return o.Label }},
	{"regression", func(o *trainOptions) any { return o.Regress }},
}

// resumeFlags are the flags of kiso train that a resumed run takes from
// the command line when given, and from the checkpoint otherwise.
var resumeFlags = []struct {
	name string
	set  func(o, given *trainOptions)
}{
	{"epochs", func(o, g *trainOptions) { o.Epochs = g.Epochs }},
	{"early-stop", func(o, g *trainOptions) { o.EarlyStop = g.EarlyStop }},
	{"eval-train", func(o, g *trainOptions) { o.EvalTrain = g.EvalTrain }},
	{"out", func(o, g *trainOptions) { o.Out, o.OutGiven = g.Out, true }},
	{"history", func(o, g *trainOptions) { o.HistoryCSV = g.HistoryCSV }},
	{"plot-loss", func(o, g *trainOptions) { o.PlotLoss = g.PlotLoss }},
	{"plot-acc", func(o, g *trainOptions) { o.PlotAcc = g.PlotAcc }},
	{"plot-boundary", func(o, g *trainOptions) { o.PlotBoundary = g.PlotBoundary }},
	{"checkpoint", func(o, g *trainOptions) { o.Checkpoint = g.Checkpoint }},
	{"checkpoint-every", func(o, g *trainOptions) { o.CheckpointEvery = g.CheckpointEvery }},
	{"mnist-dir", func(o, g *trainOptions) { o.MNISTDir = g.MNISTDir }},
}

// loadResume replaces the run's options with those saved in the
// checkpoint o.Resume. A flag that fixes the run may be given only with
// its saved value; --epochs, --early-stop, --eval-train and the output
// flags replace the saved ones when given.
func (o *trainOptions) loadResume(changed func(string) bool) error {
	st, err := train.LoadState(o.Resume)
	if err != nil {
		return err
	}
	if len(st.Meta) == 0 {
		return fmt.Errorf("%s: a training state without kiso train's options; resume it from Go with train.Trainer.Restore", o.Resume)
	}
	saved := *o
	saved.OutGiven = changed("out") // a checkpoint of an older kiso records no outputs: the command line's hold
	if err := json.Unmarshal(st.Meta, &saved); err != nil {
		return fmt.Errorf("%s: unreadable options: %v", o.Resume, err)
	}
	for _, f := range runFlags {
		if changed(f.name) && f.value(o) != f.value(&saved) {
			return usagef("--%s cannot change when resuming: the checkpoint fixes it at %v (only --epochs, --early-stop, --eval-train and the output flags may differ)", f.name, f.value(&saved))
		}
	}
	given := *o
	*o = saved
	o.Resume, o.JSON, o.Quiet = given.Resume, given.JSON, given.Quiet
	o.resumeValues = 0
	for _, t := range append(slices.Clip(st.Params), st.Buffers...) {
		o.resumeValues += len(t.Data)
	}
	for _, f := range resumeFlags {
		if changed(f.name) {
			f.set(o, &given)
		}
	}
	return nil
}

// checkUnnamedOut refuses a run whose model file, not named with --out,
// already exists.
func (o *trainOptions) checkUnnamedOut() error {
	if o.Out == "" || o.OutGiven {
		return nil
	}
	if _, err := os.Stat(o.Out); err == nil {
		return usagef("%s exists and --out was not given: name the model file with --out (--out %s replaces it)", o.Out, shellQuote(o.Out))
	}
	return nil
}

// maxCheckpointNames bounds the names tried for an interrupted run's
// checkpoint (model.ckpt, model-2.ckpt, ...).
const maxCheckpointNames = 100

// interruptPath returns where an interrupted run is saved: its
// --checkpoint, else the checkpoint it was resumed from, else a file
// beside the model (model.ckpt for model.kiso, kiso-train.ckpt without a
// model) that does not exist yet.
func (o *trainOptions) interruptPath() (string, error) {
	switch {
	case o.Checkpoint != "":
		return o.Checkpoint, nil
	case o.Resume != "":
		return o.Resume, nil
	}
	base := "kiso-train"
	if o.Out != "" {
		base = strings.TrimSuffix(o.Out, filepath.Ext(o.Out))
	}
	for i := 1; i <= maxCheckpointNames; i++ {
		p := base + ".ckpt"
		if i > 1 {
			p = base + "-" + strconv.Itoa(i) + ".ckpt"
		}
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s.ckpt to %s-%d.ckpt all exist", base, base, maxCheckpointNames)
}

// saveInterrupted saves an interrupted run with save and returns the
// error that tells the user where and how to resume it (exit code 130).
func (o *trainOptions) saveInterrupted(save func(path string) error) error {
	path, err := o.interruptPath()
	if err == nil {
		err = save(path)
	}
	if err != nil {
		return fmt.Errorf("interrupted, and the run could not be saved: %w", err)
	}
	return interruptedError{fmt.Sprintf("interrupted; the run is saved in %s: continue it with kiso train --resume %s", path, shellQuote(path))}
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
