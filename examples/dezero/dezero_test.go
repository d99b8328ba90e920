// Package dezero_test runs the book's programs (DeZero's steps/stepNN.py)
// beside their Go versions (examples/dezero/stepNN) and compares what they
// print.
package dezero_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/rng"
)

// anchorDeZero finds DeZero (the anchors' dezero folder, with dezero/ and
// steps/), which sits beside the repository on the project's machines and
// in CI, or in $KISO_ANCHORS/dezero.
func anchorDeZero() string {
	if d := os.Getenv("KISO_ANCHORS"); d != "" {
		return filepath.Join(d, "dezero")
	}
	for _, d := range []string{"../../../shared/anchors/dezero", "../../../../shared/anchors/dezero"} {
		if _, err := os.Stat(filepath.Join(d, "steps", "step01.py")); err == nil {
			return d
		}
	}
	return ""
}

// A step is one program run on both sides.
type step struct {
	n      int
	goArgs []string // extra arguments of the Go program
	// match is how printed numbers compare: "exact" (equal, or one unit
	// apart in the last printed digit: see sameNumber), or "text" (only
	// the words and the count of numbers, for steps that draw unseeded
	// random numbers in Python).
	match string
	// rel, for "exact", also accepts numbers within this relative
	// difference: the training steps' sums go through numpy's OpenBLAS,
	// whose order of additions differs from kiso's, and thousands of
	// updates carry those last bits forward.
	rel float64
	// seeded steps draw from numpy's unseeded generator in DeZero: the
	// test seeds it with numpy.random.seed(0) before running the Python
	// step, and the Go program draws from rng.NewNumpy(0) (its -seed).
	seeded bool
	// mnist steps read MNIST: the test puts kiso's copy (data.FetchMNIST)
	// where DeZero's get_file looks first (~/.dezero), so that Python
	// downloads nothing.
	mnist bool
	// heavy steps run only with KISO_DEZERO_HEAVY=1 (minutes of Python).
	heavy bool
	// check, if set, compares what the two programs wrote: Python's home
	// folder (where DeZero keeps its .dezero folder) and Go's folder.
	check func(t *testing.T, pyHome, goDir string)
}

// sameGraph checks that step 35's drawing has DeZero's nodes, labels and
// edges: the same DOT text once each side's node numbers are mapped onto
// the other's in order of appearance.
func sameGraph(t *testing.T, pyHome, goDir string) {
	want, err := os.ReadFile(filepath.Join(pyHome, ".dezero", "tmp_graph.dot"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(goDir, "tanh.dot"))
	if err != nil {
		t.Fatal(err)
	}
	w, g := renumber(string(want)), renumber(string(got))
	if w != g {
		t.Fatalf("graphs differ\nDeZero:\n%s\nkiso:\n%s", w, g)
	}
}

// dezeroMNIST copies the four MNIST files from kiso's cache (fetched if
// needed) into home/.dezero, where DeZero's datasets.MNIST finds them.
func dezeroMNIST(t *testing.T, home string) {
	t.Helper()
	src, err := data.FetchMNIST(context.Background(), data.FetchOptions{})
	if err != nil {
		t.Skipf("skipped: MNIST is not at hand: %v", err)
	}
	dst := filepath.Join(home, ".dezero")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// savedParams checks step 53's file: the parameters by path, with
// DeZero's shapes (its save_weights names them l0/W; kiso l0.W).
func savedParams(t *testing.T, _, goDir string) {
	m := layers.NewMLP([]int{1000, 10}, ag.Sigmoid[float32], true, rng.NewNumpy(0))
	if err := layers.Load(filepath.Join(goDir, "my_mlp.safetensors"), m); err != nil {
		t.Fatal(err)
	}
	if got := m.Layers[0].W.Shape(); got[0] != 784 || got[1] != 1000 {
		t.Fatalf("l0.W has shape %v, want [784 1000]", got)
	}
}

var nodeID = regexp.MustCompile(`(?m)(^|-> )(\d+)`)

func renumber(dot string) string {
	ids := map[string]string{}
	return strings.TrimSpace(nodeID.ReplaceAllStringFunc(dot, func(m string) string {
		sub := nodeID.FindStringSubmatch(m)
		if _, ok := ids[sub[2]]; !ok {
			ids[sub[2]] = fmt.Sprint("n", len(ids))
		}
		return sub[1] + ids[sub[2]]
	}))
}

var steps = []step{
	{n: 24, match: "exact"},
	{n: 28, match: "exact"},
	{n: 33, match: "exact"},
	{n: 34, match: "exact"},
	{n: 35, goArgs: []string{"-out", "tanh.dot"}, match: "exact", check: sameGraph},
	{n: 42, match: "exact"},
	{n: 43, match: "exact", rel: 1e-12},
	{n: 44, match: "exact", rel: 1e-12},
	{n: 45, match: "exact", rel: 1e-12},
	{n: 46, match: "exact", rel: 1e-12},
	{n: 47, match: "exact", rel: 1e-12},
	{n: 48, match: "exact", heavy: true},
	{n: 49, match: "exact", heavy: true},
	{n: 50, match: "exact", heavy: true},
	{n: 51, match: "exact", seeded: true, mnist: true, heavy: true},
	{n: 53, match: "exact", seeded: true, mnist: true, heavy: true, check: savedParams},
	{n: 54, match: "exact", seeded: true},
	{n: 57, match: "exact", seeded: true},
	{n: 59, match: "exact", seeded: true, heavy: true},
	{n: 60, match: "exact", seeded: true, heavy: true},
}

var number = regexp.MustCompile(`[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|nan|inf`)

// TestStepsMatchDeZero runs each step's Python program (in a copy of
// DeZero's folder, so that files the steps write stay in the test's
// temporary folder) and the Go program, and compares their outputs line by
// line: the same words, and numbers equal up to the last printed digit.
func TestStepsMatchDeZero(t *testing.T) {
	src := anchorDeZero()
	if src == "" {
		if tools.Required() {
			t.Fatal("DeZero's steps (shared/anchors/dezero) are not beside the repository; set KISO_ANCHORS")
		}
		t.Skip("skipped: DeZero's steps (shared/anchors/dezero) are not beside the repository; set KISO_ANCHORS to the anchors folder")
	}
	py := tools.Python(t, "numpy", "matplotlib")
	work := t.TempDir()
	if out, err := exec.Command("cp", "-r", filepath.Join(src, "dezero"), filepath.Join(src, "steps"), work).CombinedOutput(); err != nil {
		t.Fatalf("copying DeZero: %v: %s", err, out)
	}
	bin := t.TempDir()
	var pkgs []string
	for _, s := range steps {
		pkgs = append(pkgs, fmt.Sprintf("./step%02d", s.n))
	}
	build := exec.Command("go", append([]string{"build", "-o", bin + "/"}, pkgs...)...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	heavy := os.Getenv("KISO_DEZERO_HEAVY") == "1"
	for _, s := range steps {
		t.Run(fmt.Sprintf("step%02d", s.n), func(t *testing.T) {
			if s.heavy && !heavy {
				t.Skip("skipped: a long run; set KISO_DEZERO_HEAVY=1")
			}
			dir := filepath.Join(work, "steps")
			home := t.TempDir()
			pyArgs := []string{fmt.Sprintf("step%02d.py", s.n)}
			if s.seeded {
				pyArgs = []string{"-c", fmt.Sprintf("import numpy, runpy; numpy.random.seed(0); runpy.run_path('step%02d.py', run_name='__main__')", s.n)}
			}
			if s.mnist {
				dezeroMNIST(t, home)
			}
			pyOut := run(t, dir, []string{"HOME=" + home}, py, pyArgs...)
			goDir := t.TempDir()
			goOut := run(t, goDir, nil, filepath.Join(bin, fmt.Sprintf("step%02d", s.n)), s.goArgs...)
			compare(t, pyOut, goOut, s.match, s.rel)
			if s.check != nil {
				s.check(t, home, goDir)
			}
		})
	}
}

func run(t *testing.T, dir string, env []string, prog string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MPLBACKEND=Agg", "PYTHONWARNINGS=ignore")
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, errb.String())
	}
	return out.String()
}

// compare checks that the two outputs have the same lines with the same
// words, and (for "exact") the same numbers up to sameNumber.
func compare(t *testing.T, want, got, match string, rel float64) {
	t.Helper()
	wl := strings.Split(strings.TrimRight(want, "\n"), "\n")
	gl := strings.Split(strings.TrimRight(got, "\n"), "\n")
	if len(wl) != len(gl) {
		t.Fatalf("Python printed %d lines, Go %d\nPython:\n%s\nGo:\n%s", len(wl), len(gl), head(want), head(got))
	}
	exact, near, far := 0, 0, 0
	worst := 0.0
	for i := range wl {
		wn, gn := number.FindAllString(wl[i], -1), number.FindAllString(gl[i], -1)
		if number.ReplaceAllString(wl[i], "#") != number.ReplaceAllString(gl[i], "#") || len(wn) != len(gn) {
			t.Fatalf("line %d: Python %q, Go %q", i+1, wl[i], gl[i])
		}
		if match != "exact" {
			continue
		}
		for j := range wn {
			switch {
			case wn[j] == gn[j]:
				exact++
			case sameNumber(wn[j], gn[j]):
				near++
			case relDiff(wn[j], gn[j]) <= rel:
				far++
				worst = max(worst, relDiff(wn[j], gn[j]))
			default:
				t.Fatalf("line %d: Python %q, Go %q: %s differs from %s", i+1, wl[i], gl[i], gn[j], wn[j])
			}
		}
	}
	t.Logf("%d lines; %d numbers printed identically, %d one unit apart in the last printed digit, %d further apart (largest relative difference %.2g)", len(wl), exact, near, far, worst)
}

// sameNumber reports whether a and b, two printed numbers, differ by at
// most one unit in the last digit printed (of the shorter of the two): a
// sum whose last bit differs between numpy builds, or between numpy's
// pairwise sums and ours, may round to the neighbouring printed value.
func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= 1.000001*math.Max(lastUnit(a), lastUnit(b))
}

func relDiff(a, b string) float64 {
	x, _ := strconv.ParseFloat(a, 64)
	y, _ := strconv.ParseFloat(b, 64)
	if x == y {
		return 0
	}
	return math.Abs(x-y) / math.Max(math.Abs(x), math.Abs(y))
}

// lastUnit returns the value of one unit in the last digit of a printed
// number: 0.01 for "0.45", 1e-17 for "1.5e-16", 1 for "12".
func lastUnit(s string) float64 {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(s[i+1:])
	}
	decimals := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		decimals = len(mant) - i - 1
	}
	return math.Pow(10, float64(exp-decimals))
}

func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
