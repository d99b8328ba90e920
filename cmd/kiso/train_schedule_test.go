package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrainScheduleRates(t *testing.T) {
	// Six epochs of 32 steps: the cosine spans 192 steps. Halfway its
	// cosine is 0, so the rate is the mean of --lr and --lr-min; at the
	// last step it is 0.001 + 0.049·(1 − cos(π/192))/2 (1 − cos x ≈ x²/2).
	o := &trainOptions{LR: 0.05, LRMin: 0.001, LRSchedule: "cosine", Epochs: 6}
	s, perStep := o.schedule(32)
	if !perStep {
		t.Error("the cosine counts epochs, want steps")
	}
	x := math.Pi / 192
	for _, c := range []struct {
		step int
		want float64
	}{{0, 0.05}, {96, 0.0255}, {191, 0.001 + 0.049*(x*x/2-x*x*x*x/24)/2}, {192, 0.001}} {
		if got := s.LR(c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("cosine at step %d: %v, want %v", c.step, got, c.want)
		}
	}
	o = &trainOptions{LR: 0.05, LRSchedule: "step", LRStep: 10, LRGamma: 0.1, Epochs: 30}
	s, perStep = o.schedule(32)
	if perStep {
		t.Error("the step decay counts steps, want epochs")
	}
	for _, c := range []struct {
		epoch int
		want  float64
	}{{0, 0.05}, {9, 0.05}, {10, 0.005}, {25, 0.0005}} {
		if got := s.LR(c.epoch); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("step decay at epoch %d: %v, want %v", c.epoch, got, c.want)
		}
	}
	if s, _ := (&trainOptions{LR: 0.05, LRSchedule: "constant"}).schedule(32); s != nil {
		t.Errorf("constant: schedule %v, want none", s)
	}
}

// trainModel trains with args and returns the model file.
func trainModel(t *testing.T, args ...string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.kiso")
	if _, errs, code := runCLI(t, append([]string{"train", "--out", p, "-q"}, args...)...); code != 0 {
		t.Fatal(errs)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTrainScheduleApplied(t *testing.T) {
	common := []string{"--data", "spiral", "--hidden", "8", "--optimizer", "momentum", "--lr", "0.05", "--epochs", "4"}
	constant := trainModel(t, common...)
	// A cosine from --lr to --lr itself and a decay by 1 keep the rate
	// exactly: the same bits as no schedule.
	if m := trainModel(t, append(common, "--lr-schedule", "cosine", "--lr-min", "0.05")...); !bytes.Equal(m, constant) {
		t.Error("cosine from 0.05 to 0.05 differs from a constant 0.05")
	}
	if m := trainModel(t, append(common, "--lr-schedule", "step", "--lr-step", "1", "--lr-gamma", "1")...); !bytes.Equal(m, constant) {
		t.Error("a step decay by 1 differs from a constant rate")
	}
	if m := trainModel(t, append(common, "--lr-schedule", "cosine")...); bytes.Equal(m, constant) {
		t.Error("cosine to 0 trained the same model as a constant rate")
	}
	if m := trainModel(t, append(common, "--lr-schedule", "step", "--lr-step", "2")...); bytes.Equal(m, constant) {
		t.Error("a step decay trained the same model as a constant rate")
	}
}

func TestTrainScheduleResumeBitIdentical(t *testing.T) {
	// The checkpoint of epoch 4 of a 6-epoch cosine run, resumed, ends
	// where the run itself ended.
	dir := t.TempDir()
	straight, resumed, ckpt := filepath.Join(dir, "a.kiso"), filepath.Join(dir, "b.kiso"), filepath.Join(dir, "run.ckpt")
	if _, errs, code := runCLI(t, "train", "--data", "spiral", "--hidden", "8,8", "--batchnorm", "--lr", "0.02", "--lr-schedule", "cosine", "--lr-min", "0.001",
		"--epochs", "6", "--checkpoint", ckpt, "--checkpoint-every", "4", "--out", straight, "-q"); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := runCLI(t, "train", "--resume", ckpt, "--out", resumed, "-q"); code != 0 {
		t.Fatal(errs)
	}
	a, _ := os.ReadFile(straight)
	b, _ := os.ReadFile(resumed)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("epoch 4's checkpoint resumed to 6 differs from 6 epochs straight")
	}
	if _, errs, code := runCLI(t, "train", "--resume", ckpt, "--lr-schedule", "constant"); code != 2 || !strings.Contains(errs, "--lr-schedule cannot change") {
		t.Errorf("changing the schedule on resume: exit %d, %s", code, errs)
	}
}

func TestTrainScheduleBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lr-schedule", "linear"}, `--lr-schedule "linear"`},
		{[]string{"--lr-schedule", "cosine", "--lr-min", "1"}, "--lr-min 1"},
		{[]string{"--lr-schedule", "step", "--lr-step", "0"}, "--lr-step 0"},
		{[]string{"--lr-schedule", "step", "--lr-gamma", "0"}, "--lr-gamma 0"},
	} {
		_, errs, code := runCLI(t, append([]string{"train", "-q", "--out", "", "--data", "circle"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("train %v: exit %d, stderr %q; want %q", c.args, code, errs, c.want)
		}
	}
}
