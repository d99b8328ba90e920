package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Path is a named sequence of points in the plane, such as the iterates of
// an optimizer: the i-th point is (X[i], Y[i]). X and Y must have the same
// length.
type Path struct {
	Name string
	X, Y []float64
}

// ContourOptions describes contour lines of a function of two variables
// with paths drawn over them, one panel per path in a grid of panels (the
// figure that compares SGD, Momentum, AdaGrad and Adam on one function).
type ContourOptions struct {
	// Title is the figure's title above all panels; each panel is titled
	// with its path's name.
	Title          string
	XLabel, YLabel string // default "x" and "y"

	// F is the function whose level sets are drawn, sampled on a Grid x
	// Grid lattice over [XMin, XMax] x [YMin, YMax]. Paths are clipped to
	// that region.
	F                      func(x, y float64) float64
	XMin, XMax, YMin, YMax float64
	Grid                   int // default 100

	// Levels are the heights of the contour lines; nil means 12 levels
	// between the lowest sample lo and the highest hi, at
	// lo + (hi-lo)*(i/13)² for i = 1..12, so that the rings of a quadratic
	// bowl are evenly spaced and steep functions get more rings near their
	// minimum.
	Levels []float64

	// Paths are drawn as a line with a dot at each point, one per panel.
	// Without paths there is one panel of contour lines.
	Paths []Path

	// Marks are points marked with a cross in every panel (the minimum,
	// say).
	Marks [][2]float64

	// Cols is the number of panels per row; default ceil(sqrt(len(Paths))).
	Cols int

	Size Size // default 3.6x3 inches per panel
}

// Contour writes c to path (.png or .svg).
//
// It panics if F is nil, the region is empty or infinite, Grid is 1 or negative, or a
// path's X and Y differ in length.
func Contour(path string, c ContourOptions) error {
	if c.F == nil {
		panic("plot: Contour needs F")
	}
	if !(c.XMin < c.XMax && c.YMin < c.YMax) || !finite(c.XMax-c.XMin) || !finite(c.YMax-c.YMin) {
		panic(fmt.Sprintf("plot: Contour region [%g, %g] x [%g, %g] is empty", c.XMin, c.XMax, c.YMin, c.YMax))
	}
	if c.Grid == 0 {
		c.Grid = 100
	}
	if c.Grid < 2 {
		panic(fmt.Sprintf("plot: Contour grid %d is too small", c.Grid))
	}
	for _, p := range c.Paths {
		if len(p.X) != len(p.Y) {
			panic(fmt.Sprintf("plot: path %q has %d x and %d y values", p.Name, len(p.X), len(p.Y)))
		}
	}
	if c.XLabel == "" {
		c.XLabel = "x"
	}
	if c.YLabel == "" {
		c.YLabel = "y"
	}
	panels := max(1, len(c.Paths))
	cols := c.Cols
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(panels))))
	}
	cols = min(cols, panels)
	rows := (panels + cols - 1) / cols
	titleH := 0.0
	if c.Title != "" {
		titleH = 0.35
	}
	f, err := newFigure(path, c.Size, 3.6*float64(cols), 3*float64(rows)+titleH)
	if err != nil {
		return err
	}

	grid := sample(c)
	levels := c.Levels
	if levels == nil {
		levels = squareLevels(grid.lo, grid.hi, 12)
	}
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
	}
	for i := range panels {
		var pa Path
		if len(c.Paths) > 0 {
			pa = c.Paths[i]
		}
		plots[i/cols][i%cols] = contourPanel(c, grid, levels, pa, f.pixel())
	}
	return f.write(func(dc draw.Canvas) {
		dc = drawTitle(dc, c.Title)
		drawPanels(dc, plots)
	})
}

// contourPanel returns one panel: the contour lines, the marks and pa.
// pixel is the width of a dot of the figure.
func contourPanel(c ContourOptions, g *funcGrid, levels []float64, pa Path, pixel vg.Length) *plot.Plot {
	p := newPlot(pa.Name, c.XLabel, c.YLabel)
	p.Title.TextStyle.Font.Size = 11
	if g.lo <= g.hi { // else F is nowhere finite: no lines to draw
		con := plotter.NewContour(g, slices.Clone(levels), contourPalette{})
		con.LineStyles = []draw.LineStyle{{Width: vg.Points(0.8)}}
		p.Add(con)
	}
	xs, ys := drawable(pa.X, pa.Y, false, false)
	if len(xs) > 0 {
		pathColor := seriesColor(3) // red, as in the book
		p.Add(newLine(xs, ys, draw.LineStyle{Color: pathColor, Width: vg.Points(1)}, pixel))
		p.Add(&dots{xs: xs, ys: ys, style: draw.GlyphStyle{Color: pathColor, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}})
	}
	for _, m := range c.Marks {
		p.Add(&dots{xs: []float64{m[0]}, ys: []float64{m[1]},
			style: draw.GlyphStyle{Color: black, Radius: vg.Points(4), Shape: draw.PlusGlyph{}}})
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = c.XMin, c.XMax, c.YMin, c.YMax
	return p
}

// drawPanels lays out plots (nil for an empty cell) in a grid on dc with
// their axes aligned, and draws them.
func drawPanels(dc draw.Canvas, plots [][]*plot.Plot) {
	t := draw.Tiles{
		Rows: len(plots), Cols: len(plots[0]),
		PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8),
	}
	canvases := plot.Align(plots, t, dc)
	for r, row := range plots {
		for col, p := range row {
			if p != nil {
				p.Draw(canvases[r][col])
			}
		}
	}
}

// funcGrid is F sampled on a lattice; it implements plotter.GridXYZ.
type funcGrid struct {
	xs, ys []float64
	z      []float64 // z[r*len(xs)+c] = F(xs[c], ys[r])
	lo, hi float64   // range of the finite samples
}

func sample(c ContourOptions) *funcGrid {
	n := c.Grid
	g := &funcGrid{xs: make([]float64, n), ys: make([]float64, n), z: make([]float64, n*n)}
	for i := range n {
		t := float64(i) / float64(n-1)
		g.xs[i] = c.XMin + t*(c.XMax-c.XMin)
		g.ys[i] = c.YMin + t*(c.YMax-c.YMin)
	}
	g.lo, g.hi = math.Inf(1), math.Inf(-1)
	for r, y := range g.ys {
		for col, x := range g.xs {
			v := c.F(x, y)
			g.z[r*n+col] = v
			if finite(v) {
				g.lo, g.hi = math.Min(g.lo, v), math.Max(g.hi, v)
			}
		}
	}
	return g
}

func (g *funcGrid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g *funcGrid) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }
func (g *funcGrid) X(c int) float64    { return g.xs[c] }
func (g *funcGrid) Y(r int) float64    { return g.ys[r] }
func (g *funcGrid) Min() float64       { return g.lo }
func (g *funcGrid) Max() float64       { return g.hi }

// squareLevels returns the n levels lo + (hi-lo)*(i/(n+1))², i = 1..n, or
// a single level at lo if the range is empty.
func squareLevels(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		if math.IsInf(lo, 0) {
			return []float64{0}
		}
		return []float64{lo}
	}
	levels := make([]float64, n)
	for i := range levels {
		t := float64(i+1) / float64(n+1)
		levels[i] = lo + (hi-lo)*t*t
	}
	return levels
}

// contourPalette colours contour levels from dark (low) to light (high)
// along viridis, stopping short of its palest yellow.
type contourPalette struct{}

// Colors implements palette.Palette.
func (contourPalette) Colors() []color.Color {
	cs := make([]color.Color, 32)
	for i := range cs {
		cs[i] = viridis.at(0.85 * float64(i) / float64(len(cs)-1))
	}
	return cs
}

// dots is a plot.Plotter that draws a glyph at each point inside the data
// area.
type dots struct {
	xs, ys []float64
	style  draw.GlyphStyle
}

// Plot implements plot.Plotter.
func (d *dots) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range d.xs {
		pt := vg.Point{X: trX(d.xs[i]), Y: trY(d.ys[i])}
		if c.Contains(pt) {
			c.DrawGlyph(d.style, pt)
		}
	}
}
