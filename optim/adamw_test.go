package optim_test

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// adamwRun is one run of AdamW with clipping: two parameters (a decayed
// matrix and a vector that is not), gradients drawn per step, learning
// rates from nanoGPT's schedule.
type adamwRun struct {
	params []*nn.Param[float64]
	grads  [][][]float64 // per step, per parameter
	lrs    []float64
}

func newAdamWRun(steps int) adamwRun {
	r := rng.NewNumpy(4)
	w := nn.NewParam("w", tensor.RandN[float64](r, 1, 3, 4), true)
	b := nn.NewParam("b", tensor.RandN[float64](r, 1, 4), false)
	run := adamwRun{params: []*nn.Param[float64]{w, b}}
	sched := optim.WarmupCosine{Base: 1e-2, Min: 1e-3, Warmup: 2, Decay: steps}
	for s := range steps {
		var g [][]float64
		for _, p := range run.params {
			// Large gradients early, so that clipping acts on some steps.
			g = append(g, tensor.RandN[float64](r, 2/float64((s+1)*(s+1)), p.Value.Len()).Data)
		}
		run.grads = append(run.grads, g)
		run.lrs = append(run.lrs, sched.LR(s))
	}
	return run
}

// TestAdamWAgainstPyTorch runs 8 steps of AdamW (λ 0.1 on the matrix only,
// betas 0.9 and 0.99, ε 1e-8, learning rates of a warmup-cosine schedule)
// after ClipGradNorm(1) with torch.optim.AdamW and clip_grad_norm_ in
// float64 (testdata/adamw_torch.py) on the same parameters and gradients,
// and compares every parameter after every step, and the norms: within
// 1e-13 relative, the rounding of the two orders of operations (PyTorch's
// foreach=False path computes the same formula element by element).
func TestAdamWAgainstPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: starting PyTorch takes seconds")
	}
	py := tools.Python(t, "torch")
	const steps = 8
	run := newAdamWRun(steps)
	type param struct {
		Value [][]float64 `json:"value"`
		Decay bool        `json:"decay"`
	}
	in := map[string]any{"weight_decay": 0.1, "beta1": 0.9, "beta2": 0.99, "eps": 1e-8, "clip": 1.0, "lrs": run.lrs, "grads": run.grads}
	var ps []any
	for _, p := range run.params {
		v := p.Value
		if v.Rank() == 1 {
			ps = append(ps, map[string]any{"value": v.Data, "decay": p.Decay})
			continue
		}
		var rows [][]float64
		for i := range v.Dim(0) {
			rows = append(rows, v.Data[i*v.Dim(1):(i+1)*v.Dim(1)])
		}
		ps = append(ps, param{rows, p.Decay})
	}
	in["params"] = ps
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "adamw.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/adamw_torch.py", path).Output()
	if err != nil {
		t.Fatalf("adamw_torch.py: %v\n%s", err, stderrOf(err))
	}
	var want struct {
		Steps [][][]float64 `json:"steps"`
		Norms []float64     `json:"norms"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	o := optim.NewAdamW[float64](run.lrs[0], 0.9, 0.99, 0.1)
	clipped := 0
	for s := range steps {
		for i, p := range run.params {
			copy(p.Grad.Data, run.grads[s][i])
		}
		o.SetLR(run.lrs[s])
		norm := optim.ClipGradNorm(run.params, 1)
		if norm > 1 {
			clipped++
		}
		if math.Abs(norm-want.Norms[s]) > 1e-13*want.Norms[s] {
			t.Errorf("step %d: norm %v, PyTorch %v", s, norm, want.Norms[s])
		}
		o.Step(run.params)
		for i, p := range run.params {
			for j, v := range p.Value.Data {
				w := want.Steps[s][i][j]
				if math.Abs(v-w) > 1e-13*math.Max(1, math.Abs(w)) {
					t.Fatalf("step %d, %s[%d]: %v, PyTorch %v", s, p.Name, j, v, w)
				}
			}
		}
	}
	if clipped == 0 || clipped == steps {
		t.Errorf("%d of %d steps clipped: the test should have both kinds", clipped, steps)
	}
}

// TestAdamWDecoupled checks what sets AdamW apart, without PyTorch: with a
// zero gradient a decayed weight shrinks by exactly (1 − η·λ) per step and
// one that is not decayed does not move; and a State resumes bit for bit.
func TestAdamWDecoupled(t *testing.T) {
	w := nn.NewParam("w", tensor.FromSlice([]float64{2, -4}, 2), true)
	b := nn.NewParam("b", tensor.FromSlice([]float64{2, -4}, 2), false)
	o := optim.NewAdamW[float64](0.1, 0.9, 0.95, 0.5)
	o.Step([]*nn.Param[float64]{w, b})
	if w.Value.Data[0] != 2*0.95 || w.Value.Data[1] != -4*0.95 || b.Value.Data[0] != 2 || b.Value.Data[1] != -4 {
		t.Errorf("after one step with zero gradients: w %v, b %v; want [1.9 -3.8], [2 -4]", w.Value.Data, b.Value.Data)
	}

	run := newAdamWRun(6)
	step := func(o optim.Optimizer[float64], s int) {
		for i, p := range run.params {
			copy(p.Grad.Data, run.grads[s][i])
		}
		o.SetLR(run.lrs[s])
		o.Step(run.params)
	}
	a := optim.NewAdamW[float64](1e-2, 0.9, 0.99, 0.1)
	for s := range 3 {
		step(a, s)
	}
	saved := a.State()
	snapshot := [][]float64{append([]float64{}, run.params[0].Value.Data...), append([]float64{}, run.params[1].Value.Data...)}
	for s := 3; s < 6; s++ {
		step(a, s)
	}
	end := [][]float64{append([]float64{}, run.params[0].Value.Data...), append([]float64{}, run.params[1].Value.Data...)}
	copy(run.params[0].Value.Data, snapshot[0])
	copy(run.params[1].Value.Data, snapshot[1])
	resumed, err := optim.FromState[float64](saved)
	if err != nil {
		t.Fatal(err)
	}
	for s := 3; s < 6; s++ {
		step(resumed, s)
	}
	for i, p := range run.params {
		for j, v := range p.Value.Data {
			if v != end[i][j] {
				t.Fatalf("resumed %s[%d] = %v, uninterrupted %v", p.Name, j, v, end[i][j])
			}
		}
	}
}

// TestWarmupCosine checks nanoGPT's schedule at its joints for the CPU
// configuration (lr 1e-3, min 1e-4, warmup 100, decay over 2000 steps).
func TestWarmupCosine(t *testing.T) {
	s := optim.WarmupCosine{Base: 1e-3, Min: 1e-4, Warmup: 100, Decay: 2000}
	for _, tt := range []struct {
		step int
		want float64
	}{
		{0, 1e-3 / 101}, {99, 1e-3 * 100 / 101}, {100, 1e-3}, {1050, 5.5e-4}, {2000, 1e-4}, {2001, 1e-4}, {5000, 1e-4},
	} {
		if got := s.LR(tt.step); math.Abs(got-tt.want) > 1e-18 {
			t.Errorf("step %d: %v, want %v", tt.step, got, tt.want)
		}
	}
}

// stderrOf returns what a failed command wrote to its standard error.
func stderrOf(err error) []byte {
	if e, ok := err.(*exec.ExitError); ok {
		return e.Stderr
	}
	return nil
}
