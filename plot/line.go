package plot

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// line is a plot.Plotter that draws a polyline through many points fast:
// at drawing time, when there are more than two points per pixel column, it
// keeps only the points that change the picture (see decimate).
type line struct {
	xs, ys                 []float64 // finite points, in order
	style                  draw.LineStyle
	pixel                  vg.Length // width of one pixel column
	xmin, xmax, ymin, ymax float64

	exact bool // draw every point (for tests comparing with decimation)
}

// newLine returns a line through (xs[i], ys[i]); the slices are kept, not copied.
func newLine(xs, ys []float64, style draw.LineStyle, pixel vg.Length) *line {
	l := &line{xs: xs, ys: ys, style: style, pixel: pixel}
	l.xmin, l.xmax = minMax(xs)
	l.ymin, l.ymax = minMax(ys)
	return l
}

// Plot implements plot.Plotter.
func (l *line) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.xs) == 0 {
		return
	}
	trX, trY := p.Transforms(&c)
	dx := make([]float64, len(l.xs))
	for i, x := range l.xs {
		dx[i] = float64(trX(x))
	}
	cols := float64(c.Max.X-c.Min.X) / float64(l.pixel)
	var keep []int
	if !l.exact && float64(len(dx)) > 2*cols {
		keep = decimate(dx, l.ys, 0, float64(l.pixel)) // columns on the pixel grid
	}
	var pts []vg.Point
	if keep == nil {
		pts = make([]vg.Point, len(dx))
		for i := range dx {
			pts[i] = vg.Point{X: vg.Length(dx[i]), Y: trY(l.ys[i])}
		}
	} else {
		pts = make([]vg.Point, len(keep))
		for j, i := range keep {
			pts[j] = vg.Point{X: vg.Length(dx[i]), Y: trY(l.ys[i])}
		}
	}
	c.StrokeLines(l.style, chunks(c.ClipLinesXY(pts), strokeChunk)...)
}

// strokeChunk is the number of segments stroked at once. The rasterizer
// under vgimg slows down quadratically with the number of edges crossing
// one pixel row, which a long noisy line has by the thousand; stroking it
// in short pieces keeps each small. The pieces share their end points, and
// the joins between them are hidden under the line's width.
const strokeChunk = 16

// chunks splits each polyline into polylines of at most n segments.
func chunks(lines [][]vg.Point, n int) [][]vg.Point {
	var out [][]vg.Point
	for _, l := range lines {
		for len(l) > n+1 {
			out = append(out, l[:n+1])
			l = l[n:]
		}
		out = append(out, l)
	}
	return out
}

// DataRange implements plot.DataRanger.
func (l *line) DataRange() (xmin, xmax, ymin, ymax float64) {
	return l.xmin, l.xmax, l.ymin, l.ymax
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (l *line) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// decimate returns the indices of the points of a polyline that suffice to
// draw it at a resolution of one column of the given width starting at x0:
// in each column, the first and the last point (which carry the joins to
// the neighbouring columns) and the lowest and the highest (which span the
// column's vertical extent), in their original order. Since a column is at
// most one pixel wide, the drawn picture is the same as with all points,
// but for the antialiasing at the sides of the line.
//
// xs must be non-decreasing; if it is not (a path that turns back), decimate
// returns nil, meaning keep every point. It panics if width is not positive
// or the slices differ in length.
func decimate(xs, ys []float64, x0, width float64) []int {
	if len(xs) != len(ys) {
		panic("plot: decimate: x and y differ in length")
	}
	if !(width > 0) {
		panic("plot: decimate: column width is not positive")
	}
	for i := 1; i < len(xs); i++ {
		if !(xs[i] >= xs[i-1]) {
			return nil
		}
	}
	keep := make([]int, 0, 64)
	for start := 0; start < len(xs); {
		col := math.Floor((xs[start] - x0) / width)
		end, lo, hi := start+1, start, start
		for ; end < len(xs) && math.Floor((xs[end]-x0)/width) == col; end++ {
			if ys[end] < ys[lo] {
				lo = end
			}
			if ys[end] > ys[hi] {
				hi = end
			}
		}
		group := [4]int{start, lo, hi, end - 1}
		slices.Sort(group[:])
		for k, i := range group {
			if k == 0 || i != group[k-1] {
				keep = append(keep, i)
			}
		}
		start = end
	}
	return keep
}
