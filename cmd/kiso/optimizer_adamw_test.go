package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTrainAdamW: kiso train --optimizer adamw (not among optim.Names, the
// book's) trains the circle set, its --weight-decay is AdamW's decoupled
// decay (another run than Adam with the same L2 λ), and a bad name's
// message lists adamw.
func TestTrainAdamW(t *testing.T) {
	loss := map[string]float64{}
	for _, name := range []string{"adamw", "adam"} {
		stdout, stderr, code := runCLI(t, "train", "--data", "circle", "--epochs", "30", "--optimizer", name, "--weight-decay", "0.01", "--out", "", "--json")
		if code != 0 {
			t.Fatalf("--optimizer %s: exit %d: %s", name, code, stderr)
		}
		var got struct {
			TestLoss float64 `json:"test_loss"`
			TestAcc  float64 `json:"test_accuracy"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		if !(got.TestAcc >= 0.9) {
			t.Errorf("--optimizer %s: test accuracy %v, want at least 0.9", name, got.TestAcc)
		}
		loss[name] = got.TestLoss
	}
	if loss["adamw"] == loss["adam"] {
		t.Errorf("adamw and adam with --weight-decay 0.01 end at the same test loss %v: the decay is not decoupled", loss["adam"])
	}
	_, stderr, code := runCLI(t, "train", "--data", "circle", "--optimizer", "adamx")
	if code == 0 || !strings.Contains(stderr, "adam, adamw") {
		t.Errorf("--optimizer adamx: exit %d, %q", code, stderr)
	}
}
