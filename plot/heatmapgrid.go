package plot

import (
	"fmt"
	"math"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapGridOptions describes several matrices of one shape drawn as
// heatmaps side by side, in rows of Cols, each with the same labels on
// its rows and columns: the attention weights of every head of a
// transformer over a prompt, say, the prompt's tokens down the side and
// along the bottom of each.
type HeatmapGridOptions struct {
	Title string

	// Maps are the matrices, rows top first, all of the same size.
	Maps [][][]float64
	// Captions, if not nil, gives one title per map, drawn above it.
	Captions []string
	// RowLabels and ColLabels, if not nil, name each row (left of every
	// map) and each column (below every map). Column labels of more than
	// one character are written upwards, so that long ones do not overlap.
	RowLabels, ColLabels []string

	// Cols is the number of maps per row; 0 means min(len(Maps), 4).
	Cols int

	// Colormap shades every map alike, scaled from Lo to Hi (both zero:
	// the lowest and highest value of all the maps).
	Colormap Colormap
	Lo, Hi   float64

	// Cell is the side of one cell in inches; 0 means 0.14 (room for a
	// label of one character at 8 points). The figure is drawn at 150
	// dots per inch, so that the labels stay sharp.
	Cell float64
}

// HeatmapGrid writes g to path (.png or .svg). A NaN value is drawn in
// magenta. It panics if there are no maps, the maps differ in shape, or
// the captions or labels do not match them in number.
func HeatmapGrid(path string, g HeatmapGridOptions) error {
	n := len(g.Maps)
	if n == 0 || len(g.Maps[0]) == 0 || len(g.Maps[0][0]) == 0 {
		panic("plot: HeatmapGrid needs at least one map of at least one value")
	}
	rows, cols := len(g.Maps[0]), len(g.Maps[0][0])
	for i, m := range g.Maps {
		if len(m) != rows {
			panic(fmt.Sprintf("plot: HeatmapGrid map %d has %d rows, map 0 has %d", i, len(m), rows))
		}
		for r, row := range m {
			if len(row) != cols {
				panic(fmt.Sprintf("plot: HeatmapGrid map %d row %d has %d values, want %d", i, r, len(row), cols))
			}
		}
	}
	if g.Captions != nil && len(g.Captions) != n {
		panic(fmt.Sprintf("plot: HeatmapGrid has %d maps and %d captions", n, len(g.Captions)))
	}
	if g.RowLabels != nil && len(g.RowLabels) != rows || g.ColLabels != nil && len(g.ColLabels) != cols {
		panic(fmt.Sprintf("plot: HeatmapGrid of %dx%d maps has %d row and %d column labels", rows, cols, len(g.RowLabels), len(g.ColLabels)))
	}
	lo, hi := g.Lo, g.Hi
	if lo == 0 && hi == 0 {
		var all []float64
		for _, m := range g.Maps {
			for _, r := range m {
				all = append(all, finiteOnly(r)...)
			}
		}
		lo, hi = minMax(all)
	}
	per := g.Cols
	if per <= 0 {
		per = min(n, 4)
	}
	per = min(per, n)
	gridRows := (n + per - 1) / per
	cell := g.Cell
	if cell <= 0 {
		cell = 0.14
	}
	upright := false // column labels written upwards
	longest := 1
	for _, l := range g.ColLabels {
		if k := utf8.RuneCountInString(l); k > 1 {
			upright = true
			longest = max(longest, k)
		}
	}
	for _, l := range g.RowLabels {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	margin := 0.2 + 0.08*float64(min(longest, 12)) // room for the labels
	capH := 0.0
	if g.Captions != nil {
		capH = 0.25
	}
	panelW := float64(cols)*cell + margin + 0.1
	panelH := float64(rows)*cell + margin + capH
	titleH := 0.0
	if g.Title != "" {
		titleH = 0.45
	}
	f, err := newFigure(path, Size{DPI: 150}, float64(per)*panelW+0.2, float64(gridRows)*panelH+titleH+0.2)
	if err != nil {
		return err
	}
	plots := make([][]*plot.Plot, gridRows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, per)
		for k := range per {
			i := r*per + k
			if i >= n {
				plots[r][k] = emptyPanel()
				continue
			}
			p := plot.New()
			p.BackgroundColor = nil
			if g.Captions != nil {
				p.Title.Text = g.Captions[i]
				p.Title.TextStyle.Font = font.From(sans, 9)
				p.Title.Padding = vg.Points(3)
			}
			for _, a := range []*plot.Axis{&p.X, &p.Y} {
				a.Tick.Label.Font = font.From(sans, 8)
				a.Tick.Length = vg.Points(2)
				a.Padding = vg.Points(1)
			}
			if upright {
				p.X.Tick.Label.Rotation = math.Pi / 2
				p.X.Tick.Label.XAlign = draw.XRight - 0.25 // clear of the axis
				p.X.Tick.Label.YAlign = draw.YCenter
			}
			p.Add(&cells{v: g.Maps[i], cm: g.Colormap, lo: lo, hi: hi, px: f.pixel()})
			p.X.Min, p.X.Max = 0, float64(cols)
			p.Y.Min, p.Y.Max = 0, float64(rows)
			p.X.Tick.Marker = labelTicks(g.ColLabels, cols, false)
			p.Y.Tick.Marker = labelTicks(g.RowLabels, rows, true)
			plots[r][k] = p
		}
	}
	return f.write(func(dc draw.Canvas) {
		dc = drawTitle(dc, g.Title)
		tiles := draw.Tiles{Rows: gridRows, Cols: per, PadX: vg.Points(8), PadY: vg.Points(6),
			PadTop: vg.Points(2), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
		canvases := plot.Align(plots, tiles, dc)
		for r := range plots {
			for k := range plots[r] {
				plots[r][k].Draw(canvases[r][k])
			}
		}
	})
}
