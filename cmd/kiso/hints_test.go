package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataFlagMistakes: the rough edges a newcomer hit with the data
// flags (issue 12, item 16) are each one clear line, before any training.
func TestDataFlagMistakes(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "string.csv")
	var b strings.Builder
	b.WriteString("a,b,c,label\n")
	for i := range 40 {
		b.WriteString(strings.Repeat("1,", 3) + []string{"x", "y"}[i%2] + "\n")
	}
	os.WriteFile(csv, []byte(b.String()), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		// A CSV path without the csv: prefix is named with it.
		{[]string{"train", "--data", csv}, "csv:" + csv},
		{[]string{"train", "--data", "nothere.csv"}, "csv:nothere.csv"},
		// --regression is for CSVs.
		{[]string{"train", "--data", "circle", "--regression"}, "--regression"},
		{[]string{"train", "--data", "mnist", "--regression"}, "--regression"},
		// --plot-boundary needs 2-D data: refused before training (and,
		// for MNIST, before fetching it).
		{[]string{"train", "--data", "mnist", "--plot-boundary", filepath.Join(dir, "b.png"), "--mnist-dir", filepath.Join(dir, "none")}, "--plot-boundary"},
		{[]string{"train", "--data", "csv:" + csv, "--plot-boundary", filepath.Join(dir, "b.png"), "--epochs", "2"}, "--plot-boundary"},
	} {
		// The checkpoint of the first epoch shows whether training began.
		ckpt := filepath.Join(dir, "run.ckpt")
		_, errs, code := runCLI(t, append(tc.args, "-q", "--out", "", "--checkpoint", ckpt)...)
		if code == 0 || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want one line containing %q", tc.args, code, errs, tc.want)
		}
		if _, err := os.Stat(ckpt); err == nil {
			t.Errorf("%v: training began before the error", tc.args)
			os.Remove(ckpt)
		}
	}
}

// TestExperimentNetNames: experiment --net takes train --model's name for
// SimpleConvNet, simplecnn, as well as simpleconvnet (issue 12, item 16).
func TestExperimentNetNames(t *testing.T) {
	o := &experimentOptions{Net: "simplecnn", Format: "png"}
	changed := func(f string) bool { return f == "net" }
	if err := o.validate("mistakes", changed); err != nil {
		t.Errorf("--net simplecnn: %v", err)
	}
	o = &experimentOptions{Net: "deepcnn", Format: "png"}
	if err := o.validate("mistakes", changed); err == nil || !strings.Contains(err.Error(), "simplecnn") {
		t.Errorf("--net deepcnn: %v", err)
	}
}
