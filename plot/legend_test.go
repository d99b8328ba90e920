package plot

import (
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestSegmentHits(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 0, Y: 0}, Max: vg.Point{X: 10, Y: 10}}
	pt := func(x, y vg.Length) vg.Point { return vg.Point{X: x, Y: y} }
	for _, tc := range []struct {
		a, b vg.Point
		want bool
	}{
		{pt(1, 1), pt(2, 2), true},      // inside
		{pt(-5, 5), pt(15, 5), true},    // straight across
		{pt(-5, -5), pt(15, 15), true},  // diagonal through
		{pt(-5, 20), pt(20, -5), true},  // the other diagonal
		{pt(-5, 26), pt(26, -5), false}, // passes the top-right corner
		{pt(-5, 25), pt(25, -5), true},  // touches the top-right corner
		{pt(11, 0), pt(11, 10), false},  // beside
		{pt(-1, -1), pt(-1, 20), false}, // vertical to the left
		{pt(5, 12), pt(5, 11), false},   // short, above
		{pt(10, 10), pt(20, 20), true},  // touches a corner
		{pt(5, 5), pt(5, 5), true},      // a point inside
		{pt(-3, 5), pt(-3, 5), false},   // a point outside
	} {
		if got := segmentHits(tc.a, tc.b, r); got != tc.want {
			t.Errorf("segmentHits(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLegendPlace checks that the legend goes to a corner the data leaves
// free: top right above a falling loss, top left beside a rising accuracy,
// bottom right under a V.
func TestLegendPlace(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	falling := make([]float64, len(xs))
	rising := make([]float64, len(xs))
	vee := make([]float64, len(xs))
	for i, x := range xs {
		falling[i] = 10 - x
		rising[i] = x
		vee[i] = 2 * math.Abs(x-5)
	}
	for _, tc := range []struct {
		name        string
		ys          []float64
		top, isLeft bool
	}{
		{"falling", falling, true, false},
		{"rising", rising, true, true},
		{"high at both ends", vee, false, false},
	} {
		p := newPlot("", "x", "y")
		b := newLegendBox()
		for _, name := range []string{"train", "test"} {
			l := newLine(xs, tc.ys, draw.LineStyle{Width: 1}, 1)
			p.Add(l)
			b.add(name, l, shape{xs: xs, ys: tc.ys, joined: true})
		}
		c := draw.New(vgimg.New(6*vg.Inch, 4*vg.Inch))
		dc := p.DataCanvas(c)
		r, ok := b.place(dc, p)
		if !ok {
			t.Fatalf("%s: no place", tc.name)
		}
		mid := dc.Center()
		top, left := r.Min.Y > mid.Y, r.Max.X < mid.X
		if top != tc.top || left != tc.isLeft {
			t.Errorf("%s: legend at top=%v left=%v, want top=%v left=%v", tc.name, top, left, tc.top, tc.isLeft)
		}
	}
}
