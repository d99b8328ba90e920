package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/tensor"
)

// This file finds the outside programs that check exported models (Python
// with onnx or torch, Node.js with onnxruntime-node) and loads MNIST for
// them. Each test that needs one skips under a plain go test when it is
// missing and fails under KISO_REQUIRE_TOOLS=1.

// pythonWith returns a Python 3 that imports mod, or calls tools.Missing
// with how to install it from Debian.
func pythonWith(t *testing.T, mod, pkg string) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("skipped in -short mode: starting Python with %s takes seconds", mod)
	}
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import "+mod).Run() == nil {
			return path
		}
	}
	tools.Missing(t, "python3 with "+mod, "apt-get install "+pkg)
	return ""
}

// ortDir is the Node.js project that runs ONNX models in ONNX Runtime.
const ortDir = "testdata/ort"

// ortRunner returns the node command and the runner script, or calls
// tools.Missing if Node.js or onnxruntime-node is not installed.
func ortRunner(t *testing.T) (node, script string) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode: ONNX Runtime takes seconds")
	}
	how := "install Node.js, then: cd model/" + ortDir + " && ONNXRUNTIME_NODE_INSTALL=skip npm ci"
	node, err := exec.LookPath("node")
	if err != nil {
		tools.Missing(t, "node (Node.js)", how)
	}
	if _, err := os.Stat(filepath.Join(ortDir, "node_modules", "onnxruntime-node", "package.json")); err != nil {
		tools.Missing(t, "onnxruntime-node", how)
	}
	script, err = filepath.Abs(filepath.Join(ortDir, "run.js"))
	if err != nil {
		t.Fatal(err)
	}
	return node, script
}

// runTool runs a command and returns its standard output, failing t with
// its standard error if it fails.
func runTool(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// writeRaw writes v to path as raw little-endian numbers of dtype ("F32"
// or "F64"), the runners' input format.
func writeRaw[T tensor.Float](t *testing.T, path, dtype string, v []T) {
	t.Helper()
	if err := os.WriteFile(path, encodeAs(dtype, v), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readRaw reads raw little-endian numbers of dtype ("F32" or "F64").
func readRaw(t *testing.T, path, dtype string) []float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := DTypeSize(dtype)
	if len(b)%size != 0 {
		t.Fatalf("%s: %d bytes is not a whole number of %s", path, len(b), dtype)
	}
	v := make([]float64, len(b)/size)
	for i := range v {
		if size == 4 {
			v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		} else {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
	}
	return v
}

// maxDiff returns the largest absolute difference between got and want,
// or +Inf if their lengths differ or a value is NaN.
func maxDiff(got, want []float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	worst := 0.0
	for i, w := range want {
		d := math.Abs(got[i] - w)
		if d != d {
			return math.Inf(1)
		}
		worst = max(worst, d)
	}
	return worst
}

// argmaxAgree returns how many rows of two [n, k] matrices, flattened,
// have their largest value in the same column.
func argmaxAgree(a, b []float64, k int) int {
	n := 0
	for i := 0; i+k <= len(a) && i+k <= len(b); i += k {
		ta := tensor.FromSlice(a[i:i+k], 1, k)
		tb := tensor.FromSlice(b[i:i+k], 1, k)
		if tensor.ArgmaxRows(ta)[0] == tensor.ArgmaxRows(tb)[0] {
			n++
		}
	}
	return n
}

var (
	mnistOnce sync.Once
	mnistSets [2]*data.Set[float32]
	mnistErr  error
)

// mnist returns MNIST's training and test sets as images [n, 1, 28, 28]
// with pixels in [0, 1], fetched into the user's cache once per run.
func mnist(t *testing.T) (train, test *data.Set[float32]) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode: loading MNIST takes seconds")
	}
	mnistOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		dir, err := data.FetchMNIST(ctx, data.FetchOptions{})
		if err != nil {
			mnistErr = err
			return
		}
		mnistSets[0], mnistSets[1], mnistErr = data.LoadMNIST[float32](dir, data.MNISTOptions{})
	})
	if mnistErr != nil {
		tools.Missing(t, "MNIST", "kiso data mnist fetches it; "+mnistErr.Error())
	}
	return mnistSets[0], mnistSets[1]
}

// runnerOutput is what run.js prints about each output of a model.
type runnerOutput struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Dims []int  `json:"dims"`
}

// ortJob is an ONNX model to run in ONNX Runtime and its input, written
// beside it.
type ortJob struct {
	args  []string // run.js's arguments for it
	dtype string
}

// newORTJob writes x, of shape [batch, ...], as dtype beside the ONNX model
// at path and returns the job of running it.
func newORTJob[T tensor.Float](t *testing.T, path, dtype string, x *tensor.Tensor[T]) ortJob {
	t.Helper()
	writeRaw(t, path+".in", dtype, x.Data)
	shape := fmt.Sprint(x.Shape()[0])
	for _, d := range x.Shape()[1:] {
		shape += fmt.Sprintf("x%d", d)
	}
	typ := map[string]string{"F32": "float32", "F64": "float64"}[dtype]
	return ortJob{args: []string{path, path + ".in", path + ".out", typ, shape}, dtype: dtype}
}

// runORT runs the jobs in one ONNX Runtime process and returns each
// model's outputs by name, flattened.
func runORT(t *testing.T, jobs ...ortJob) []map[string][]float64 {
	t.Helper()
	node, script := ortRunner(t)
	args := []string{script}
	for _, j := range jobs {
		args = append(args, j.args...)
	}
	var info [][]runnerOutput
	if err := json.Unmarshal(runTool(t, node, args...), &info); err != nil || len(info) != len(jobs) {
		t.Fatalf("run.js printed %d results for %d models (%v)", len(info), len(jobs), err)
	}
	results := make([]map[string][]float64, len(jobs))
	for i, j := range jobs {
		all := readRaw(t, j.args[2], j.dtype)
		results[i] = map[string][]float64{}
		for _, o := range info[i] {
			n := 1
			for _, d := range o.Dims {
				n *= d
			}
			if o.Type != j.args[3] || n > len(all) {
				t.Fatalf("run.js: %s: output %+v does not fit the %d values written", j.args[0], o, len(all))
			}
			results[i][o.Name], all = all[:n], all[n:]
		}
	}
	return results
}
