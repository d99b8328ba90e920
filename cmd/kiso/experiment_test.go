package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExperimentCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: trains on MNIST")
	}
	needMNIST(t)
	dir := t.TempDir()
	out, errs, code := runCLI(t, "experiment", "optimizers", "--steps", "30", "--limit", "300", "--out", dir, "--json", "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, f := range []string{"paths.png", "loss.png"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, bad := range [][]string{{"experiment", "nope"}, {"experiment"}, {"experiment", "search", "--scales", "4"},
		{"experiment", "mistakes", "--model", "m.kiso", "--epochs", "2"}, {"experiment", "mistakes", "--model", ""}} {
		if _, errs, code := runCLI(t, bad...); code != 2 || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
}
