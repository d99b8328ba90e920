package lm_test

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// torchLogits is the Python that loads an exported model and prints its
// logits for the ids on argv[2] (JSON), as JSON.
const torchLogits = `import importlib.util, json, sys, torch
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
model = mod.load()
ids = torch.tensor(json.loads(sys.argv[2]))
with torch.no_grad():
    print(json.dumps(model(ids).flatten().tolist()))
`

// TestGPTTorch exports a GPT (2 blocks, window 8, trained-looking weights
// of std 0.3) with model.ExportTorch, loads it in PyTorch strictly with
// the script's nanoGPT-style GPT module, and compares the logits of two
// sequences with kiso's in float32: within 1e-5 (float32 rounding of the
// same products in other orders; kiso's float32 GELU is within 2.5e-7 of
// the exact one).
func TestGPTTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: starting PyTorch takes seconds")
	}
	py := tools.Python(t, "torch")
	spec, err := nn.Architecture("gpt", nn.GPTConfig{Vocab: 13, Block: 8, Layers: 2, Heads: 2, Embd: 16})
	if err != nil {
		t.Fatal(err)
	}
	r := rng.NewNumpy(8)
	net, err := nn.Build[float32](spec, nn.Normal(0.02), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		if !strings.Contains(p.Name, "ln_") {
			tensor.FillNormal(p.Value, r, 0, 0.3)
		} else {
			tensor.FillNormal(p.Value, r, 1, 0.1)
		}
	}
	base := filepath.Join(t.TempDir(), "gpt")
	if err := model.ExportTorch(base, net, model.Info{}, model.TorchOptions{}); err != nil {
		t.Fatal(err)
	}
	ids := [][]int{{0, 5, 12, 3, 3, 7, 1, 9}, {4, 4, 4, 2, 11, 0, 6, 8}}
	x := tensor.New[float32](2, 8)
	for i, row := range ids {
		for j, id := range row {
			x.Data[i*8+j] = float32(id)
		}
	}
	want := net.Forward(x, false)
	arg, _ := json.Marshal(ids)
	out, err := exec.Command(py, "-c", torchLogits, base+".py", string(arg)).Output()
	if err != nil {
		var stderr []byte
		if e, ok := err.(*exec.ExitError); ok {
			stderr = e.Stderr
		}
		t.Fatalf("python: %v\n%s", err, stderr)
	}
	var got []float64
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got) != want.Len() {
		t.Fatalf("%d logits from PyTorch, %d from kiso", len(got), want.Len())
	}
	worst := 0.0
	for i, w := range want.Data {
		worst = math.Max(worst, math.Abs(got[i]-float64(w)))
	}
	if worst > 1e-5 {
		t.Errorf("largest difference of a logit %.3g, want ≤ 1e-5", worst)
	}
	t.Logf("largest difference of a logit: %.3g", worst)
}
