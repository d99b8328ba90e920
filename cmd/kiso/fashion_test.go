package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/tools"
)

// Fashion-MNIST goes wherever MNIST goes: kiso data fashion-mnist verifies
// it, train learns it, eval prints the confusion matrix with the class
// names, and predict names the class.
func TestFashionMNISTCommands(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("skipped in -short mode and under -race: trains on Fashion-MNIST (see race_test.go)")
	}
	dir, err := data.FetchFashionMNIST(context.Background(), data.FashionFetchOptions{NoApt: true})
	if err != nil {
		tools.Missing(t, "Fashion-MNIST (Debian's package "+data.FashionMNISTPackage+")", "apt-get install "+data.FashionMNISTPackage)
	}
	out, errs, code := runCLI(t, "data", "fashion-mnist", "--json", "--no-apt")
	var d struct {
		Dir         string
		Train, Test int
		ClassNames  []string `json:"class_names"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.Dir != dir || d.Train != 60000 || d.Test != 10000 || len(d.ClassNames) != 10 {
		t.Fatalf("kiso data fashion-mnist --json: exit %d, %q %s", code, out, errs)
	}

	tmp := t.TempDir()
	m := filepath.Join(tmp, "fashion.kiso")
	out, errs, code = runCLI(t, "train", "--data", "fashion-mnist", "--hidden", "50", "--limit", "2000", "--epochs", "3", "--out", m, "--json")
	if code != 0 {
		t.Fatalf("train: %s", errs)
	}
	var s trainSummary
	json.Unmarshal([]byte(out), &s)
	// Measured 73.5% (seed 1); chance is 10%.
	if s.TestAccuracy == nil || *s.TestAccuracy < 0.65 {
		t.Fatalf("MLP on 2000 Fashion-MNIST images, 3 epochs: test accuracy %v", fmtPtr(s.TestAccuracy))
	}
	out, errs, code = runCLI(t, "eval", "--model", m, "--data", "fashion-mnist", "--limit", "2000")
	if code != 0 || !strings.Contains(out, "Ankle boot") || !strings.Contains(out, "T-shirt/top") {
		t.Fatalf("eval: exit %d, want the class names in the confusion matrix: %s %s", code, out, errs)
	}
	out, errs, code = runCLI(t, "predict", "--model", m, filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), "--limit", "1")
	if code != 0 || !strings.ContainsAny(out, "ABCDSTP") {
		t.Fatalf("predict: exit %d, want a class name: %q %s", code, out, errs)
	}
	t.Logf("predict: %s", out)

	// The CNNs take Fashion-MNIST's images as they take MNIST's.
	if _, errs, code = runCLI(t, "train", "--data", "fashion-mnist", "--model", "simplecnn", "--limit", "200", "--epochs", "1", "--out", filepath.Join(tmp, "cnn.kiso")); code != 0 {
		t.Fatalf("train simplecnn on fashion-mnist: %s", errs)
	}
}

// The architecture files the README and docs/fashion.md train
// (docs/fashion/*.json) are ones kiso train --model reads, and each maps
// a 28x28 image to ten classes.
func TestDocsArchitectures(t *testing.T) {
	files, err := filepath.Glob("../../docs/fashion/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no architecture files under docs/fashion: %v", err)
	}
	for _, f := range files {
		spec, file, err := readModelSpec(f)
		if err != nil || !file {
			t.Fatalf("%s: %v", f, err)
		}
		out, err := spec.Validate(spec.Input)
		if err != nil || len(spec.Input) != 3 || spec.Input[1] != 28 || len(out) != 1 || out[0] != 10 {
			t.Errorf("%s: input %v, output %v, %v; want [1 28 28] to [10]", f, spec.Input, out, err)
		}
	}
}
