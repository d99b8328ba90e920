package experiment

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
)

func TestSearch(t *testing.T) {
	o := DefaultSearch()
	o.Common = common(t)
	o.Limit, o.Trials, o.Epochs, o.Show = 200, 8, 4, 5
	o.Hidden = []int{30, 30}
	res, err := Search(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, o.Out, res.Files, "trials.csv", "curves.csv", "best.png", "lr.png", "space.png")
	if res.Train != 160 || res.Val != 40 {
		t.Errorf("split %d training and %d validation images, want 160 and 40", res.Train, res.Val)
	}
	var idx []int
	for i, tr := range res.Trials {
		t.Logf("#%d trial %d lr %.3g decay %.3g: val %.3f train %.3f", i+1, tr.Index, tr.LR, tr.WeightDecay, tr.ValAcc, tr.TrainAcc)
		idx = append(idx, tr.Index)
		if i > 0 {
			prev := res.Trials[i-1]
			if tr.ValAcc > prev.ValAcc || tr.ValAcc == prev.ValAcc && tr.Index < prev.Index {
				t.Errorf("rank %d: trial %d (%.3f) after trial %d (%.3f); want best first, ties in the order drawn",
					i+1, tr.Index, tr.ValAcc, prev.Index, prev.ValAcc)
			}
		}
		if e := math.Log10(tr.LR); e < o.LRExp[0] || e > o.LRExp[1] {
			t.Errorf("trial %d: lr %g outside 10^%v", tr.Index, tr.LR, o.LRExp)
		}
		if e := math.Log10(tr.WeightDecay); e < o.DecayExp[0] || e > o.DecayExp[1] {
			t.Errorf("trial %d: weight decay %g outside 10^%v", tr.Index, tr.WeightDecay, o.DecayExp)
		}
		if len(tr.ValCurve) != o.Epochs+1 || tr.ValCurve[o.Epochs] != tr.ValAcc {
			t.Errorf("trial %d: validation curve %v does not end at %v", tr.Index, tr.ValCurve, tr.ValAcc)
		}
	}
	slices.Sort(idx)
	for i, k := range idx {
		if k != i+1 {
			t.Fatalf("trial numbers %v, want 1 to %d once each", idx, o.Trials)
		}
	}
	if recs := readCSV(t, filepath.Join(o.Out, "trials.csv")); len(recs) != 1+o.Trials {
		t.Errorf("trials.csv has %d rows, want %d", len(recs), 1+o.Trials)
	}
}
