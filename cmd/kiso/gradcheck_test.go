package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestGradcheckSamplesLargeModels: gradcheck on SimpleConvNet without
// --max-per-param samples each parameter and says so, rather than run for
// more than 20 minutes in silence; with progress reports due at once, it
// shows them (issue 12, item 6).
func TestGradcheckSamplesLargeModels(t *testing.T) {
	after, every := gradcheckProgressAfter, gradcheckProgressEvery
	t.Cleanup(func() { gradcheckProgressAfter, gradcheckProgressEvery = after, every })
	gradcheckProgressAfter, gradcheckProgressEvery = 0, 0
	out, errs, code := runCLI(t, "gradcheck", "--model", "simplecnn", "--batch", "2")
	if code != 0 || !strings.Contains(out, "passed") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "sampled") || !strings.Contains(out, "--max-per-param 0") {
		t.Errorf("the output does not say the check is sampled:\n%s", out)
	}
	if !strings.Contains(errs, "elements checked") {
		t.Errorf("no progress on stderr: %q", errs)
	}
	out, _, code = runCLI(t, "gradcheck", "--model", "simplecnn", "--batch", "2", "--json")
	var rep gradcheckReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("--json: exit %d, %s", code, out)
	}
	for _, p := range rep.Params {
		if p.Checked > gradcheckSample {
			t.Errorf("%s: %d elements checked, want at most %d", p.Name, p.Checked, gradcheckSample)
		}
	}
	if rep.SampledPerParam != gradcheckSample {
		t.Errorf("sampled_per_param %d, want %d", rep.SampledPerParam, gradcheckSample)
	}
	// A small MLP is still checked whole, without a note.
	out, _, _ = runCLI(t, "gradcheck")
	if strings.Contains(out, "sampled") {
		t.Errorf("a small MLP was sampled:\n%s", out)
	}
}

// TestGradcheckShapesAsFiles: gradcheck names a Linear weight's shape as
// model files and PyTorch's state_dict do, [out, in] (issue 12, item 16).
func TestGradcheckShapesAsFiles(t *testing.T) {
	out, errs, code := runCLI(t, "gradcheck", "--inputs", "8", "--hidden", "6", "--classes", "3", "--json")
	var rep gradcheckReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	want := map[string][]int{"0.weight": {6, 8}, "0.bias": {6}, "2.weight": {3, 6}, "2.bias": {3}}
	for _, p := range rep.Params {
		if w, ok := want[p.Name]; !ok || !slices.Equal(p.Shape, w) {
			t.Errorf("%s: shape %v, want %v", p.Name, p.Shape, w)
		}
	}
	out, _, _ = runCLI(t, "gradcheck", "--inputs", "8", "--hidden", "6", "--classes", "3")
	if !strings.Contains(out, "0.weight   6 8 ") {
		t.Errorf("the table does not give 0.weight as 6 8:\n%s", out)
	}
}
