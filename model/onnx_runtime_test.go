package model

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// checkONNX runs the ONNX checker with full_check (which also infers every
// shape and type in strict mode and compares them with the declared ones)
// on each file.
func checkONNX(t *testing.T, paths ...string) {
	t.Helper()
	py := pythonWith(t, "onnx", "python3-onnx")
	const script = `
import sys, onnx
for p in sys.argv[1:]:
    onnx.checker.check_model(onnx.load(p), full_check=True)
`
	runTool(t, py, append([]string{"-c", script}, paths...)...)
}

// ortDouble reports whether ONNX Runtime's CPU provider can run spec in
// float64: version 1.30 has no double kernel for Conv, LeakyRelu or Erf
// (exact GELU's) ("Could not find an implementation for Conv(11)").
func ortDouble(spec nn.Spec) bool {
	for _, l := range spec.Layers {
		if l.Type() == "conv2d" || l.Type() == "leakyrelu" || l.Type() == "gelu" {
			return false
		}
	}
	return true
}

// ortCase is a network exported with Softmax, the job of running it, kiso's
// logits on the job's input, [n, classes], and the tolerance.
type ortCase struct {
	name string
	job  ortJob
	want *tensor.Tensor[float64]
	tol  float64
}

// newORTCase exports net with Softmax as dtype to path and prepares to run
// it on x; want is kiso's output on x, or nil to compute it.
func newORTCase[T tensor.Float](t *testing.T, name, path string, net *nn.Sequential[T], spec nn.Spec, dtype string, x, want *tensor.Tensor[T], tol float64) ortCase {
	t.Helper()
	if err := ExportONNX(path, net, Info{}, ONNXOptions{DType: dtype, Softmax: true}); err != nil {
		t.Fatal(err)
	}
	if want == nil {
		want = net.Forward(x, false)
	}
	return ortCase{name, newORTJob(t, path, dtype, x), tensor.Convert[float64](want), tol}
}

// compareORT runs the cases in ONNX Runtime and compares both outputs with
// kiso's logits and their softmax: every difference must be within the
// case's tolerance, and every predicted class the same.
func compareORT(t *testing.T, cases []ortCase) {
	t.Helper()
	jobs := make([]ortJob, len(cases))
	for i, c := range cases {
		jobs[i] = c.job
	}
	for i, got := range runORT(t, jobs...) {
		c := cases[i]
		logits := maxDiff(got["logits"], c.want.Data)
		probs := maxDiff(got["probabilities"], loss.Softmax(c.want).Data)
		wrong := c.want.Rows() - argmaxAgree(got["logits"], c.want.Data, c.want.Cols())
		t.Logf("%s: largest difference %.3g (logits), %.3g (probabilities); %d of %d classes differ", c.name, logits, probs, wrong, c.want.Rows())
		if !(logits <= c.tol && probs <= c.tol) || wrong > 0 {
			t.Errorf("%s: ONNX Runtime and kiso differ by %.3g (logits), %.3g (probabilities), want ≤ %g; %d classes differ", c.name, logits, probs, c.tol, wrong)
		}
	}
}

// TestONNXRuntime runs every test architecture, exported, in ONNX Runtime
// and compares its outputs with kiso's on a random batch. Exported as
// float32, a float32 network agrees to rounding: both sides sum the same
// float32 products in different orders, a few times 1e-7 here, and 1e-5
// (the bound) still catches any misplaced weight or wrong operator
// attribute, which move outputs by O(0.1). A float64 network exported as
// float32 loses its weights' low bits (relative 6e-8) and agrees to 1e-5
// too. Exported as float64, where ONNX Runtime can run it, a float64
// network agrees to 1e-12 (BatchNormalization's epsilon is a float32
// attribute: 1e-5 rounded moves outputs by about 1e-13). The checker
// accepts every file, ONNX Runtime's missing double kernels
// notwithstanding.
func TestONNXRuntime(t *testing.T) {
	ortRunner(t)
	dir := t.TempDir()
	var cases []ortCase
	var paths []string
	for i, tt := range exportSpecs {
		x := tensor.RandN[float64](rng.NewNumpy(12), 1, append([]int{7}, tt.spec.Input...)...)
		x32 := tensor.Convert[float32](x)
		net64 := newNet[float64](t, tt.spec, 11)
		net32 := newNet[float32](t, tt.spec, 11)
		path := func(kind string) string {
			p := filepath.Join(dir, fmt.Sprintf("%d-%s.onnx", i, kind))
			paths = append(paths, p)
			return p
		}
		cases = append(cases,
			newORTCase(t, tt.name+", float32 as F32", path("f32"), net32, tt.spec, "F32", x32, nil, 1e-5),
			newORTCase(t, tt.name+", float64 as F32", path("f64-f32"), net64, tt.spec, "F32", x, nil, 1e-5))
		if ortDouble(tt.spec) {
			cases = append(cases, newORTCase(t, tt.name+", float64 as F64", path("f64"), net64, tt.spec, "F64", x, nil, 1e-12))
		} else if err := ExportONNX(path("f64"), net64, Info{}, ONNXOptions{DType: "F64"}); err != nil {
			t.Fatal(err)
		}
	}
	compareORT(t, cases)
	checkONNX(t, paths...)
}

// TestONNXRuntimeMNIST exports networks trained on MNIST and compares ONNX
// Runtime's outputs with kiso's over the whole test set: the logits and
// probabilities to 1e-5, and the predicted class of every image. The
// logits reach about 20, so float32 rounding (a relative 6e-8 per
// operation) stays a few times 1e-6.
func TestONNXRuntimeMNIST(t *testing.T) {
	ortRunner(t)
	nets, test := mnistNets(t)
	dir := t.TempDir()
	var cases []ortCase
	var paths []string
	for i, m := range nets {
		path := filepath.Join(dir, fmt.Sprintf("mnist-%d.onnx", i))
		name := fmt.Sprintf("%s (test accuracy %.1f%%)", m.name, 100*m.accuracy)
		cases = append(cases, newORTCase(t, name, path, m.net, m.spec, "F32", test.X, m.logits, 1e-5))
		paths = append(paths, path)
	}
	compareORT(t, cases)
	checkONNX(t, paths...)
}
