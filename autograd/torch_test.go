package autograd

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/tensor"
)

type jsonTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func toJSON(t *tensor.Tensor[float64]) jsonTensor {
	return jsonTensor{Shape: append([]int{}, t.Shape()...), Data: t.Data}
}

// TestAgainstPyTorch runs every case of the derivative table that has a
// PyTorch twin through torch.autograd.grad(..., create_graph=True) in
// float64 on the same inputs (testdata/torch_grads.py) and compares the
// first derivatives and the Hessian-vector products. The difference of
// each element is taken relative to the largest magnitude of that
// derivative (so that an exact zero computed as 1e-17 on one side is not a
// failure): below 1e-10 for first and 1e-8 for second derivatives.
func TestAgainstPyTorch(t *testing.T) {
	py := tools.Python(t, "torch")
	type jsonCase struct {
		Name  string       `json:"name"`
		Torch string       `json:"torch"`
		In    []jsonTensor `json:"inputs"`
		R     jsonTensor   `json:"r"`
		V     []jsonTensor `json:"v"`
	}
	var cases []jsonCase
	var mine []opCase
	var first, second [][][]float64
	for _, c := range opCases {
		if c.torch == "" {
			continue
		}
		it := newInstance(c, 2)
		jc := jsonCase{Name: c.name, Torch: c.torch, R: toJSON(it.r)}
		for i := range it.in {
			jc.In = append(jc.In, toJSON(it.in[i]))
			jc.V = append(jc.V, toJSON(it.v[i]))
		}
		f, s := it.firstAndSecond(c)
		cases, mine = append(cases, jc), append(mine, c)
		first, second = append(first, f), append(second, s)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "cases.json")
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "torch_grads.py"), in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("torch: %v", err)
	}
	var res []struct {
		Name   string      `json:"name"`
		First  [][]float64 `json:"first"`
		Second [][]float64 `json:"second"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(mine) {
		t.Fatalf("torch answered %d cases, want %d", len(res), len(mine))
	}
	worst1, worst2 := 0.0, 0.0
	for k, c := range mine {
		d1 := relDiff(first[k], res[k].First)
		d2 := relDiff(second[k], res[k].Second)
		worst1, worst2 = max(worst1, d1), max(worst2, d2)
		if !(d1 < 1e-10) {
			t.Errorf("%s: first derivatives differ from torch by %.3g (relative)", c.name, d1)
		}
		if !(d2 < 1e-8) {
			t.Errorf("%s: second derivatives differ from torch by %.3g (relative)", c.name, d2)
		}
	}
	t.Logf("%d ops against torch: largest relative difference %.3g (first), %.3g (second)", len(mine), worst1, worst2)
}

// relDiff returns max |a-b| over max |b| for each input, the largest over
// inputs (0 when both are all zeros).
func relDiff(a, b [][]float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	worst := 0.0
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return math.Inf(1)
		}
		scale, diff := 0.0, 0.0
		for k := range a[i] {
			scale = max(scale, math.Abs(b[i][k]), math.Abs(a[i][k]))
			diff = max(diff, math.Abs(a[i][k]-b[i][k]))
		}
		if diff > 0 {
			worst = max(worst, diff/scale)
		}
	}
	return worst
}
