package plot

import (
	"image"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestDecimate(t *testing.T) {
	_, noisy := xorLoss(30000)
	s := source(11)
	walk := make([]float64, 5000)
	for i := 1; i < len(walk); i++ {
		walk[i] = walk[i-1] + s.norm()
	}
	for _, tc := range []struct {
		name  string
		ys    []float64
		width float64 // column width in x units (x is the index)
	}{
		{"loss 30000 in 600 columns", noisy, 50},
		{"random walk, uneven columns", walk, 7.3},
		{"one point per column", walk[:100], 1},
		{"all in one column", walk[:100], 1000},
		{"single point", []float64{3}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xs := make([]float64, len(tc.ys))
			for i := range xs {
				xs[i] = float64(i)
			}
			keep := decimate(xs, tc.ys, 0, tc.width)
			if !slices.IsSorted(keep) || len(slices.Compact(slices.Clone(keep))) != len(keep) {
				t.Fatalf("indices not strictly increasing: %v", keep[:min(len(keep), 20)])
			}
			has := map[int]bool{}
			for _, i := range keep {
				has[i] = true
			}
			lo, hi := 0, 0
			for i, y := range tc.ys {
				if y < tc.ys[lo] {
					lo = i
				}
				if y > tc.ys[hi] {
					hi = i
				}
			}
			for what, i := range map[string]int{"first": 0, "last": len(xs) - 1, "global min": lo, "global max": hi} {
				if !has[i] {
					t.Errorf("%s point %d dropped", what, i)
				}
			}
			// Column by column: the kept points span the same heights,
			// and include the column's first and last point.
			col := func(i int) int { return int(math.Floor(xs[i] / tc.width)) }
			for start := 0; start < len(xs); {
				end := start
				cmin, cmax := math.Inf(1), math.Inf(-1)
				kmin, kmax := math.Inf(1), math.Inf(-1)
				for ; end < len(xs) && col(end) == col(start); end++ {
					cmin, cmax = math.Min(cmin, tc.ys[end]), math.Max(cmax, tc.ys[end])
					if has[end] {
						kmin, kmax = math.Min(kmin, tc.ys[end]), math.Max(kmax, tc.ys[end])
					}
				}
				if kmin != cmin || kmax != cmax || !has[start] || !has[end-1] {
					t.Fatalf("column %d: kept span [%g, %g], want [%g, %g]; first kept %v, last kept %v",
						col(start), kmin, kmax, cmin, cmax, has[start], has[end-1])
				}
				start = end
			}
			cols := int(math.Floor(xs[len(xs)-1]/tc.width)) + 1
			if len(keep) > 4*cols {
				t.Errorf("kept %d points for %d columns, want at most %d", len(keep), cols, 4*cols)
			}
		})
	}
}

func TestDecimateUnsorted(t *testing.T) {
	if got := decimate([]float64{0, 2, 1}, []float64{0, 0, 0}, 0, 1); got != nil {
		t.Errorf("decimate of a path that turns back = %v, want nil (keep all)", got)
	}
}

// TestDecimatePicture draws the tutorial's loss with and without
// decimation and compares the pictures: they may differ only in the
// antialiasing at the sides of the line.
func TestDecimatePicture(t *testing.T) {
	steps, loss := xorLoss(30000)
	f, err := newFigure("x.png", Size{}, 6, 4)
	if err != nil {
		t.Fatal(err)
	}
	render := func(exact bool) *image.RGBA {
		p := newPlot("loss", "step", "loss")
		l := newLine(steps, loss, draw.LineStyle{Color: seriesColor(0), Width: 1.2}, f.pixel())
		l.exact = exact
		p.Add(l)
		c := vgimg.NewWith(vgimg.UseWH(f.w, f.h), vgimg.UseDPI(int(f.dpi)))
		p.Draw(draw.New(c))
		return c.Image().(*image.RGBA)
	}
	a, b := render(false), render(true)
	line, differ := 0, 0 // pixels of the line in the exact picture; pixels differing by over a quarter
	for i := 0; i < len(a.Pix); i += 4 {
		if b.Pix[i] != 255 || b.Pix[i+1] != 255 || b.Pix[i+2] != 255 {
			line++
		}
		for k := range 3 {
			if d := int(a.Pix[i+k]) - int(b.Pix[i+k]); d > 64 || d < -64 {
				differ++
				break
			}
		}
	}
	frac := float64(differ) / float64(line)
	t.Logf("%d of %d drawn pixels differ by more than a quarter", differ, line)
	if frac > 0.05 {
		t.Errorf("%d of %d drawn pixels differ by more than a quarter (%.1f%%), want under 5%%", differ, line, 100*frac)
	}
}
