package experiment

import (
	"context"
	"math"
	"path/filepath"
	"testing"
)

func TestFilters(t *testing.T) {
	o := DefaultFilters()
	o.Common = common(t)
	o.Limit, o.TestLimit, o.Epochs = 500, 200, 1
	res, err := Filters(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, o.Out, res.Files, "history.csv", "filters.csv", "before.png", "after.png")
	want := gridSize(t, 30, 5, 5, 10, false)
	for _, f := range []string{"before.png", "after.png"} {
		if got := decodePNG(t, filepath.Join(o.Out, f)); got != want {
			t.Errorf("%s is %v, want %v (30 filters in rows of 10)", f, got, want)
		}
	}
	if len(res.Before) != 30 || len(res.After) != 30 || len(res.Before[0]) != 25 {
		t.Fatalf("%d filters of %d weights before, %d after; want 30 of 25", len(res.Before), len(res.Before[0]), len(res.After))
	}
	// The filters start as draws of std 0.01 and training moves them.
	var sq, moved float64
	for f := range res.Before {
		for k, w := range res.Before[f] {
			sq += w * w
			moved = math.Max(moved, math.Abs(res.After[f][k]-w))
		}
	}
	if std := math.Sqrt(sq / 750); math.Abs(std-o.InitStd) > 0.2*o.InitStd {
		t.Errorf("initial filters have std %.4g, want about %g", std, o.InitStd)
	}
	// Adam moves a weight by up to about lr a step, in the early steps
	// mostly in the same direction: five steps move some weight by more
	// than two steps' worth. Measured (seed 1): 0.0049.
	if !(moved > 2*o.LR) {
		t.Errorf("training moved no weight by more than %g", moved)
	}
	t.Logf("test accuracy %.3f after one epoch of %d images", res.TestAcc, o.Limit)
	if !(res.TestAcc > 0.3) {
		t.Errorf("test accuracy %.3f: SimpleConvNet learnt nothing", res.TestAcc)
	}
	if recs := readCSV(t, filepath.Join(o.Out, "filters.csv")); len(recs) != 1+750 {
		t.Errorf("filters.csv has %d rows, want 751", len(recs))
	}
}
