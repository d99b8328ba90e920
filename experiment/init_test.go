package experiment

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"
)

func TestInit(t *testing.T) {
	o := DefaultInit()
	o.Common = common(t)
	o.Steps, o.Limit, o.Batch, o.Hidden = 400, 2000, 64, []int{50, 50, 50, 50}
	o.Samples = 300
	res, err := Init(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"activations.csv", "loss.csv", "loss.png"}
	for _, act := range []string{"sigmoid", "relu"} {
		for _, in := range []string{"std1", "std0.01", "xavier", "he"} {
			names = append(names, fmt.Sprintf("hist_%s_%s.png", act, in))
		}
	}
	checkFiles(t, o.Out, res.Files, names...)

	// The book's lesson on MNIST: from std 0.01 the five-layer ReLU
	// network does not learn (its signal vanishes); from Xavier or He it
	// does. Measured over seeds 1 to 5: std 0.01 2.301, Xavier 1.34 to
	// 1.85, He 0.46 to 0.59.
	std, xavier, he := res.MNIST[0], res.MNIST[1], res.MNIST[2]
	for _, r := range res.MNIST {
		t.Logf("%-8s final loss %.4f, test accuracy %.3f", r.Name, r.FinalLoss, r.TestAcc)
	}
	if !(std.FinalLoss > 2.2) {
		t.Errorf("from std 0.01 the loss fell to %.4f; it should stay near ln 10", std.FinalLoss)
	}
	if !(xavier.FinalLoss < std.FinalLoss-0.2) || !(he.FinalLoss < xavier.FinalLoss-0.3) {
		t.Errorf("final losses std 0.01 %.4f, Xavier %.4f, He %.4f: want He well below Xavier well below std 0.01",
			std.FinalLoss, xavier.FinalLoss, he.FinalLoss)
	}

	// The histograms' lessons, from the theory of each initializer.
	stats := map[string]LayerStats{}
	for _, s := range res.Activations {
		stats[fmt.Sprintf("%s %s %d", s.Activation, s.Init, s.Layer)] = s
	}
	if s := stats["sigmoid std 1 5"]; !(s.Saturated > 0.4) {
		t.Errorf("sigmoid with std 1: %.0f%% saturated in layer 5, want most", 100*s.Saturated)
	}
	if s := stats["sigmoid std 0.01 5"]; !(s.Std < 0.02 && math.Abs(s.Mean-0.5) < 0.01) {
		t.Errorf("sigmoid with std 0.01: layer 5 mean %.3f std %.3f, want all near 0.5", s.Mean, s.Std)
	}
	// ReLU with std σ and fan-in 100 scales the spread by about
	// σ·sqrt(100/2) per layer: 0.07 for std 0.01, 1 for He.
	first, last := stats["relu std 0.01 1"], stats["relu std 0.01 5"]
	if r := last.Std / first.Std; !(r < 1e-3) {
		t.Errorf("ReLU with std 0.01: the spread shrinks by %.3g over four layers, want about 0.07⁴", r)
	}
	first, last = stats["relu He 1"], stats["relu He 5"]
	if r := last.Std / first.Std; !(r > 0.5 && r < 2) {
		t.Errorf("ReLU with He: the spread changes by %.3g over four layers, want it kept", r)
	}
	if s := stats["relu He 3"]; !(s.Zero > 0.4 && s.Zero < 0.6) {
		t.Errorf("ReLU: %.0f%% zeros, want about half", 100*s.Zero)
	}
	// 2 activations × 4 initializers × layers × bins, and a header.
	if recs := readCSV(t, filepath.Join(o.Out, "activations.csv")); len(recs) != 1+2*4*o.Layers*histBins {
		t.Errorf("activations.csv has %d rows, want %d", len(recs), 1+2*4*o.Layers*histBins)
	}
}
