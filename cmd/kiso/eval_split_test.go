package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalSplit trains on a toy set and a CSV with a held-out part, then
// evaluates the saved model with --split test, train and all: the test
// part reproduces train's figure, and the parts add up to the whole set
// (issue 12, item 4).
func TestEvalSplit(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "rows.csv")
	var b strings.Builder
	b.WriteString("a,b,label\n")
	for i := range 150 {
		fmt.Fprintf(&b, "%g,%g,%s\n", float64(i%11)-5+0.3*float64(i%3), float64(i%7)-3, []string{"x", "y"}[(i%11+i%7)%2])
	}
	os.WriteFile(csv, []byte(b.String()), 0o644)
	for _, tc := range []struct {
		name      string
		data      []string
		all, test int
	}{
		{"spiral", []string{"--data", "spiral", "--hidden", "16,16", "--act", "tanh", "--lr", "0.01", "--batch", "10", "--epochs", "20", "--seed", "7", "--test-frac", "0.3"}, 400, 120},
		{"csv", []string{"--data", "csv:" + csv, "--hidden", "8", "--epochs", "5", "--test-frac", "0.25"}, 150, 38},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := filepath.Join(dir, tc.name+".kiso")
			out, errs, code := runCLI(t, append([]string{"train", "--out", m, "--json"}, tc.data...)...)
			if code != 0 {
				t.Fatalf("train: exit %d: %s", code, errs)
			}
			var s trainSummary
			if err := json.Unmarshal([]byte(out), &s); err != nil || s.TestAccuracy == nil {
				t.Fatalf("train --json: %v %s", err, out)
			}
			// The data flag alone: eval takes the seed, fraction and
			// generation settings from the model file.
			data := tc.data[:2]
			cases := map[string]int{}
			for _, split := range []string{"test", "train", "all", ""} {
				args := append([]string{"eval", "--model", m, "--json"}, data...)
				if split != "" {
					args = append(args, "--split", split)
				}
				out, errs, code := runCLI(t, args...)
				var e evalReport
				if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e.Accuracy == nil {
					t.Fatalf("eval --split %q: exit %d: %s%s", split, code, out, errs)
				}
				cases[split] = e.Cases
				if (split == "test" || split == "") && *e.Accuracy != *s.TestAccuracy {
					t.Errorf("eval --split %q: accuracy %v, train reported %v on the test part", split, *e.Accuracy, *s.TestAccuracy)
				}
			}
			if cases["test"] != tc.test || cases[""] != tc.test || cases["all"] != tc.all || cases["train"]+cases["test"] != tc.all {
				t.Errorf("cases per split %v; want test %d of %d", cases, tc.test, tc.all)
			}
			if _, errs, code := runCLI(t, append([]string{"eval", "--model", m, "--split", "validation"}, data...)...); code != 2 || !strings.Contains(errs, "--split") {
				t.Errorf("--split validation: exit %d, %q", code, errs)
			}
		})
	}
}

// TestEvalSplitNothingHeldOut: a model trained on all of a toy set is
// evaluated on all of it by default; --split test is refused.
func TestEvalSplitNothingHeldOut(t *testing.T) {
	m := filepath.Join(t.TempDir(), "all.kiso")
	if _, errs, code := runCLI(t, "train", "--data", "xor", "--test-frac", "0", "--epochs", "2", "--out", m, "-q"); code != 0 {
		t.Fatal(errs)
	}
	out, errs, code := runCLI(t, "eval", "--model", m, "--data", "xor", "--json")
	var e evalReport
	if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e.Split != "all" || e.Cases != 400 {
		t.Errorf("eval: exit %d, %s%s", code, out, errs)
	}
	if _, errs, code := runCLI(t, "eval", "--model", m, "--data", "xor", "--split", "test"); code != 2 || !strings.Contains(errs, "--split all") {
		t.Errorf("eval --split test: exit %d, %q", code, errs)
	}
}
