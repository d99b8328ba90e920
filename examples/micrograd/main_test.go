package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/rng"
)

func TestDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "moons.png")
	var b strings.Builder
	if err := run(&b, 100, out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 101 {
		t.Fatalf("%d lines", len(lines))
	}
	// As micrograd's notebook: 50% at step 0, 100% at the end.
	if !strings.HasPrefix(lines[0], "step 0 loss 0.89584410286832") || !strings.HasSuffix(lines[0], "accuracy 50.0%") {
		t.Errorf("first step: %s", lines[0])
	}
	if !strings.HasSuffix(lines[99], "accuracy 100.0%") {
		t.Errorf("last step: %s", lines[99])
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
		t.Errorf("figure: %v", err)
	}
	n := 0
	for _, p := range newMLP([]int{2, 16, 16, 1}, rng.NewPython(1)).params() {
		n += p.Len()
	}
	if n != 337 {
		t.Errorf("%d parameters, want 337", n)
	}
}

var stepLine = regexp.MustCompile(`^step (\d+) loss (\S+), accuracy (\S+)%$`)

// TestDemoMatchesTorch runs the same computation in PyTorch (float64):
// the same accuracy at every step, losses within 1e-12 relative (the
// matrix products sum in another order).
func TestDemoMatchesTorch(t *testing.T) {
	py := tools.Python(t, "torch", "sklearn")
	want, err := exec.Command(py, "testdata/moons_torch.py").Output()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := run(&b, 100, ""); err != nil {
		t.Fatal(err)
	}
	w, g := strings.Split(strings.TrimSpace(string(want)), "\n"), strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(w) != len(g) {
		t.Fatalf("%d lines from PyTorch, %d from Go", len(w), len(g))
	}
	worst := 0.0
	for i := range w {
		mw, mg := stepLine.FindStringSubmatch(w[i]), stepLine.FindStringSubmatch(g[i])
		if mw == nil || mg == nil || mw[1] != mg[1] || mw[3] != mg[3] {
			t.Fatalf("line %d: PyTorch %q, Go %q", i, w[i], g[i])
		}
		lw, _ := strconv.ParseFloat(mw[2], 64)
		lg, _ := strconv.ParseFloat(mg[2], 64)
		worst = max(worst, (lg-lw)/lw, (lw-lg)/lw)
	}
	if worst > 1e-12 {
		t.Errorf("largest relative difference of the losses %g, want at most 1e-12", worst)
	}
	t.Logf("largest relative difference of the losses: %g", worst)
}
