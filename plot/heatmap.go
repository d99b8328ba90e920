package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapOptions describes a matrix drawn as a grid of shaded cells with a
// label per row and per column: attention weights, say, with the answer's
// symbols down the side and the question's along the bottom.
type HeatmapOptions struct {
	Title, XLabel, YLabel string

	// Values holds the rows, top row first, all of one length.
	Values [][]float64
	// RowLabels and ColLabels, if not nil, name each row (left) and each
	// column (below).
	RowLabels, ColLabels []string

	// Colormap shades the cells, scaled from Lo to Hi: Gray (the default)
	// draws Lo black and Hi white, as the book draws attention weights.
	// Lo and Hi both zero mean the values' own lowest and highest.
	Colormap Colormap
	Lo, Hi   float64

	Size Size // default 0.22 inch per column and per row, plus margins
}

// Heatmap writes h to path (.png or .svg). A NaN value is drawn in
// magenta. It panics if there are no values, rows differ in length, or
// the labels do not match the rows and columns in number.
func Heatmap(path string, h HeatmapOptions) error {
	rows := len(h.Values)
	if rows == 0 || len(h.Values[0]) == 0 {
		panic("plot: Heatmap needs at least one value")
	}
	cols := len(h.Values[0])
	for i, r := range h.Values {
		if len(r) != cols {
			panic(fmt.Sprintf("plot: Heatmap row %d has %d values, row 0 has %d", i, len(r), cols))
		}
	}
	if h.RowLabels != nil && len(h.RowLabels) != rows || h.ColLabels != nil && len(h.ColLabels) != cols {
		panic(fmt.Sprintf("plot: Heatmap of %dx%d values has %d row and %d column labels", rows, cols, len(h.RowLabels), len(h.ColLabels)))
	}
	lo, hi := h.Lo, h.Hi
	if lo == 0 && hi == 0 {
		var all []float64
		for _, r := range h.Values {
			all = append(all, finiteOnly(r)...)
		}
		lo, hi = minMax(all)
	}
	f, err := newFigure(path, h.Size, 0.22*float64(cols)+1.2, 0.22*float64(rows)+1.2)
	if err != nil {
		return err
	}
	p := newPlot(h.Title, h.XLabel, h.YLabel)
	p.Add(&cells{v: h.Values, cm: h.Colormap, lo: lo, hi: hi, px: f.pixel()})
	p.X.Min, p.X.Max = 0, float64(cols)
	p.Y.Min, p.Y.Max = 0, float64(rows)
	p.X.Tick.Marker = labelTicks(h.ColLabels, cols, false)
	p.Y.Tick.Marker = labelTicks(h.RowLabels, rows, true)
	return f.write(p.Draw)
}

// labelTicks puts label i at the middle of cell i (counted from the top
// when down), or numbers the cells from 0 when labels is nil.
func labelTicks(labels []string, n int, down bool) plot.ConstantTicks {
	ts := make(plot.ConstantTicks, n)
	for i := range n {
		at := float64(i) + 0.5
		if down {
			at = float64(n-1-i) + 0.5
		}
		l := fmt.Sprint(i)
		if labels != nil {
			l = labels[i]
		}
		ts[i] = plot.Tick{Value: at, Label: l}
	}
	return ts
}

// cells draws a heatmap's values, cell (i, j) over [j, j+1] × [n-1-i, n-i].
type cells struct {
	v      [][]float64
	cm     Colormap
	lo, hi float64
	px     vg.Length // one dot: cells overlap their right and upper neighbours by it, so no seam shows
}

// Plot implements plot.Plotter.
func (m *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(m.v)
	for i, row := range m.v {
		img := shade(row, 1, len(row), m.cm, m.lo, m.hi)
		for j, v := range row {
			col := img.RGBAAt(j, 0)
			if math.IsNaN(v) {
				col = color.RGBA{255, 0, 255, 255}
			}
			r := vg.Rectangle{
				Min: vg.Point{X: trX(float64(j)), Y: trY(float64(n - 1 - i))},
				Max: vg.Point{X: trX(float64(j + 1)), Y: trY(float64(n - i))},
			}
			if j+1 < len(row) {
				r.Max.X += m.px
			}
			if i > 0 {
				r.Max.Y += m.px
			}
			c.SetColor(col)
			c.Fill(r.Path())
		}
	}
}

// DataRange implements plot.DataRanger.
func (m *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, float64(len(m.v[0])), 0, float64(len(m.v))
}
