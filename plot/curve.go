package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one named set of points of a ChartOptions: the i-th point is
// (X[i], Y[i]). X and Y must have the same length.
type Series struct {
	Name string
	X, Y []float64
}

// ChartOptions describes a line chart (Curve) or a scatter plot (Scatter).
//
// Points that cannot be drawn are skipped: NaN and ±Inf coordinates (a
// diverged loss, say), and coordinates that are not positive on a log axis.
// A legend naming the series is drawn when there are two or more; it goes
// in the corner of the data area where it hides the least.
type ChartOptions struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogX, LogY            bool
	Size                  Size // default 6x4 inches
}

// Curve writes c as a line chart to path (.png or .svg): one line per
// series through its points in order, in distinct colours.
//
// Long series are drawn fast: when a series has more than two points per
// pixel column, only the first, last, lowest and highest point of each
// column are drawn, which gives the same picture up to the antialiasing at
// the line's sides (so 30000 loss values take about as long as 2000).
//
// Curve panics if a series' X and Y differ in length.
func Curve(path string, c ChartOptions) error {
	return chart(path, c, true)
}

// Scatter writes c as a scatter plot to path (.png or .svg): a dot per
// point, one colour per series. With LogX it suits hyperparameter searches
// (learning rate against accuracy).
//
// Scatter panics if a series' X and Y differ in length.
func Scatter(path string, c ChartOptions) error {
	return chart(path, c, false)
}

// Loss writes the tutorial's figure to path (.png or .svg): loss against
// step. steps may be nil, meaning 0, 1, ..., len(loss)-1 (the step numbers
// of the tutorial's CSV). It panics if steps is not nil and differs from
// loss in length.
func Loss(path string, steps, loss []float64, title string) error {
	if steps == nil {
		steps = make([]float64, len(loss))
		for i := range steps {
			steps[i] = float64(i)
		}
	}
	return Curve(path, ChartOptions{
		Title:  title,
		XLabel: "step",
		YLabel: "loss",
		Series: []Series{{Name: "loss", X: steps, Y: loss}},
	})
}

// chart draws a ChartOptions with lines (joined) or dots.
func chart(path string, c ChartOptions, joined bool) error {
	for _, s := range c.Series {
		if len(s.X) != len(s.Y) {
			panic(fmt.Sprintf("plot: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y)))
		}
	}
	f, err := newFigure(path, c.Size, 6, 4)
	if err != nil {
		return err
	}
	p := newPlot(c.Title, c.XLabel, c.YLabel)
	if c.LogX {
		setLog(&p.X)
	}
	if c.LogY {
		setLog(&p.Y)
	}
	leg := newLegendBox()
	for i, s := range c.Series {
		xs, ys := drawable(s.X, s.Y, c.LogX, c.LogY)
		col := seriesColor(i)
		var thumb plot.Thumbnailer
		if joined {
			l := newLine(xs, ys, draw.LineStyle{Color: col, Width: vg.Points(1.2)}, f.pixel())
			p.Add(l)
			thumb = l
		} else {
			pts := make(plotter.XYs, len(xs))
			for j := range xs {
				pts[j] = plotter.XY{X: xs[j], Y: ys[j]}
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil { // unreachable: drawable keeps finite points only
				panic("plot: " + err.Error())
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			thumb = sc
		}
		leg.add(s.Name, thumb, shape{xs: xs, ys: ys, joined: joined})
	}
	if len(c.Series) > 1 {
		p.Add(leg)
	}
	if !joined {
		padRange(&p.X, 0.04)
	}
	padRange(&p.Y, 0.04)
	if c.LogX {
		fixLogRange(&p.X)
	}
	if c.LogY {
		fixLogRange(&p.Y)
	}
	return f.write(p.Draw)
}

// drawable returns the points of (xs, ys) that can be drawn: finite, and
// positive on a log axis. It returns its arguments when all can be.
func drawable(xs, ys []float64, logX, logY bool) ([]float64, []float64) {
	ok := func(v float64, log bool) bool { return finite(v) && (!log || v > 0) }
	for i := range xs {
		if !ok(xs[i], logX) || !ok(ys[i], logY) {
			fx, fy := make([]float64, 0, len(xs)), make([]float64, 0, len(ys))
			for j := range xs {
				if ok(xs[j], logX) && ok(ys[j], logY) {
					fx, fy = append(fx, xs[j]), append(fy, ys[j])
				}
			}
			return fx, fy
		}
	}
	return xs, ys
}

// padRange widens an axis' data range by frac of its span on each side (in
// log space on a log axis), so that data does not touch the frame. It does
// nothing to an empty or single-valued range.
func padRange(a *plot.Axis, frac float64) {
	if math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) || !(a.Max > a.Min) {
		return
	}
	if _, log := a.Scale.(plot.LogScale); log {
		if a.Min > 0 {
			k := math.Pow(a.Max/a.Min, frac)
			a.Min, a.Max = a.Min/k, a.Max*k
		}
		return
	}
	d := (a.Max - a.Min) * frac
	a.Min, a.Max = a.Min-d, a.Max+d
}
