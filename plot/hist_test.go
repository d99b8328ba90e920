package plot

import (
	"math"
	"testing"
)

func TestBinCounts(t *testing.T) {
	vs := []float64{0, 0.1, 0.24, 0.25, 0.5, 0.99, 1, -0.01, 1.01, math.NaN(), math.Inf(1)}
	bins := binCounts(vs, 4, 0, 1)
	want := []float64{3, 1, 1, 2} // [0, .25) [.25, .5) [.5, .75) [.75, 1]
	for i, b := range bins {
		if b.Weight != want[i] {
			t.Errorf("bin %d [%g, %g] has %g, want %g", i, b.Min, b.Max, b.Weight, want[i])
		}
		if lo := float64(i) / 4; math.Abs(b.Min-lo) > 1e-15 || math.Abs(b.Max-(lo+0.25)) > 1e-15 {
			t.Errorf("bin %d is [%g, %g], want [%g, %g]", i, b.Min, b.Max, lo, lo+0.25)
		}
	}
}

func TestFiniteOnly(t *testing.T) {
	in := []float64{1, math.NaN(), 2, math.Inf(-1), 3}
	got := finiteOnly(in)
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Errorf("finiteOnly = %v, want [1 2 3]", got)
	}
	if !math.IsNaN(in[1]) {
		t.Errorf("finiteOnly changed its input")
	}
	ok := []float64{1, 2}
	if got := finiteOnly(ok); &got[0] != &ok[0] {
		t.Errorf("finiteOnly copied a slice with nothing to drop")
	}
}
