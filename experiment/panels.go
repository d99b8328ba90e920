package experiment

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// panelChart is a grid of small line charts sharing their axes' ranges,
// the book's figures of accuracy curves per weight scale and per search
// trial (matplotlib's subplots). The plot package draws one chart per file;
// this is the one figure it lacks.
type panelChart struct {
	Title          string
	XLabel, YLabel string
	// Styles names and styles the lines, which every panel draws in the
	// same order: Panels[i].Lines[k] is drawn in Styles[k]. The legend
	// names them, above the panels.
	Styles []lineStyle
	Panels []panel
	Cols   int
	// YMin and YMax fix the y range of every panel (the book's ylim).
	YMin, YMax float64
	// PanelW and PanelH are the size of one panel in inches; 0 means
	// 2.2 by 1.7.
	PanelW, PanelH float64
}

// lineStyle is how one kind of line is drawn.
type lineStyle struct {
	Name   string
	Color  color.Color
	Dashed bool
}

// panel is one chart: a title and one line per style.
type panel struct {
	Title string
	Lines []line
}

// line is one curve of a panel; NaN points are skipped.
type line struct{ X, Y []float64 }

var (
	blue   = color.RGBA{0x1f, 0x77, 0xb4, 255} // matplotlib's first two colours
	orange = color.RGBA{0xff, 0x7f, 0x0e, 255}
	sans   = font.Font{Typeface: "Liberation", Variant: "Sans"}
)

// writePanels writes c to path, .png (100 dpi) or .svg, atomically.
func writePanels(path string, c panelChart) error {
	cols := max(1, c.Cols)
	rows := (len(c.Panels) + cols - 1) / cols
	plots := make([][]*plot.Plot, rows)
	var xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, p := range c.Panels {
		for _, l := range p.Lines {
			for _, x := range l.X {
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
		for k := range cols {
			i := r*cols + k
			if i >= len(c.Panels) {
				plots[r][k] = emptyPlot()
				continue
			}
			p, err := panelPlot(c, c.Panels[i], r == rows-1, k == 0)
			if err != nil {
				return err
			}
			p.X.Min, p.X.Max = xmin, xmax
			plots[r][k] = p
		}
	}
	pw, ph := c.PanelW, c.PanelH
	if pw == 0 {
		pw = 2.2
	}
	if ph == 0 {
		ph = 1.7
	}
	w := vg.Length(float64(cols)*pw+0.4) * vg.Inch
	h := vg.Length(float64(rows)*ph+0.8) * vg.Inch
	paint := func(dc draw.Canvas) {
		dc = drawHeader(dc, c.Title, c.Styles)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(4), PadY: vg.Points(4),
			PadTop: vg.Points(2), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
		canvases := plot.Align(plots, tiles, dc)
		for r := range plots {
			for k := range plots[r] {
				plots[r][k].Draw(canvases[r][k])
			}
		}
	}
	return writeCanvas(path, w, h, paint)
}

// panelPlot returns the chart of one panel; bottom and left say whether it
// carries the x and y axis labels.
func panelPlot(c panelChart, pn panel, bottom, left bool) (*plot.Plot, error) {
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
	}
	if bottom {
		p.X.Label.Text = c.XLabel
	}
	if left {
		p.Y.Label.Text = c.YLabel
	}
	g := plotter.NewGrid()
	g.Vertical.Color = color.RGBA{225, 225, 225, 255}
	g.Horizontal.Color = g.Vertical.Color
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	p.Add(g)
	for k, l := range pn.Lines {
		st := c.Styles[k]
		for _, seg := range finiteRuns(l.X, l.Y) {
			pl, err := plotter.NewLine(seg)
			if err != nil {
				return nil, fmt.Errorf("experiment: panel %q: %w", pn.Title, err)
			}
			pl.LineStyle = draw.LineStyle{Color: st.Color, Width: vg.Points(1.2)}
			if st.Dashed {
				pl.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
			}
			p.Add(pl)
		}
	}
	p.Y.Min, p.Y.Max = c.YMin, c.YMax
	p.X.Tick.Marker = roundTicks{}
	p.Y.Tick.Marker = roundTicks{}
	return p, nil
}

// roundTicks marks an axis at about six round values (1, 2 or 5 times a
// power of ten apart), labelled in their shortest form ("25", not "25.00").
type roundTicks struct{}

// Ticks returns the ticks of [lo, hi].
func (roundTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{2, 5, 10} {
		if step >= raw {
			break
		}
		step = m * mag
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		v := k * step
		// Round away the error of k*step so that labels read "0.3".
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
	}
	return ticks
}

// finiteRuns splits a curve at its NaN and infinite points into runs of
// drawable points.
func finiteRuns(xs, ys []float64) []plotter.XYs {
	var runs []plotter.XYs
	var cur plotter.XYs
	for i := range xs {
		if math.IsNaN(ys[i]) || math.IsInf(ys[i], 0) || math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) {
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

// emptyPlot is a blank cell of the grid.
func emptyPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.HideAxes()
	return p
}

// drawHeader writes the title and, under it, a legend of the line styles
// in one row, and returns the canvas below them.
func drawHeader(dc draw.Canvas, title string, styles []lineStyle) draw.Canvas {
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
	for _, s := range styles {
		total += swatch + vg.Points(4) + ls.Width(s.Name) + gap
	}
	x := dc.Center().X - (total-gap)/2
	y := top - ls.Height("A")/2
	for _, s := range styles {
		st := draw.LineStyle{Color: s.Color, Width: vg.Points(1.5)}
		if s.Dashed {
			st.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		}
		dc.StrokeLine2(st, x, y, x+swatch, y)
		x += swatch + vg.Points(4)
		dc.FillText(ls, vg.Point{X: x, Y: top}, s.Name)
		x += ls.Width(s.Name) + gap
	}
	if len(styles) > 0 {
		top -= ls.Height("A") + pad/2
	}
	dc.Max.Y = top
	return dc
}

// writeCanvas paints a w×h figure on white and writes it to path as PNG
// (100 dpi) or SVG, as its extension says, atomically.
func writeCanvas(path string, w, h vg.Length, paint func(draw.Canvas)) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(100))
		dc := draw.New(c)
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		paint(dc)
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		return atomicfile.Write(path, func(wr io.Writer) error { return enc.Encode(wr, c.Image()) })
	case ".svg":
		c := vgsvg.New(w, h)
		dc := draw.New(c)
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		paint(dc)
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		// As the plot package does: name fonts that every viewer has.
		b := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
			[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
		return atomicfile.WriteBytes(path, b)
	}
	return fmt.Errorf("cannot write %s: use .png or .svg", path)
}
