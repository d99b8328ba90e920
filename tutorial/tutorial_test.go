package tutorial

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// train runs the tutorial's configuration for steps steps from seed.
func train(t *testing.T, m Method, steps int, seed uint32) *TwoLayerNet[float64] {
	t.Helper()
	x, tg := xorCases()
	net := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(seed))
	if err := net.Learn(context.Background(), x, tg, steps, 0.1, m, rng.NewPython(uint64(seed)), nil); err != nil {
		t.Fatal(err)
	}
	return net
}

func TestLearnsXORWithDefaultSeed(t *testing.T) {
	x, tg := xorCases()
	for _, m := range []Method{Numerical, Backprop} {
		p := train(t, m, 30000, 0).Predict(x)
		if d := tensor.MaxAbsDiff(p, tg); d >= 0.01 {
			t.Errorf("%v: predictions %v are %.4f from one-hot, want < 0.01", m, p.Data, d)
		}
	}
}

func TestNumericalAndBackpropAgree(t *testing.T) {
	x, _ := xorCases()
	a := train(t, Numerical, 30000, 0).Predict(x)
	b := train(t, Backprop, 30000, 0).Predict(x)
	if d := tensor.MaxAbsDiff(a, b); d > 1e-6 {
		t.Errorf("numerical and backprop predictions differ by %.3g, want <= 1e-6", d)
	}
}

func TestGradientsAgreeEveryStep(t *testing.T) {
	// Along a training run, the two gradients of the tutorial's net agree
	// to the tolerance of the layer checks.
	x, tg := xorCases()
	net := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(3))
	pick := rng.NewPython(3)
	for step := range 200 {
		k := pick.Below(4)
		xi, ti := tensor.FromSlice(x.Row(k), 1, 2), tensor.FromSlice(tg.Row(k), 1, 2)
		net.Gradient(xi, ti)
		var bp []*tensor.Tensor[float64]
		for _, p := range net.Params() {
			bp = append(bp, p.Grad.Clone())
		}
		net.NumericalGradient(xi, ti)
		for i, p := range net.Params() {
			for j, g := range p.Grad.Data {
				if e := numgrad.RelErr(bp[i].Data[j], g); e > 1e-7 {
					t.Fatalf("step %d %s[%d]: backprop %v numerical %v (rel %g)", step, p.Name, j, bp[i].Data[j], g, e)
				}
			}
			tensor.AddScaled(p.Value, -0.5, bp[i])
		}
	}
}

func TestSameSeedSameBits(t *testing.T) {
	a, b := train(t, Numerical, 500, 7), train(t, Numerical, 500, 7)
	for i, p := range a.Params() {
		if tensor.MaxAbsDiff(p.Value, b.Params()[i].Value) != 0 {
			t.Fatalf("%s differs between two runs with the same seed", p.Name)
		}
	}
}

func TestLearnCancels(t *testing.T) {
	x, tg := xorCases()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	net := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
	if err := net.Learn(ctx, x, tg, 30000, 0.1, Backprop, rng.NewPython(0), nil); err != context.Canceled {
		t.Errorf("Learn with a cancelled context returned %v", err)
	}
}

// anchorDir finds the reference programs in shared/anchors, which sit
// beside the repository on the project's machines and in CI.
func anchorDir() string {
	if d := os.Getenv("KISO_ANCHORS"); d != "" {
		return d
	}
	for _, d := range []string{"../../shared/anchors", "../../../shared/anchors"} {
		if _, err := os.Stat(filepath.Join(d, "seed_xor.py")); err == nil {
			return d
		}
	}
	return ""
}

// tutorialProg imports the tutorial's own program (seed_xor.py, from the
// anchors folder) and prints, at full precision, the four predictions and
// the parameters after a seeded run.
const tutorialProg = `
import sys, random, numpy as np
sys.path.insert(0, sys.argv[1])
import seed_xor as s
steps, seed = int(sys.argv[2]), int(sys.argv[3])
np.random.seed(seed); random.seed(seed)
T = {'t1': np.array([1., 0.]), 't2': np.array([0., 1.]), 't3': np.array([0., 1.]), 't4': np.array([1., 0.])}
X = {'x1': np.array([1., 1.]), 'x2': np.array([1., 0.]), 'x3': np.array([0., 1.]), 'x4': np.array([0., 0.])}
net = s.TwoLayerNet()
net.learn(X, T, steps, 0.1, '-')
vals = [v for i in range(1, 5) for v in net.predict(X['x%d' % i])]
vals += [v for k in ('W1', 'b1', 'W2', 'b2') for v in net.params[k].ravel()]
print(' '.join(repr(float(v)) for v in vals))
`

// TestMatchesTutorialProgram runs the tutorial's own Python program and
// kiso from the same seeds and compares predictions and parameters. They
// draw the same random numbers and do the same arithmetic in the same
// order; only the last bits of exp and log differ between numpy and Go, and
// the two runs stay within about 1e-11 of each other.
func TestMatchesTutorialProgram(t *testing.T) {
	dir := anchorDir()
	if dir == "" {
		tools.Missing(t, "the tutorial's program (shared/anchors/seed_xor.py, beside the repository)", "set KISO_ANCHORS to its folder")
	}
	py := tools.Python(t, "numpy")
	const steps = 3000
	for _, seed := range []uint32{0, 1} {
		out, err := exec.Command(py, "-c", tutorialProg, dir, strconv.Itoa(steps), strconv.Itoa(int(seed))).Output()
		if err != nil {
			t.Fatalf("the tutorial's program: %v", err)
		}
		fields := strings.Fields(string(out))
		net := train(t, Numerical, steps, seed)
		x, _ := xorCases()
		got := append([]float64(nil), net.Predict(x).Data...)
		for _, p := range net.Params() {
			got = append(got, p.Value.Data...)
		}
		if len(fields) != len(got) {
			t.Fatalf("the tutorial's program printed %d numbers, want %d:\n%s", len(fields), len(got), out)
		}
		var worst float64
		for i, f := range fields {
			w, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("the tutorial's program printed %q", f)
			}
			worst = max(worst, math.Abs(got[i]-w))
		}
		t.Logf("seed %d, %d steps: largest difference from the tutorial's program %.3g", seed, steps, worst)
		if worst > 1e-9 {
			t.Errorf("seed %d: kiso and the tutorial's program differ by %.3g after %d steps", seed, worst, steps)
		}
	}
}
