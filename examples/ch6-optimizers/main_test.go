package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOptimizers(t *testing.T) {
	out := filepath.Join(t.TempDir(), "opt.png")
	var b strings.Builder
	if err := run(&b, out); err != nil {
		t.Fatal(err)
	}
	// SGD on this quadratic is a product: x·(1 - 0.95/10)^30, y·(1 - 0.95·2)^30.
	wantX, wantY := -7*math.Pow(0.905, 30), 2*math.Pow(-0.9, 30)
	if !strings.Contains(b.String(), fmt.Sprintf("sgd      after 30 steps: (%.4f, %.4f)", wantX, wantY)) {
		t.Errorf("SGD: want (%.4f, %.4f):\n%s", wantX, wantY, b.String())
	}
	// Each optimizer comes down from f = 6.45 at (-7, 2).
	for _, name := range []string{"sgd", "momentum", "adagrad", "adam"} {
		if !strings.Contains(b.String(), name) {
			t.Errorf("no line for %s:\n%s", name, b.String())
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[:4] {
		var f float64
		if _, err := fmt.Sscan(line[strings.LastIndex(line, "= ")+2:], &f); err != nil || f > 0.2 {
			t.Errorf("%q: f %v (%v), want below 0.2", line, f, err)
		}
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
		t.Errorf("figure: %v", err)
	}
}
