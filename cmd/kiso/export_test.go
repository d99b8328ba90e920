package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
)

// exportTestModel writes a small float32 model with batch normalization and
// dropout to dir/name and returns its path.
func exportTestModel(t *testing.T, dir, name string) string {
	t.Helper()
	spec := nn.MLP(4, []int{6}, 3, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.5})
	net, err := nn.Build[float32](spec, nn.He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := model.Save(path, net, model.Info{Dataset: "test", Classes: 3}); err != nil {
		t.Fatal(err)
	}
	return path
}

// dirNames returns the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestExportCLI exports a model in both formats; model's tests check the
// files in ONNX Runtime and PyTorch.
func TestExportCLI(t *testing.T) {
	dir := t.TempDir()
	m := exportTestModel(t, dir, "net.kiso")
	tests := []struct {
		args  []string
		files []string // written, besides net.kiso
		out   string   // stdout
	}{
		{[]string{"--format", "onnx", "--out", filepath.Join(dir, "a.onnx"), "--softmax"}, []string{"a.onnx"},
			"wrote " + filepath.Join(dir, "a.onnx") + ` (ONNX opset 13, float32): input "input", outputs "logits" and "probabilities"` + "\n"},
		{[]string{"--dtype", "float64"}, []string{"net.onnx"}, // the default format and name
			"wrote " + filepath.Join(dir, "net.onnx") + ` (ONNX opset 13, float64): input "input", outputs "logits"` + "\n"},
		{[]string{"--format", "torch", "--out", filepath.Join(dir, "t.py")}, []string{"t.py", "t.safetensors"},
			"wrote " + filepath.Join(dir, "t.safetensors") + " (float32 weights) and " + filepath.Join(dir, "t.py") + ", which builds the torch.nn.Sequential and loads them\n"},
		{[]string{"--format", "torch"}, []string{"net.py", "net.safetensors"},
			"wrote " + filepath.Join(dir, "net.safetensors") + " (float32 weights) and " + filepath.Join(dir, "net.py") + ", which builds the torch.nn.Sequential and loads them\n"},
	}
	for _, tt := range tests {
		for _, f := range dirNames(t, dir) {
			if f != "net.kiso" {
				os.Remove(filepath.Join(dir, f))
			}
		}
		out, errs, code := runCLI(t, append([]string{"export", "--model", m}, tt.args...)...)
		if code != 0 || errs != "" || out != tt.out {
			t.Errorf("export %v: exit %d, stdout %q, stderr %q; want stdout %q", tt.args, code, out, errs, tt.out)
		}
		want := append([]string{"net.kiso"}, tt.files...)
		slices.Sort(want)
		if got := dirNames(t, dir); !slices.Equal(got, want) {
			t.Errorf("export %v: folder holds %v, want %v", tt.args, got, want)
		}
		for _, f := range tt.files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			switch {
			case err != nil:
				t.Error(err)
			case strings.HasSuffix(f, ".onnx") && !bytes.HasPrefix(b, []byte{0x08, 0x08}): // ir_version = 8
				t.Errorf("%s starts with % x, not an ONNX model's ir_version 8", f, b[:min(len(b), 8)])
			case strings.HasSuffix(f, ".py") && !bytes.Contains(b, []byte("def load(")):
				t.Errorf("%s has no load function", f)
			}
		}
	}
}

func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	m := exportTestModel(t, dir, "net.kiso")
	garbage := filepath.Join(dir, "garbage.kiso")
	if err := os.WriteFile(garbage, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.onnx"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := dirNames(t, dir)
	out := filepath.Join(dir, "out.onnx")
	tests := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"--out", out}, "--model is required", 2},
		{[]string{"--model", m, "--format", "tflite", "--out", out}, `--format "tflite": want onnx or torch`, 2},
		{[]string{"--model", m, "--dtype", "float16", "--out", out}, `--dtype "float16"`, 2},
		{[]string{"--model", m, "--format", "torch", "--softmax", "--out", out}, "--softmax applies to --format onnx", 2},
		{[]string{"--model", m, "--out", m}, "would overwrite the model", 2},
		{[]string{"--model", m, "--out", filepath.Join(dir, "missing", "m.onnx")}, "--out: cannot write " + filepath.Join(dir, "missing", "m.onnx"), 1},
		{[]string{"--model", m, "--out", filepath.Join(dir, "folder.onnx")}, "it is a folder", 1},
		{[]string{"--model", filepath.Join(dir, "none.kiso"), "--out", out}, "load " + filepath.Join(dir, "none.kiso") + ": no such file", 1},
		{[]string{"--model", garbage, "--out", out}, "load " + garbage + ": not a kiso model file", 1},
		{[]string{"--model", garbage, "--format", "torch", "--out", out}, "load " + garbage, 1},
		{[]string{"--model", m, "--out", out, "extra"}, "takes no arguments", 2},
	}
	for _, tt := range tests {
		stdout, errs, code := runCLI(t, append([]string{"export"}, tt.args...)...)
		if code != tt.code || stdout != "" || !strings.Contains(errs, tt.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("export %v: exit %d, stdout %q, stderr %q; want exit %d and one line containing %q", tt.args, code, stdout, errs, tt.code, tt.want)
		}
		if got := dirNames(t, dir); !slices.Equal(got, before) {
			t.Errorf("export %v: the folder holds %v, was %v", tt.args, got, before)
		}
	}
}

// TestExportKeepsUnnamedFiles: kiso export without --out does not replace
// files that already exist under the names it derives from the model
// (issue 12, item 2: no command overwrites a model file the user did not
// name); naming them with --out replaces them.
func TestExportKeepsUnnamedFiles(t *testing.T) {
	dir := t.TempDir()
	m := exportTestModel(t, dir, "net.kiso")
	for _, format := range []string{"onnx", "torch"} {
		if _, errs, code := runCLI(t, "export", "--model", m, "--format", format); code != 0 {
			t.Fatalf("first export: %s", errs)
		}
		_, errs, code := runCLI(t, "export", "--model", m, "--format", format)
		if code == 0 || !strings.Contains(errs, "exists") || !strings.Contains(errs, "--out") {
			t.Errorf("%s: a second export without --out: exit %d, %q", format, code, errs)
		}
	}
	if _, errs, code := runCLI(t, "export", "--model", m, "--out", filepath.Join(dir, "net.onnx")); code != 0 {
		t.Errorf("export --out over an existing file: exit %d, %s", code, errs)
	}
}
