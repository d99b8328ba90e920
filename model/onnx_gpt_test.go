package model

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// gptNet returns a GPT (3 blocks, 2 heads, window 8, vocabulary 13) with
// trained-looking weights: matrices of std 0.3, LayerNorm weights near 1.
func gptNet[T tensor.Float](t *testing.T) *nn.Sequential[T] {
	t.Helper()
	spec, err := nn.Architecture("gpt", nn.GPTConfig{Vocab: 13, Block: 8, Layers: 3, Heads: 2, Embd: 16})
	if err != nil {
		t.Fatal(err)
	}
	r := rng.NewNumpy(8)
	net, err := nn.Build[T](spec, nn.Normal(0.02), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		if strings.Contains(p.Name, "ln_") {
			tensor.FillNormal(p.Value, r, 1, 0.1)
		} else {
			tensor.FillNormal(p.Value, r, 0, 0.3)
		}
	}
	return net
}

// gptIDs returns n sequences of 8 random ids below 13, as floats.
func gptIDs[T tensor.Float](n int) *tensor.Tensor[T] {
	r := rng.NewNumpy(3)
	x := tensor.New[T](n, 8)
	for i := range x.Data {
		x.Data[i] = T(r.Randint(0, 13))
	}
	return x
}

// TestONNXRuntimeGPT exports a GPT as ONNX (opset 17) and runs it in ONNX
// Runtime on 5 sequences: its logits [5, 8, 13] agree with kiso's within
// 1e-4 (the bound; float32 rounding of the same sums in other
// orders gives about 1e-6), for a float32 network and a float64 one
// exported as float32, and the checker accepts both files. A wrong head
// split, a missing mask or an untied head moves logits by O(1), and the
// mask is checked on its own: a later token never changes an earlier
// position's logits in ONNX Runtime either.
func TestONNXRuntimeGPT(t *testing.T) {
	ortRunner(t)
	dir := t.TempDir()
	net32 := gptNet[float32](t)
	net64 := gptNet[float64](t)
	x64 := gptIDs[float64](5)
	// The last sequence is the fourth with its last two ids changed: the
	// logits of its first six positions must not move.
	for j := range 8 {
		x64.Data[4*8+j] = x64.Data[3*8+j]
	}
	x64.Data[4*8+6], x64.Data[4*8+7] = float64((int(x64.Data[4*8+6])+1)%13), float64((int(x64.Data[4*8+7])+5)%13)
	x32 := tensor.Convert[float32](x64)
	var cases []ortCase
	var paths []string
	for _, c := range []struct {
		name string
		add  func(path string) ortCase
	}{
		{"float32 GPT as F32", func(p string) ortCase {
			if err := ExportONNX(p, net32, Info{}, ONNXOptions{}); err != nil {
				t.Fatal(err)
			}
			return ortCase{"float32 GPT as F32", newORTJob(t, p, "F32", x32), tensor.Convert[float64](net32.Forward(x32, false)), 1e-4}
		}},
		{"float64 GPT as F32", func(p string) ortCase {
			if err := ExportONNX(p, net64, Info{}, ONNXOptions{}); err != nil {
				t.Fatal(err)
			}
			return ortCase{"float64 GPT as F32", newORTJob(t, p, "F32", x64), tensor.Convert[float64](net64.Forward(x64, false)), 1e-4}
		}},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".onnx")
		paths = append(paths, p)
		cases = append(cases, c.add(p))
	}
	const v = 13
	for i, got := range runORT(t, cases[0].job, cases[1].job) {
		c := cases[i]
		logits := got["logits"]
		d := maxDiff(logits, c.want.Data)
		t.Logf("%s: largest difference of the logits %.3g", c.name, d)
		if !(d <= c.tol) {
			t.Errorf("%s: ONNX Runtime and kiso differ by %.3g, want ≤ %g", c.name, d, c.tol)
		}
		if len(logits) == 5*8*v {
			// Positions 0..5 of sequences 3 and 4 read the same ids.
			if d := maxDiff(logits[4*8*v:4*8*v+6*v], logits[3*8*v:3*8*v+6*v]); d != 0 {
				t.Errorf("%s: changing later ids moved earlier logits by %.3g in ONNX Runtime", c.name, d)
			}
			if d := maxDiff(logits[4*8*v+7*v:5*8*v], logits[3*8*v+7*v:4*8*v]); d == 0 {
				t.Errorf("%s: changing the last ids left the last logits as they were", c.name)
			}
		}
	}
	checkONNX(t, paths...)
}

// TestONNXGPTFile checks what an exported GPT's file holds without a
// runtime: the state_dict's names and the operators, and that Softmax,
// which needs a vector per case, is refused.
func TestONNXGPTFile(t *testing.T) {
	net := gptNet[float32](t)
	var b bytes.Buffer
	if err := WriteONNX(&b, net, Info{}, ONNXOptions{}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, name := range []string{"0.transformer.wte.weight", "0.transformer.wpe.weight", "0.transformer.h.2.attn.c_attn.weight",
		"0.transformer.h.0.mlp.c_proj.weight", "0.transformer.ln_f.weight", "LayerNormalization", "Softmax"} {
		if !strings.Contains(s, name) {
			t.Errorf("the exported GPT has no %q", name)
		}
	}
	if err := WriteONNX(&b, net, Info{}, ONNXOptions{Softmax: true}); err == nil {
		t.Error("Softmax on logits [T, vocab] per case: no error")
	}
}
