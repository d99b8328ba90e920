package plot

import (
	"fmt"
	"image"
	"image/color"
	"maps"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BoundaryOptions describes a decision-boundary figure of a classifier of
// points in the plane: the background shows, on a Grid x Grid raster over
// [XMin, XMax] x [YMin, YMax], the most probable class in its colour,
// deeper where the classifier is more confident; the data points are drawn
// over it in the colour of their label.
type BoundaryOptions struct {
	Title, XLabel, YLabel string

	// Predict returns the class probabilities at (x, y): k >= 2 values, or
	// a single value read as the probability of class 1 of two (a sigmoid
	// output). It must return the same number of values at every point;
	// the slice is not kept.
	Predict func(x, y float64) []float64

	// PredictRows, if set, is used instead of Predict: xy holds n points
	// row-major (x0, y0, x1, y1, ...), and it returns n*k probabilities
	// row-major. It is called once per raster row (n = Grid) so that a
	// model can evaluate a whole batch at once; xy is reused between calls.
	PredictRows func(xy []float64, n int) []float64

	// XMin, XMax, YMin, YMax is the region shown. If all four are zero,
	// it is the points' bounding box widened on each side by Pad times its
	// width and height (by 1 along an axis where all points sit at one
	// coordinate).
	XMin, XMax, YMin, YMax float64

	// Pad is the margin of the default region, as a fraction of the
	// points' spread; 0 means 0.15. It must not be negative.
	Pad float64

	// Grid is the number of raster cells along each axis; default 200.
	Grid int

	// Points and Labels are the data drawn over the raster: Labels[i] is
	// the class of Points[i], from 0. Both may be nil.
	// Points with a NaN or infinite coordinate are not drawn.
	Points [][2]float64
	Labels []int

	// ClassNames, if not nil, names the classes in a legend. Classes are
	// coloured in the order blue, orange, green, red, purple, brown, pink,
	// grey, olive, cyan; the eleventh is blue again.
	ClassNames []string

	Size Size // default 5x5 inches
}

// Boundary writes b to path (.png or .svg).
//
// It panics if neither Predict nor PredictRows is set, if Points and
// Labels differ in length or a label is negative, if Pad is negative, if
// the region is empty or infinite, or if the classifier returns different
// numbers of probabilities at different points.
func Boundary(path string, b BoundaryOptions) error {
	if b.Predict == nil && b.PredictRows == nil {
		panic("plot: Boundary needs Predict or PredictRows")
	}
	if len(b.Points) != len(b.Labels) {
		panic(fmt.Sprintf("plot: Boundary has %d points and %d labels", len(b.Points), len(b.Labels)))
	}
	if b.XMin == 0 && b.XMax == 0 && b.YMin == 0 && b.YMax == 0 {
		pad := b.Pad
		switch {
		case pad < 0 || math.IsNaN(pad):
			panic(fmt.Sprintf("plot: Boundary pad %g is negative", pad))
		case pad == 0:
			pad = 0.15
		}
		b.XMin, b.XMax, b.YMin, b.YMax = pointsBox(b.Points, pad)
	}
	if !(b.XMin < b.XMax && b.YMin < b.YMax) || !finite(b.XMax-b.XMin) || !finite(b.YMax-b.YMin) {
		panic(fmt.Sprintf("plot: Boundary region [%g, %g] x [%g, %g] is empty or infinite", b.XMin, b.XMax, b.YMin, b.YMax))
	}
	if b.Grid == 0 {
		b.Grid = 200
	}
	if b.Grid < 0 {
		panic(fmt.Sprintf("plot: Boundary grid %d is negative", b.Grid))
	}
	f, err := newFigure(path, b.Size, 5, 5)
	if err != nil {
		return err
	}
	byClass := map[int]plotter.XYs{} // finite points by label
	for i := range len(b.ClassNames) {
		byClass[i] = nil
	}
	for i, pt := range b.Points {
		if b.Labels[i] < 0 {
			panic(fmt.Sprintf("plot: Boundary label %d of point %d is negative", b.Labels[i], i))
		}
		if finite(pt[0]) && finite(pt[1]) {
			byClass[b.Labels[i]] = append(byClass[b.Labels[i]], plotter.XY{X: pt[0], Y: pt[1]})
		}
	}

	p := newPlot(b.Title, b.XLabel, b.YLabel)
	p.Add(plotter.NewImage(boundaryRaster(b), b.XMin, b.YMin, b.XMax, b.YMax))
	radius := vg.Points(4)
	switch n := len(b.Points); {
	case n > 1000:
		radius = vg.Points(1.8)
	case n > 100:
		radius = vg.Points(2.6)
	}
	leg := newLegendBox()
	for _, k := range slices.Sorted(maps.Keys(byClass)) {
		pts := byClass[k]
		sc, err := plotter.NewScatter(pts)
		if err != nil { // unreachable: only finite points are kept
			panic("plot: " + err.Error())
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: seriesColor(k), Radius: radius, Shape: edgedCircle{}}
		p.Add(sc)
		if k < len(b.ClassNames) {
			xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
			for i, q := range pts {
				xs[i], ys[i] = q.X, q.Y
			}
			leg.add(b.ClassNames[k], sc, shape{xs: xs, ys: ys})
		}
	}
	if len(b.ClassNames) > 0 {
		p.Add(leg)
	}
	// The raster fills the region exactly: no padding, no data beyond it.
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = b.XMin, b.XMax, b.YMin, b.YMax
	p.X.Padding, p.Y.Padding = 0, 0
	return f.write(p.Draw)
}

// boundaryRaster evaluates the classifier at the centre of every raster
// cell and colours the cell; row 0 of the image is the top (YMax).
func boundaryRaster(b BoundaryOptions) *image.RGBA {
	n := b.Grid
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	dx := (b.XMax - b.XMin) / float64(n)
	dy := (b.YMax - b.YMin) / float64(n)
	xy := make([]float64, 2*n)
	k := -1
	for row := range n {
		y := b.YMax - (float64(row)+0.5)*dy
		for col := range n {
			xy[2*col], xy[2*col+1] = b.XMin+(float64(col)+0.5)*dx, y
		}
		var probs []float64
		if b.PredictRows != nil {
			probs = b.PredictRows(xy, n)
			if k < 0 {
				k = len(probs) / n
			}
			if k == 0 || len(probs) != n*k {
				panic(fmt.Sprintf("plot: PredictRows returned %d values for %d points", len(probs), n))
			}
		}
		for col := range n {
			var p []float64
			if probs != nil {
				p = probs[col*k : (col+1)*k]
			} else {
				p = b.Predict(xy[2*col], xy[2*col+1])
				if k < 0 {
					k = len(p)
				}
				if len(p) != k || k == 0 {
					panic(fmt.Sprintf("plot: Predict returned %d probabilities at (%g, %g), want %d", len(p), xy[2*col], xy[2*col+1], k))
				}
			}
			img.SetRGBA(col, row, cellColor(p))
		}
	}
	return img
}

// cellColor is the colour of the most probable class mixed with white:
// faint where the classifier is unsure (the top probability is near 1/k),
// deep where it is sure (near 1). NaN probabilities give grey.
func cellColor(p []float64) color.RGBA {
	if len(p) == 1 {
		p = []float64{1 - p[0], p[0]}
	}
	best := 0
	for i, v := range p {
		if math.IsNaN(v) {
			return color.RGBA{160, 160, 160, 255}
		}
		if v > p[best] {
			best = i
		}
	}
	chance := 1 / float64(len(p))
	sure := (p[best] - chance) / (1 - chance) // 0 at chance, 1 when certain
	sure = math.Min(1, math.Max(0, sure))
	return mix(white, seriesColor(best), 0.12+0.48*sure)
}

// pointsBox returns the bounding box of pts widened by frac of its span on
// each side (by 1 if the span is zero), or the unit square if pts is empty.
func pointsBox(pts [][2]float64, frac float64) (xmin, xmax, ymin, ymax float64) {
	if len(pts) == 0 {
		return 0, 1, 0, 1
	}
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		xmin, xmax = math.Min(xmin, p[0]), math.Max(xmax, p[0])
		ymin, ymax = math.Min(ymin, p[1]), math.Max(ymax, p[1])
	}
	widen := func(lo, hi float64) (float64, float64) {
		d := (hi - lo) * frac
		if d == 0 {
			d = 1
		}
		return lo - d, hi + d
	}
	xmin, xmax = widen(xmin, xmax)
	ymin, ymax = widen(ymin, ymax)
	return xmin, xmax, ymin, ymax
}

// edgedCircle is a filled circle with a thin dark outline, so that points
// stand out on a background of their own colour.
type edgedCircle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (edgedCircle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	draw.CircleGlyph{}.DrawGlyph(c, sty, pt)
	c.SetLineStyle(draw.LineStyle{Color: color.RGBA{40, 40, 40, 255}, Width: vg.Points(0.6)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}
