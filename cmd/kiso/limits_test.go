package main

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/train"
)

// resumeWithHidden writes a checkpoint of a run with --hidden 4 on XOR,
// then rewrites its saved options to ask for hidden, with a new checksum,
// and returns the checkpoint's path.
func resumeWithHidden(t *testing.T, hidden string) string {
	t.Helper()
	ckpt := filepath.Join(t.TempDir(), "run.ckpt")
	if _, errs, code := runCLI(t, "train", "--data", "xor", "--hidden", "4", "--epochs", "1", "--out", "", "--checkpoint", ckpt, "-q"); code != 0 {
		t.Fatal(errs)
	}
	st, err := train.LoadState(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := json.Unmarshal(st.Meta, &meta); err != nil {
		t.Fatal(err)
	}
	if _, ok := meta["hidden"]; !ok {
		t.Fatalf("the checkpoint's options have no hidden sizes: %s", st.Meta)
	}
	meta["hidden"] = hidden
	if st.Meta, err = json.Marshal(meta); err != nil {
		t.Fatal(err)
	}
	if err := train.SaveState(ckpt, st); err != nil { // a new checksum
		t.Fatal(err)
	}
	return ckpt
}

// TestResumeLargerThanCheckpoint checks that a checkpoint whose options
// ask for a network larger than the values it holds (hidden 2000,2000:
// 4 million weights, 32 MB, from a checkpoint of 22 values) is refused
// before the network is built.
func TestResumeLargerThanCheckpoint(t *testing.T) {
	ckpt := resumeWithHidden(t, "2000,2000")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, errs, code := runCLI(t, "train", "--resume", ckpt, "--epochs", "2", "--out", "", "-q")
	runtime.ReadMemStats(&after)
	if code != 1 || !strings.Contains(errs, "its options describe a network of 4012002 parameter and buffer values, but it holds 22") {
		t.Errorf("exit %d, %q", code, errs)
	}
	if used := after.TotalAlloc - before.TotalAlloc; used > 16<<20 {
		t.Errorf("allocated %d bytes", used)
	}
}

// TestResumeHugeHidden checks that a checkpoint whose saved options ask for
// hidden layers of 100000 and 100000 (10 billion weights, 80 GB), with a
// checksum recomputed to match, is refused with a message before anything
// of that size is allocated.
func TestResumeHugeHidden(t *testing.T) {
	ckpt := resumeWithHidden(t, "100000,100000")
	_, errs, code := runCLI(t, "train", "--resume", ckpt, "--epochs", "2", "--out", "", "-q")
	if code != 1 || !strings.Contains(errs, "more than nn.MaxParams") || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d, %q", code, errs)
	}
}

// TestFitBatch checks fitBatch at and past maxBatchValues.
func TestFitBatch(t *testing.T) {
	// A ReLU over n values holds n values per case.
	relu := func(n int) nn.Spec {
		return nn.Spec{Input: []int{n}, Layers: nn.LayerSpecs{nn.ActivationSpec{Func: nn.ReLU}}}
	}
	for _, tc := range []struct {
		spec        nn.Spec
		batch, want int
	}{
		{relu(1000), 500, 500},
		{relu(maxBatchValues / 500), 500, 500}, // 500 cases at the limit
		{relu(maxBatchValues/500 + 1), 500, 499},
		{relu(nn.MaxActivations), 500, maxBatchValues / nn.MaxActivations},
		{nn.Spec{Layers: nn.LayerSpecs{nn.ActivationSpec{Func: nn.ReLU}}}, 500, 500}, // no input shape
		{nn.SimpleConvNet(), 500, 500},
	} {
		if got := fitBatch(tc.spec, nil, tc.batch); got != tc.want {
			t.Errorf("fitBatch(%v, %d) = %d, want %d", tc.spec.Input, tc.batch, got, tc.want)
		}
	}
}

// TestEvalChecksArchitectureOnData checks that eval validates a model that
// records no input shape against the data's shape before running it: a
// convolution given vectors is refused in one line (it was an internal
// error, exit 3).
func TestEvalChecksArchitectureOnData(t *testing.T) {
	dir := t.TempDir()
	spec := nn.Spec{Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 1, Kernel: 1, Pad: 20000, NoBias: true}}}
	net, err := nn.Build[float64](spec, nn.Normal(1), rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "conv.kiso")
	if err := model.Save(m, net, model.Info{Classes: 2}); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "eval", "--model", m, "--data", "xor", "--split", "all")
	if code != 1 || !strings.Contains(errs, "want [channels, height, width]") || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d, %q", code, errs)
	}
}

// TestHiddenLimits checks --hidden at and past maxHiddenSize and
// maxHiddenLayers: at them the sizes parse (and 1000 layers of 1 train),
// past them the command fails with one line naming the limit, exit 2,
// however long the value.
func TestHiddenLimits(t *testing.T) {
	layers := func(n int) string { return strings.TrimSuffix(strings.Repeat("1,", n), ",") }
	for _, tc := range []struct {
		hidden string
		want   string // "" means it parses
	}{
		{strconv.Itoa(maxHiddenSize), ""},
		{"3," + strconv.Itoa(maxHiddenSize), ""},
		{layers(maxHiddenLayers), ""},
		{layers(maxHiddenLayers) + ",,", ""},
		{strconv.Itoa(maxHiddenSize + 1), "more than 1048576 (maxHiddenSize)"},
		{"4," + strconv.Itoa(maxHiddenSize+1), "more than 1048576 (maxHiddenSize)"},
		{"99999999999999999999999", "more than 1048576 (maxHiddenSize)"},
		{strings.Repeat("9", 100000), "(100000 bytes) units, more than 1048576 (maxHiddenSize)"},
		{layers(maxHiddenLayers + 1), "more than 1000 hidden layers (maxHiddenLayers)"},
		{layers(100000), "more than 1000 hidden layers (maxHiddenLayers)"},
		{"-5", "want positive layer sizes"},
		{"0", "want positive layer sizes"},
		{"-99999999999999999999999", "want positive layer sizes"},
	} {
		name := tc.hidden
		if len(name) > 30 {
			name = name[:30] + "..."
		}
		sizes, err := parseHidden(tc.hidden)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			} else if n := len(strings.FieldsFunc(tc.hidden, func(r rune) bool { return r == ',' })); len(sizes) != n {
				t.Errorf("%s: %d sizes, want %d", name, len(sizes), n)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: parsed to %d sizes", name, len(sizes))
			continue
		}
		for _, cmd := range []string{"train", "gradcheck"} {
			_, errs, code := runCLI(t, cmd, "--data", "xor", "--hidden", tc.hidden, "--out", "")
			if cmd == "gradcheck" {
				_, errs, code = runCLI(t, cmd, "--hidden", tc.hidden)
			}
			if code != 2 || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 || len(errs) > 200 {
				t.Errorf("%s %s: exit %d, %q", cmd, name, code, errs)
			}
		}
	}
	// At the layer limit the network trains.
	if _, errs, code := runCLI(t, "train", "--data", "xor", "--hidden", layers(maxHiddenLayers), "--epochs", "1", "--out", "", "-q"); code != 0 {
		t.Errorf("1000 hidden layers: exit %d, %s", code, errs)
	}
	// kiso xor's --hidden, one number, has the same size limit.
	if _, errs, code := runCLI(t, "xor", "--hidden", strconv.Itoa(maxHiddenSize+1)); code != 2 || !strings.Contains(errs, "maxHiddenSize") {
		t.Errorf("xor: exit %d, %q", code, errs)
	}
	o := xorOptions{Hidden: maxHiddenSize, Steps: 1, LR: 0.1, InitStd: 0.1, Grad: "backprop"}
	if _, err := o.validate(); err != nil {
		t.Errorf("xor at maxHiddenSize: %v", err)
	}
}

// TestGradcheckBatchLimit: kiso gradcheck's --batch is cut by
// maxBatchValues, counted over the input and every layer's activations
// (maxCheckBatch): the most cases fit, one more does not, and past it the
// command fails with one line (--batch 1000000000 crashed with "fatal
// error: runtime: out of memory").
func TestGradcheckBatchLimit(t *testing.T) {
	for _, tc := range []struct {
		spec nn.Spec
		args []string
	}{
		{nn.MLP(8, []int{6, 5}, 3, nn.Tanh, nn.MLPOptions{}), nil},
		{nn.MLP(1<<24, []int{1}, 3, nn.Tanh, nn.MLPOptions{}), []string{"--inputs", "16777216", "--hidden", "1"}},
	} {
		fp, err := tc.spec.Footprint(nil)
		if err != nil {
			t.Fatal(err)
		}
		per := numel(tc.spec.Input) + fp.Activations
		most := maxCheckBatch(tc.spec)
		if most*per > maxBatchValues || (most+1)*per <= maxBatchValues {
			t.Errorf("%v: %d cases of %d values for a limit of %d", tc.spec.Input, most, per, maxBatchValues)
		}
		args := append([]string{"gradcheck", "--batch", strconv.Itoa(most + 1)}, tc.args...)
		_, errs, code := runCLI(t, args...)
		if code != 2 || !strings.Contains(errs, "maxBatchValues") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	if _, errs, code := runCLI(t, "gradcheck", "--batch", "1000000000"); code != 2 || !strings.Contains(errs, "4067203 cases") {
		t.Errorf("--batch 1000000000: exit %d, %q", code, errs)
	}
	if out, errs, code := runCLI(t, "gradcheck", "--batch", "64"); code != 0 || !strings.Contains(out, "passed") {
		t.Errorf("--batch 64: exit %d, %q %q", code, out, errs)
	}
}
