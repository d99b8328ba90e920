package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainAugment trains on augmented MNIST images: the same seed gives
// the same model, the augmentation changes it, a checkpoint taken
// mid-run resumes to the uninterrupted run's bits, and the augmentation
// cannot change on resume.
func TestTrainAugment(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("skipped in -short mode and under -race: trains on MNIST (see race_test.go)")
	}
	needMNIST(t)
	dir := t.TempDir()
	common := []string{"train", "--data", "mnist", "--limit", "600", "--hidden", "32", "--batch", "50", "--epochs", "3", "-q"}
	train := func(name string, extra ...string) []byte {
		t.Helper()
		p := filepath.Join(dir, name)
		args := append(append(append([]string{}, common...), extra...), "--out", p)
		if _, errs, code := runCLI(t, args...); code != 0 {
			t.Fatalf("kiso %s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	plain := train("plain.kiso")
	aug := train("aug.kiso", "--augment", "flip,shift=2")
	if bytes.Equal(plain, aug) {
		t.Error("--augment flip,shift=2 trained the same model as no augmentation")
	}
	if again := train("again.kiso", "--augment", "shift=2,flip"); !bytes.Equal(again, aug) {
		t.Error("the same augmentation and seed trained another model")
	}
	if none := train("none.kiso", "--augment", "shift=0"); !bytes.Equal(none, plain) {
		t.Error("--augment shift=0 differs from no augmentation")
	}

	// Stopped after epoch 2 by its checkpoint, resumed to 3.
	ckpt := filepath.Join(dir, "run.ckpt")
	train("first.kiso", "--augment", "flip,shift=2", "--epochs", "2", "--checkpoint", ckpt)
	resumed := filepath.Join(dir, "resumed.kiso")
	if _, errs, code := runCLI(t, "train", "--resume", ckpt, "--epochs", "3", "--out", resumed, "-q"); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(resumed); !bytes.Equal(b, aug) {
		t.Error("the augmented run resumed from epoch 2 differs from 3 epochs straight")
	}
	if _, errs, code := runCLI(t, "train", "--resume", ckpt, "--augment", "flip"); code != 2 || !strings.Contains(errs, "--augment cannot change") {
		t.Errorf("changing --augment on resume: exit %d, %s", code, errs)
	}
}

func TestTrainAugmentBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", "spiral", "--augment", "flip"}, "--augment flip: needs image data (mnist or fashion-mnist), not spiral"},
		{[]string{"--data", "mnist", "--augment", "rotate"}, `--augment: augmentation "rotate": "rotate": want flip, shift=N or none`},
		{[]string{"--data", "mnist", "--augment", "shift=30"}, "shift=30: want a whole number of pixels from 0 to 16"},
	} {
		_, errs, code := runCLI(t, append([]string{"train"}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 1 {
			t.Errorf("kiso train %s: exit %d, %q; want exit 2 and %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
	}
}
