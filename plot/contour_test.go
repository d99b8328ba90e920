package plot

import (
	"math"
	"testing"
)

func TestSquareLevels(t *testing.T) {
	got := squareLevels(1, 10, 2) // (1/3)² and (2/3)² of the way
	want := []float64{1 + 9.0/9, 1 + 9*4.0/9}
	if len(got) != 2 || math.Abs(got[0]-want[0]) > 1e-12 || math.Abs(got[1]-want[1]) > 1e-12 {
		t.Errorf("squareLevels(1, 10, 2) = %v, want %v", got, want)
	}
	if got := squareLevels(3, 3, 5); len(got) != 1 || got[0] != 3 {
		t.Errorf("squareLevels of an empty range = %v, want [3]", got)
	}
	if got := squareLevels(math.Inf(1), math.Inf(-1), 5); len(got) != 1 || got[0] != 0 {
		t.Errorf("squareLevels with no finite samples = %v, want [0]", got)
	}
}

func TestSample(t *testing.T) {
	g := sample(ContourOptions{
		F:    func(x, y float64) float64 { return x + 10*y },
		XMin: 0, XMax: 2, YMin: -1, YMax: 1, Grid: 3,
	})
	if c, r := g.Dims(); c != 3 || r != 3 {
		t.Fatalf("dims %dx%d, want 3x3", c, r)
	}
	for c := range 3 {
		for r := range 3 {
			x, y := float64(c), float64(r)-1
			if g.X(c) != x || g.Y(r) != y || g.Z(c, r) != x+10*y {
				t.Errorf("(%d, %d): x %g y %g z %g, want %g %g %g", c, r, g.X(c), g.Y(r), g.Z(c, r), x, y, x+10*y)
			}
		}
	}
	if g.Min() != -10 || g.Max() != 12 {
		t.Errorf("range [%g, %g], want [-10, 12]", g.Min(), g.Max())
	}
}
