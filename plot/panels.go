package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PanelsOptions describes a grid of small line charts sharing their axes'
// ranges, as the book draws accuracy curves per weight scale or per search
// trial (matplotlib's subplots): Panels in rows of Cols, each drawing one
// line per entry of Lines, named once in a legend above the grid.
type PanelsOptions struct {
	Title, XLabel, YLabel string

	// Lines names the lines every panel draws, in order: Panels[i].Lines[k]
	// is drawn in the k-th series colour (blue, orange, green, ...), solid
	// if k is 0 and dashed otherwise (train against test, say).
	Lines []string

	Panels []Panel

	// Cols is the number of panels per row; 0 means 1.
	Cols int

	// YMin and YMax fix the y range of every panel (the book's ylim); the
	// x range is that of all the panels' points.
	YMin, YMax float64

	// PanelW and PanelH are the size of one panel in inches; 0 means
	// 2.2 by 1.7. The figure is Cols panels wide plus 0.4 inch, and as
	// many rows high plus 0.8 inch for the title and legend, at 100 dpi.
	PanelW, PanelH float64
}

// Panel is one chart of a PanelsOptions: a title and one curve per line
// name. Points with a NaN or infinite coordinate are skipped (the curve is
// broken there).
type Panel struct {
	Title string
	Lines []Series // Name is not used: PanelsOptions.Lines names them
}

// Panels writes c to path (.png or .svg).
//
// It panics if YMin >= YMax, if a panel has more curves than c.Lines
// names, or if a curve's X and Y differ in length.
func Panels(path string, c PanelsOptions) error {
	if !(c.YMin < c.YMax) {
		panic(fmt.Sprintf("plot: Panels y range [%g, %g] is empty", c.YMin, c.YMax))
	}
	cols := max(1, c.Cols)
	rows := (len(c.Panels) + cols - 1) / cols
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, p := range c.Panels {
		if len(p.Lines) > len(c.Lines) {
			panic(fmt.Sprintf("plot: panel %q has %d curves, Lines names %d", p.Title, len(p.Lines), len(c.Lines)))
		}
		for _, l := range p.Lines {
			if len(l.X) != len(l.Y) {
				panic(fmt.Sprintf("plot: panel %q has a curve of %d x and %d y", p.Title, len(l.X), len(l.Y)))
			}
			for _, x := range l.X {
				if finite(x) {
					xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
				}
			}
		}
	}
	if !(xmin < xmax) { // no points, or all at one x
		if xmin > xmax {
			xmin, xmax = 0, 1
		}
		xmin, xmax = xmin-0.5, xmax+0.5
	}
	pw, ph := c.PanelW, c.PanelH
	if pw == 0 {
		pw = 2.2
	}
	if ph == 0 {
		ph = 1.7
	}
	f, err := newFigure(path, Size{}, float64(cols)*pw+0.4, float64(max(rows, 1))*ph+0.8)
	if err != nil {
		return err
	}
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
		for k := range cols {
			i := r*cols + k
			if i >= len(c.Panels) {
				plots[r][k] = emptyPanel()
				continue
			}
			p := panelPlot(c, c.Panels[i], r == rows-1, k == 0)
			p.X.Min, p.X.Max = xmin, xmax
			plots[r][k] = p
		}
	}
	return f.write(func(dc draw.Canvas) {
		dc = panelsHeader(dc, c.Title, c.Lines)
		if rows == 0 {
			return
		}
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(4), PadY: vg.Points(4),
			PadTop: vg.Points(2), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
		canvases := plot.Align(plots, tiles, dc)
		for r := range plots {
			for k := range plots[r] {
				plots[r][k].Draw(canvases[r][k])
			}
		}
	})
}

// panelLineStyle is the style of line k of every panel.
func panelLineStyle(k int, width vg.Length) draw.LineStyle {
	st := draw.LineStyle{Color: seriesColor(k), Width: width}
	if k > 0 {
		st.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
	}
	return st
}

// panelPlot returns the chart of one panel; bottom and left say whether it
// carries the x and y axis labels.
func panelPlot(c PanelsOptions, pn Panel, bottom, left bool) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.Title.Text = pn.Title
	p.Title.TextStyle.Font = font.From(sans, 9)
	p.Title.Padding = vg.Points(3)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 9)
		a.Tick.Label.Font = font.From(sans, 7)
		a.Tick.Length = vg.Points(3)
		a.Padding = vg.Points(1)
		a.Tick.Marker = niceTicks{want: 6}
	}
	if bottom {
		p.X.Label.Text = c.XLabel
	}
	if left {
		p.Y.Label.Text = c.YLabel
	}
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = gridColor, gridColor
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	p.Add(g)
	for k, l := range pn.Lines {
		for _, seg := range finiteRuns(l.X, l.Y) {
			pl, err := plotter.NewLine(seg)
			if err != nil { // unreachable: only finite points are kept
				panic("plot: " + err.Error())
			}
			pl.LineStyle = panelLineStyle(k, vg.Points(1.2))
			p.Add(pl)
		}
	}
	p.Y.Min, p.Y.Max = c.YMin, c.YMax
	return p
}

// finiteRuns splits a curve at its NaN and infinite points into runs of
// drawable points.
func finiteRuns(xs, ys []float64) []plotter.XYs {
	var runs []plotter.XYs
	var cur plotter.XYs
	for i := range xs {
		if !finite(xs[i]) || !finite(ys[i]) {
			if len(cur) > 0 {
				runs = append(runs, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, plotter.XY{X: xs[i], Y: ys[i]})
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// emptyPanel is a blank cell of the grid.
func emptyPanel() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.HideAxes()
	return p
}

// panelsHeader writes the title and, under it, a legend of the lines in
// one row, and returns the canvas below them.
func panelsHeader(dc draw.Canvas, title string, names []string) draw.Canvas {
	pad := vg.Points(6)
	ts := draw.TextStyle{Color: color.Black, Font: font.From(sans, 12), XAlign: draw.XCenter, YAlign: draw.YTop,
		Handler: plot.DefaultTextHandler}
	top := dc.Max.Y - pad
	if title != "" {
		dc.FillText(ts, vg.Point{X: dc.Center().X, Y: top}, title)
		top -= ts.Height(title) + pad/2
	}
	ls := ts
	ls.Font = font.From(sans, 9)
	ls.XAlign = draw.XLeft
	swatch := vg.Points(22)
	gap := vg.Points(14)
	var total vg.Length
	for _, n := range names {
		total += swatch + vg.Points(4) + ls.Width(n) + gap
	}
	x := dc.Center().X - (total-gap)/2
	y := top - ls.Height("A")/2
	for k, n := range names {
		dc.StrokeLine2(panelLineStyle(k, vg.Points(1.5)), x, y, x+swatch, y)
		x += swatch + vg.Points(4)
		dc.FillText(ls, vg.Point{X: x, Y: top}, n)
		x += ls.Width(n) + gap
	}
	if len(names) > 0 {
		top -= ls.Height("A") + pad/2
	}
	dc.Max.Y = top
	return dc
}
