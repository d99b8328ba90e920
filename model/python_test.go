package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// torchScript loads kiso files into PyTorch with nothing but json, struct
// and torch: it parses the safetensors header by hand, builds the
// nn.Sequential that the architecture describes, load_state_dicts the
// tensors into it and prints its outputs, in evaluation mode, on the input
// stored in a second safetensors file under "x". Arguments come in pairs
// (model file, input file); it prints a JSON list of flattened outputs.
const torchScript = `
import json, struct, sys
import torch
from torch import nn

def read(path):
    with open(path, 'rb') as f:
        b = f.read()
    n, = struct.unpack('<Q', b[:8])
    header = json.loads(b[8:8 + n].decode('utf-8'))
    meta = header.pop('__metadata__', {})
    data = b[8 + n:]
    dtypes = {'F32': torch.float32, 'F64': torch.float64}
    tensors = {}
    for name, info in header.items():
        s, e = info['data_offsets']
        t = torch.frombuffer(bytearray(data[s:e]), dtype=dtypes[info['dtype']])
        tensors[name] = t.reshape(info['shape'])
    return meta, tensors

class Step(nn.Module):
    def forward(self, x):
        return (x > 0).to(x.dtype)

def build(spec):
    layers, rank = [], len(spec.get('input', []))
    acts = {'identity': nn.Identity, 'relu': nn.ReLU, 'sigmoid': nn.Sigmoid,
            'tanh': nn.Tanh, 'leakyrelu': lambda: nn.LeakyReLU(0.01), 'step': Step}
    for l in spec['layers']:
        t = l['type']
        kernel = (l.get('kernel', 0), l.get('kernel_w') or l.get('kernel', 0))
        if t == 'linear':
            layers.append(nn.Linear(l['in'], l['out']))
            rank = 1
        elif t == 'conv2d':
            layers.append(nn.Conv2d(l['in'], l['out'], kernel, stride=l.get('stride') or 1,
                                    padding=l.get('pad', 0), bias=not l.get('no_bias', False)))
        elif t == 'maxpool2d':
            layers.append(nn.MaxPool2d(kernel, stride=l.get('stride') or kernel[0], padding=l.get('pad', 0)))
        elif t == 'batchnorm':
            layers.append((nn.BatchNorm1d if rank == 1 else nn.BatchNorm2d)(l['features']))
        elif t == 'dropout':
            layers.append(nn.Dropout(l['p']))
        elif t == 'flatten':
            layers.append(nn.Flatten())
            rank = 1
        else:
            layers.append(acts[t]())
    return nn.Sequential(*layers)

out = []
for path, xpath in zip(sys.argv[1::2], sys.argv[2::2]):
    meta, tensors = read(path)
    assert meta['format'] == 'kiso', meta
    model = build(json.loads(meta['architecture']))
    model = model.to({'F32': torch.float32, 'F64': torch.float64}[meta['dtype']])
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    assert not unexpected, unexpected
    assert all(k.endswith('num_batches_tracked') for k in missing), missing
    model.eval()
    _, xs = read(xpath)
    with torch.no_grad():
        y = model(xs['x'].to(next(model.parameters()).dtype))
    out.append(y.double().flatten().tolist())
print(json.dumps(out))
`

// torchCase is a model file, an input file and kiso's output on that input.
type torchCase struct {
	name, model, input string
	want               []float64
	tol                float64
}

// newTorchCase saves a network of type T built from spec, and an input
// batch, in dir, and records kiso's output.
func newTorchCase[T tensor.Float](t *testing.T, dir, name string, spec nn.Spec, tol float64) torchCase {
	net := newNet[T](t, spec, 11)
	c := torchCase{name: name, model: filepath.Join(dir, name+".kiso"), input: filepath.Join(dir, name+".x"), tol: tol}
	if err := Save(c.model, net, Info{}); err != nil {
		t.Fatal(err)
	}
	x := tensor.RandN[T](rng.NewNumpy(12), 1, append([]int{5}, spec.Input...)...)
	var b bytes.Buffer
	if err := WriteSafetensors(&b, []Named{FromTensor("x", x)}, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.input, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c.want = tensor.Convert[float64](net.Forward(x, false)).Data
	return c
}

// TestLoadInPyTorch loads kiso's files into PyTorch modules built from the
// stored architecture alone and compares the outputs with kiso's. In
// float64 the two differ only by summation order, about 1e-15 here; the
// 1e-6 bound is the brief's. In float32 the rounding of each sum, about
// 6e-8 relative per term over a few dozen terms and four layers, makes
// 1e-5 a bound that still catches any wrong or misplaced weight (those move
// the outputs by O(0.1)).
func TestLoadInPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: starting PyTorch takes seconds")
	}
	py := tools.Python(t, "torch")
	dir := t.TempDir()
	var cases []torchCase
	for i, tt := range testSpecs {
		cases = append(cases,
			newTorchCase[float64](t, dir, fmt.Sprintf("f64-%d", i), tt.spec, 1e-6),
			newTorchCase[float32](t, dir, fmt.Sprintf("f32-%d", i), tt.spec, 1e-5))
	}
	args := []string{"-c", torchScript}
	for _, c := range cases {
		args = append(args, c.model, c.input)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(py, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	var got [][]float64
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("python printed %q: %v", out, err)
	}
	for i, c := range cases {
		if len(got[i]) != len(c.want) {
			t.Errorf("%s (%s): torch gave %d outputs, kiso %d", c.name, testSpecs[i/2].name, len(got[i]), len(c.want))
			continue
		}
		worst := 0.0
		for j, w := range c.want {
			worst = max(worst, math.Abs(got[i][j]-w))
		}
		t.Logf("%s (%s): max difference %.3g", c.name, testSpecs[i/2].name, worst)
		if !(worst <= c.tol) {
			t.Errorf("%s (%s): torch and kiso differ by %.3g, want ≤ %g\ntorch %v\nkiso  %v", c.name, testSpecs[i/2].name, worst, c.tol, got[i], c.want)
		}
	}
}
