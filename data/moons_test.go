package data

import (
	"encoding/json"
	"math"
	"os/exec"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/rng"
)

func TestMoonsMicrograd(t *testing.T) {
	// np.random.seed(1337); make_moons(n_samples=100, noise=0.1) with
	// scikit-learn 1.2.1: X[:2], y[:10], X[-1]. Go's sines and cosines may
	// differ from numpy's in the last bit: within 1e-15.
	s := Moons[float64](100, 0.1, rng.NewNumpy(1337))
	want := map[int]float64{0: 1.1221146075409683, 1: 0.08147717341718697, 2: -0.8188294130836691, 3: 0.058790063907949996,
		198: 0.12108297264758441, 199: 1.0655522522437006}
	for i, w := range want {
		if math.Abs(s.X.Data[i]-w) > 1e-15 {
			t.Errorf("x[%d] = %v, want %v", i, s.X.Data[i], w)
		}
	}
	for i, w := range []float64{0, 0, 1, 0, 1, 1, 1, 1, 1, 0} {
		if s.Y.Data[i] != w {
			t.Errorf("y[%d] = %v, want %v", i, s.Y.Data[i], w)
		}
	}
	ones := 0.0
	for _, v := range s.Y.Data {
		ones += v
	}
	if s.Len() != 100 || s.Classes != 2 || ones != 50 {
		t.Errorf("%d points, %d classes, %v of class 1", s.Len(), s.Classes, ones)
	}
}

func TestMoonsNoiseless(t *testing.T) {
	// Without noise every point lies on its circle: class 0 on the unit
	// circle around (0, 0), class 1 around (1, 0.5).
	s := Moons[float64](7, 0, rng.NewNumpy(3))
	for i := range s.Len() {
		x, y := s.X.Data[2*i], s.X.Data[2*i+1]
		if s.Y.Data[i] == 1 {
			x, y = x-1, y-0.5
		}
		if d := math.Hypot(x, y); math.Abs(d-1) > 1e-15 {
			t.Errorf("point %d (class %v) is %v from its centre", i, s.Y.Data[i], d)
		}
	}
}

func TestMoonsPanics(t *testing.T) {
	for _, c := range []struct {
		n     int
		noise float64
	}{{1, 0.1}, {10, -1}, {10, math.NaN()}, {10, math.Inf(1)}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Moons(%d, %v) did not panic", c.n, c.noise)
				}
			}()
			Moons[float64](c.n, c.noise, rng.NewNumpy(0))
		}()
	}
}

// TestMoonsMatchSklearn compares Moons with scikit-learn's make_moons for a
// few sizes, noises and seeds: the same classes, and coordinates within
// 1e-15 (numpy's sines and cosines may differ from Go's in the last bit).
func TestMoonsMatchSklearn(t *testing.T) {
	py := tools.Python(t, "numpy", "sklearn")
	const script = `
import json, numpy as np
from sklearn.datasets import make_moons
out = []
for n, noise, seed in [(100, 0.1, 1337), (7, 0.3, 0), (1000, 0.05, 42), (2, 0.0, 5)]:
    np.random.seed(seed)
    X, y = make_moons(n_samples=n, noise=noise)
    out.append({"x": X.ravel().tolist(), "y": y.tolist()})
print(json.dumps(out))
`
	b, err := exec.Command(py, "-c", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []struct {
		X []float64
		Y []int
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		n     int
		noise float64
		seed  uint32
	}{{100, 0.1, 1337}, {7, 0.3, 0}, {1000, 0.05, 42}, {2, 0, 5}}
	worst := 0.0
	for c, k := range cases {
		s := Moons[float64](k.n, k.noise, rng.NewNumpy(k.seed))
		for i, w := range want[c].Y {
			if s.Y.Data[i] != float64(w) {
				t.Fatalf("case %v: y[%d] = %v, want %d", k, i, s.Y.Data[i], w)
			}
		}
		for i, w := range want[c].X {
			worst = max(worst, math.Abs(s.X.Data[i]-w))
		}
	}
	if worst > 1e-15 {
		t.Errorf("largest difference from make_moons %g, want at most 1e-15", worst)
	}
	t.Logf("largest difference from make_moons: %g", worst)
}
