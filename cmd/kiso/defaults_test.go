package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTrainToyDefaultsLearn trains every toy set with kiso train's
// default flags: each must clear a floor well above chance (issue 12, item
// 5). Measured with seeds 1 to 9: circle 0.93-1.00 (its noise makes the
// classes overlap), spiral 0.96-1.00, xor and gauss 0.98-1.00.
func TestTrainToyDefaultsLearn(t *testing.T) {
	for _, d := range []string{"circle", "spiral", "xor", "gauss"} {
		out, errs, code := runCLI(t, "train", "--data", d, "--out", "", "--json")
		var s trainSummary
		if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.TestAccuracy == nil {
			t.Fatalf("%s: exit %d: %s", d, code, errs)
		}
		if *s.TestAccuracy < 0.9 {
			t.Errorf("%s with the default flags: test accuracy %.4f, want >= 0.9", d, *s.TestAccuracy)
		}
		if strings.Contains(errs, "near chance") {
			t.Errorf("%s: a hint for a run that learned: %q", d, errs)
		}
	}
}

// TestTrainHintNearChance: a run that ends near chance says so, and what
// to try (issue 12, item 5).
func TestTrainHintNearChance(t *testing.T) {
	_, errs, code := runCLI(t, "train", "--data", "circle", "--out", "", "--epochs", "1", "--lr", "1e-6")
	if code != 0 || !strings.Contains(errs, "near chance") || !strings.Contains(errs, "--epochs") {
		t.Errorf("a run that learned nothing: exit %d, stderr %q; want a hint", code, errs)
	}
}
