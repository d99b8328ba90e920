package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiso-go/kiso/train"
)

// interruptTrain runs kiso train with args and cancels it, as Ctrl-C
// would, once ready reports true (or after a moment if ready is nil). It
// returns the command's error.
func interruptTrain(t *testing.T, ready func() bool, args ...string) error {
	t.Helper()
	cmd := newTrainCmd(&bytes.Buffer{}, &bytes.Buffer{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs(args)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		start := time.Now()
		for ready != nil && !ready() && time.Since(start) < time.Minute {
			time.Sleep(time.Millisecond)
		}
		if ready == nil {
			time.Sleep(100 * time.Millisecond)
		}
		cancel()
	}()
	return cmd.ExecuteContext(ctx)
}

// TestTrainInterruptDefaultCheckpoint interrupts a run that has no
// --checkpoint: the run is saved beside its model, the message names the
// file and the command that resumes it, and that command finishes the run
// into the model file of the original command (issue 12, item 1).
func TestTrainInterruptDefaultCheckpoint(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "spiral.kiso")
	err := interruptTrain(t, nil, "--data", "spiral", "--epochs", "100000", "--out", m, "-q")
	ckpt := filepath.Join(dir, "spiral.ckpt")
	want := "kiso train --resume " + ckpt
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("an interrupted run without --checkpoint returned %v; want a message containing %q", err, want)
	}
	st, err := train.LoadState(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(m); err == nil {
		t.Fatal("the interrupted run wrote its model")
	}
	// A second interrupted run does not overwrite the first one's
	// checkpoint, which it did not name.
	err = interruptTrain(t, nil, "--data", "spiral", "--epochs", "100000", "--out", m, "-q")
	if err == nil || strings.Contains(err.Error(), want+" ") || !strings.Contains(err.Error(), "spiral-2.ckpt") {
		t.Errorf("a second interrupted run: %v; want it saved in spiral-2.ckpt", err)
	}
	epochs := strconv.Itoa(st.Epoch + 1)
	if _, errs, code := runCLI(t, "train", "--resume", ckpt, "--epochs", epochs, "-q"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(m); err != nil {
		t.Errorf("the resumed run did not write the original --out: %v", err)
	}
}

// TestTrainResumeKeepsOutputs interrupts a run with a checkpoint, history
// and model file named, and resumes it with the printed command: the
// resumed run writes those files, keeps checkpointing, accepts the
// original flags repeated and refuses only those that change the run
// (issue 12, item 2).
func TestTrainResumeKeepsOutputs(t *testing.T) {
	dir := t.TempDir()
	ckpt, m, h := filepath.Join(dir, "run.ckpt"), filepath.Join(dir, "resumed.kiso"), filepath.Join(dir, "h.csv")
	args := []string{"--data", "spiral", "--hidden", "8", "--lr", "0.01", "--epochs", "100000", "--checkpoint", ckpt, "--out", m, "--history", h, "-q"}
	err := interruptTrain(t, func() bool { _, err := os.Stat(ckpt); return err == nil }, args...)
	if err == nil || !strings.Contains(err.Error(), "kiso train --resume "+ckpt) {
		t.Fatalf("interrupted run: %v", err)
	}
	st, err := train.LoadState(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	epochs := strconv.Itoa(st.Epoch + 2)
	// The run's own flags, repeated unchanged, are accepted.
	if _, errs, code := runCLI(t, "train", "--resume", ckpt, "--data", "spiral", "--hidden", "8", "--lr", "0.01", "--epochs", epochs, "-q"); code != 0 {
		t.Fatalf("resume with the original flags: exit %d: %s", code, errs)
	}
	for _, f := range []string{m, h} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("the resumed run did not write %s: %v", filepath.Base(f), err)
		}
	}
	// It kept checkpointing, every epoch as the original run did.
	if st2, err := train.LoadState(ckpt); err != nil || st2.Epoch != st.Epoch+2 {
		t.Errorf("checkpoint after resuming: %v, epoch %d, want %d", err, st2.Epoch, st.Epoch+2)
	}
	// A flag that changes the run is refused, naming it.
	for _, bad := range [][]string{{"--data", "circle"}, {"--hidden", "16"}, {"--lr", "0.5"}} {
		_, errs, code := runCLI(t, append([]string{"train", "--resume", ckpt, "-q"}, bad...)...)
		if code != 2 || !strings.Contains(errs, bad[0]+" cannot change") {
			t.Errorf("resume %v: exit %d, %q", bad, code, errs)
		}
	}
}

// TestTrainKeepsUnnamedModel: kiso train without --out does not replace
// a model.kiso that is already there (issue 12, item 2).
func TestTrainKeepsUnnamedModel(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("model.kiso", []byte("precious"), 0o644)
	_, errs, code := runCLI(t, "train", "--data", "xor", "--epochs", "1", "-q")
	if code == 0 || !strings.Contains(errs, "model.kiso") || !strings.Contains(errs, "--out") {
		t.Errorf("train over an existing model.kiso: exit %d, %q", code, errs)
	}
	if b, _ := os.ReadFile("model.kiso"); string(b) != "precious" {
		t.Error("model.kiso was overwritten")
	}
	// Naming it replaces it.
	if _, errs, code := runCLI(t, "train", "--data", "xor", "--epochs", "1", "-q", "--out", "model.kiso"); code != 0 {
		t.Errorf("train --out model.kiso: exit %d, %s", code, errs)
	}
}

// TestTrainOutIsNotCheckpoint: the model file cannot be the checkpoint,
// which it would replace at the end of the run.
func TestTrainOutIsNotCheckpoint(t *testing.T) {
	p := filepath.Join(t.TempDir(), "run.ckpt")
	_, errs, code := runCLI(t, "train", "--data", "xor", "--epochs", "1", "-q", "--out", p, "--checkpoint", p)
	if code != 2 || !strings.Contains(errs, "checkpoint") {
		t.Errorf("--out and --checkpoint the same file: exit %d, %q", code, errs)
	}
}

// TestInterruptExitCode: an interrupted run that was saved exits 130, as
// an interrupt does, and its message survives main's.
func TestInterruptExitCode(t *testing.T) {
	dir := t.TempDir()
	err := interruptTrain(t, nil, "--data", "spiral", "--epochs", "100000", "--out", filepath.Join(dir, "m.kiso"), "-q")
	if exitCode(err) != 130 || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("exit %d, %v", exitCode(err), err)
	}
}

// TestTrainInterruptResumedRun: a resumed run that is interrupted again is
// saved back into the checkpoint it was resumed from, not a new file.
func TestTrainInterruptResumedRun(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "m.kiso")
	ckpt := filepath.Join(dir, "m.ckpt")
	if err := interruptTrain(t, nil, "--data", "spiral", "--epochs", "100000", "--out", m, "-q"); err == nil || !strings.Contains(err.Error(), ckpt) {
		t.Fatalf("first interrupt: %v", err)
	}
	first, err := train.LoadState(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	err = interruptTrain(t, nil, "--resume", ckpt, "-q")
	if err == nil || !strings.Contains(err.Error(), "kiso train --resume "+ckpt) {
		t.Fatalf("second interrupt: %v", err)
	}
	second, err := train.LoadState(ckpt)
	if err != nil || second.GlobalStep < first.GlobalStep {
		t.Errorf("the checkpoint after the second interrupt: %v, step %d, was %d", err, second.GlobalStep, first.GlobalStep)
	}
	if _, err := os.Stat(filepath.Join(dir, "m-2.ckpt")); err == nil {
		t.Error("the second interrupt wrote a new checkpoint")
	}
}
