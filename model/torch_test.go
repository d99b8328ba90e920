package model

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestWriteTorchState checks the tensors PyTorch will load: those of the
// kiso model file, converted to the dtype, plus an I64 scalar 0
// "num_batches_tracked" for each BatchNorm, under metadata format "pt".
func TestWriteTorchState(t *testing.T) {
	for _, tt := range exportSpecs {
		for _, dtype := range []string{"F32", "F64"} {
			net := newNet[float64](t, tt.spec, 4)
			var b bytes.Buffer
			if err := WriteTorchState(&b, net, TorchOptions{DType: dtype}); err != nil {
				t.Fatal(err)
			}
			f, err := ReadSafetensors(bytes.NewReader(b.Bytes()), int64(b.Len()))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Metadata) != 1 || f.Metadata["format"] != "pt" {
				t.Errorf("%s: metadata %v", tt.name, f.Metadata)
			}
			want := map[string]Named{}
			for _, n := range encodeState(net) {
				v, err := ToTensor[float64](n)
				if err != nil {
					t.Fatal(err)
				}
				want[n.Name] = Named{n.Name, dtype, n.Shape, encodeAs(dtype, v.Data)}
			}
			for i, l := range tt.spec.Layers {
				if l.Type() == "batchnorm" {
					name := fmt.Sprintf("%d.num_batches_tracked", i)
					want[name] = Named{name, "I64", nil, make([]byte, 8)}
				}
			}
			if len(f.Tensors) != len(want) {
				t.Errorf("%s %s: %d tensors, want %d", tt.name, dtype, len(f.Tensors), len(want))
			}
			for _, got := range f.Tensors {
				w, ok := want[got.Name]
				if !ok || got.DType != w.DType || !slices.Equal(got.Shape, w.Shape) || !bytes.Equal(got.Data, w.Data) {
					t.Errorf("%s %s: tensor %q %s %v differs from %q %s %v", tt.name, dtype, got.Name, got.DType, got.Shape, w.Name, w.DType, w.Shape)
				}
			}
		}
	}
}

// TestWriteTorchScript compares the script for the test convnet, with a
// training record naming classes and a standardization, with
// testdata/torch_convnet.py (go test ./model -run TorchScript -update
// rewrites it). TestTorch runs such scripts.
func TestWriteTorchScript(t *testing.T) {
	spec := testSpecs[3].spec
	var b bytes.Buffer
	if err := WriteTorchScript(&b, newNet[float32](t, spec, 1), testInfo(), "convnet.safetensors", TorchOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "torch_convnet.py")
	if *updateGolden {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("the script differs from %s (-update rewrites it):\n%s", path, b.Bytes())
	}
}

func TestPythonLiterals(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{pyFloat(0.5), "0.5"}, {pyFloat(1), "1.0"}, {pyFloat(1e-5), "1e-05"}, {pyFloat(-3e20), "-3e+20"},
		{pyTuple([]int{784}), "(784,)"}, {pyTuple([]int{1, 28, 28}), "(1, 28, 28)"},
		{pyList([]string{"cat", `"x"\`}, strconv.Quote), `["cat", "\"x\"\\"]`},
		{pyModule("mnist.safetensors"), "mnist"}, {pyModule("_a1.safetensors"), "_a1"},
		{pyModule("my-net.safetensors"), ""}, {pyModule("1st.safetensors"), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

// TestExportTorchFails checks that a failed export leaves no file and
// names what failed.
func TestExportTorchFails(t *testing.T) {
	dir := t.TempDir()
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{})
	net := newNet[float64](t, spec, 5)
	tests := []struct {
		base string
		net  *nn.Sequential[float64]
		opts TorchOptions
		want string
	}{
		{filepath.Join(dir, "net"), net, TorchOptions{DType: "I8"}, "export " + filepath.Join(dir, "net.safetensors") + `: dtype "I8"`},
		{filepath.Join(dir, "net"), withLayer(net, 1, &double[float64]{}), TorchOptions{},
			"layer 1 (double): *model.double[float64] cannot be exported to PyTorch: it has no TorchModule method"},
		{filepath.Join(dir, "missing", "net"), net, TorchOptions{}, "cannot write " + filepath.Join(dir, "missing", "net.safetensors")},
	}
	for _, tt := range tests {
		err := ExportTorch(tt.base, tt.net, Info{}, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.base, err, tt.want)
		}
	}
	// The script cannot be written: a folder stands in its way.
	base := filepath.Join(dir, "blocked")
	if err := os.Mkdir(base+".py", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := ExportTorch(base, net, Info{}, TorchOptions{}); err == nil || !strings.Contains(err.Error(), base+".py") {
		t.Errorf("blocked script: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed exports left %d entries, want only the folder", len(entries))
	}
}

// torchRunner loads exported scripts, runs their models on inputs stored as
// raw little-endian numbers and writes the outputs as raw float64, for
// groups of arguments SCRIPT INPUT OUTPUT TYPE SHAPE as run.js takes them.
// It imports each script as a module, as a user would, and checks that the
// output has the script's dtype.
const torchRunner = `
import importlib.util, struct, sys
import torch
args = sys.argv[1:]
for i in range(0, len(args), 5):
    script, inp, out, typ, shape = args[i:i + 5]
    spec = importlib.util.spec_from_file_location("exported%d" % i, script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.load()
    dtype = {"float32": torch.float32, "float64": torch.float64}[typ]
    assert mod.DTYPE == dtype, (mod.DTYPE, dtype)
    with open(inp, "rb") as f:
        x = torch.frombuffer(bytearray(f.read()), dtype=dtype)
    x = x.reshape([int(d) for d in shape.split("x")])
    assert tuple(x.shape[1:]) == mod.INPUT_SHAPE, (x.shape, mod.INPUT_SHAPE)
    with torch.no_grad():
        y = model(x)
    assert y.dtype == dtype, y.dtype
    y = y.double().flatten().tolist()
    with open(out, "wb") as f:
        f.write(struct.pack("<%dd" % len(y), *y))
`

// exportCase is an exported network, its input and kiso's output on it.
type exportCase struct {
	name string
	args []string
	want *tensor.Tensor[float64]
	tol  float64
}

// newTorchExport exports net as dtype to base and prepares to run it on x;
// want is kiso's output on x, or nil to compute it.
func newTorchExport[T tensor.Float](t *testing.T, name, base string, net *nn.Sequential[T], spec nn.Spec, dtype string, x, want *tensor.Tensor[T], tol float64) exportCase {
	t.Helper()
	if err := ExportTorch(base, net, Info{}, TorchOptions{DType: dtype}); err != nil {
		t.Fatal(err)
	}
	if want == nil {
		want = net.Forward(x, false)
	}
	job := newORTJob(t, base, dtype, x) // the same input files and arguments as run.js
	job.args[0] = base + ".py"
	return exportCase{name, job.args, tensor.Convert[float64](want), tol}
}

// compareTorch runs the cases in one Python process and compares their
// outputs with kiso's: every difference must be within the case's
// tolerance, and every predicted class the same.
func compareTorch(t *testing.T, cases []exportCase) {
	t.Helper()
	py := pythonWith(t, "torch", "python3-torch")
	args := []string{"-c", torchRunner}
	for _, c := range cases {
		args = append(args, c.args...)
	}
	runTool(t, py, args...)
	for _, c := range cases {
		got := readRaw(t, c.args[2], "F64")
		worst := maxDiff(got, c.want.Data)
		wrong := c.want.Rows() - argmaxAgree(got, c.want.Data, c.want.Cols())
		t.Logf("%s: largest difference %.3g; %d of %d classes differ", c.name, worst, wrong, c.want.Rows())
		if !(worst <= c.tol) || wrong > 0 {
			t.Errorf("%s: PyTorch and kiso differ by %.3g, want ≤ %g; %d classes differ", c.name, worst, c.tol, wrong)
		}
	}
}

// TestTorch exports every test architecture for PyTorch, loads each with
// its generated script (strict load_state_dict), runs it on a random batch
// and compares the outputs with kiso's. float32 networks agree to
// rounding, a few times 1e-7: 1e-5 still catches any misplaced weight,
// which moves outputs by O(0.1). float64 networks agree to 1e-12 (only the
// order of summation differs).
func TestTorch(t *testing.T) {
	pythonWith(t, "torch", "python3-torch")
	dir := t.TempDir()
	var cases []exportCase
	for i, tt := range exportSpecs {
		x := tensor.RandN[float64](rng.NewNumpy(12), 1, append([]int{7}, tt.spec.Input...)...)
		x32 := tensor.Convert[float32](x)
		cases = append(cases,
			newTorchExport(t, tt.name+", float32", filepath.Join(dir, fmt.Sprintf("net%d_f32", i)), newNet[float32](t, tt.spec, 11), tt.spec, "F32", x32, nil, 1e-5),
			newTorchExport(t, tt.name+", float64", filepath.Join(dir, fmt.Sprintf("net%d_f64", i)), newNet[float64](t, tt.spec, 11), tt.spec, "F64", x, nil, 1e-12))
	}
	compareTorch(t, cases)
}

// TestTorchMNIST does as TestTorch for the networks trained on MNIST, over
// the whole test set. Their logits reach about 20, and float32 rounding
// stays a few times 1e-6, within 1e-5; every predicted class must agree.
func TestTorchMNIST(t *testing.T) {
	pythonWith(t, "torch", "python3-torch")
	nets, test := mnistNets(t)
	dir := t.TempDir()
	var cases []exportCase
	for i, m := range nets {
		name := fmt.Sprintf("%s (test accuracy %.1f%%)", m.name, 100*m.accuracy)
		cases = append(cases, newTorchExport(t, name, filepath.Join(dir, fmt.Sprintf("mnist%d", i)), m.net, m.spec, "F32", test.X, m.logits, 1e-5))
	}
	compareTorch(t, cases)
}
