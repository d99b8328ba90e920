package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var (
	white     = color.RGBA{255, 255, 255, 255}
	black     = color.RGBA{0, 0, 0, 255}
	gridColor = color.RGBA{225, 225, 225, 255}

	// sans is the typeface of all text: Liberation Sans, bundled with gonum/plot.
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

	// palette10 are the colours of series and classes in order (the
	// "tab10" colours familiar from matplotlib).
	palette10 = []color.RGBA{
		{0x1f, 0x77, 0xb4, 255}, // blue
		{0xff, 0x7f, 0x0e, 255}, // orange
		{0x2c, 0xa0, 0x2c, 255}, // green
		{0xd6, 0x27, 0x28, 255}, // red
		{0x94, 0x67, 0xbd, 255}, // purple
		{0x8c, 0x56, 0x4b, 255}, // brown
		{0xe3, 0x77, 0xc2, 255}, // pink
		{0x7f, 0x7f, 0x7f, 255}, // grey
		{0xbc, 0xbd, 0x22, 255}, // olive
		{0x17, 0xbe, 0xcf, 255}, // cyan
	}
)

// seriesColor returns the colour of series or class i.
func seriesColor(i int) color.RGBA { return palette10[i%len(palette10)] }

// textStyle returns a sans-serif text style of the given size in points.
func textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   black,
		Font:    font.From(sans, size),
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot with kiso's look: sans-serif text, light grid
// lines, thin axes.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the figure is white already
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 12)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 11)
		a.Tick.Label.Font = font.From(sans, 9)
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(2)
	}
	p.X.Tick.Marker = niceTicks{want: 7}
	p.Y.Tick.Marker = niceTicks{want: 6}
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor
	g.Horizontal.Color = gridColor
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	return p
}

// setLog switches axis a to a logarithmic scale with readable ticks.
func setLog(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
}

// fixLogRange makes a log axis' range drawable: positive and not empty.
// It is called after all data has been added.
func fixLogRange(a *plot.Axis) {
	if !(a.Min > 0 && a.Max > 0) || math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) {
		a.Min, a.Max = 1, 10
	}
	if a.Min == a.Max {
		a.Min, a.Max = a.Min/2, a.Max*2
	}
}

// logTicks labels a log axis with powers of ten (every other one or fewer
// beyond six decades), adding 2 and 5 times them within two and a half
// decades and all multiples within one, so that every axis shows at least
// two labels; unlabelled ticks mark the other integer multiples. A range
// too narrow for that gets linear round values.
type logTicks struct{}

// Ticks implements plot.Ticker. It panics if lo or hi is not positive.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi > 0) {
		panic(fmt.Sprintf("plot: log axis range [%g, %g] is not positive", lo, hi))
	}
	elo := int(math.Floor(math.Log10(lo)))
	ehi := int(math.Ceil(math.Log10(hi)))
	span := math.Log10(hi / lo) // decades covered
	labelled := map[int]bool{1: true}
	switch {
	case span <= 1:
		for i := 2; i <= 9; i++ {
			labelled[i] = true
		}
	case span <= 2.5:
		labelled[2], labelled[5] = true, true
	}
	every := max(1, int(math.Ceil(span/6))) // label at most about 6 powers of ten
	var ticks []plot.Tick
	n := 0 // labels
	for e := elo; e <= ehi; e++ {
		for i := 1; i <= 9; i++ {
			v := float64(i) * math.Pow10(e)
			if e < 0 {
				v = float64(i) / math.Pow10(-e) // 0.3, not 0.30000000000000004
			}
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled[i] && (i != 1 || e%every == 0) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
			if t.Label != "" {
				n++
			}
		}
	}
	if n < 2 { // a narrow range: round values serve better than multiples
		return niceTicks{want: 5}.Ticks(lo, hi)
	}
	return ticks
}

// drawTitle writes a figure title centred at the top of dc and returns the
// canvas below it. An empty title leaves dc as it is.
func drawTitle(dc draw.Canvas, title string) draw.Canvas {
	if title == "" {
		return dc
	}
	sty := textStyle(13)
	pad := vg.Points(6)
	dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y - pad}, title)
	dc.Max.Y -= sty.Height(title) + 2*pad
	return dc
}

// colorMap interpolates linearly between evenly spaced colours.
type colorMap []color.RGBA

// at returns the colour at t in [0, 1] (clamped).
func (m colorMap) at(t float64) color.RGBA {
	if !(t > 0) { // also NaN
		return m[0]
	}
	if t >= 1 {
		return m[len(m)-1]
	}
	s := t * float64(len(m)-1)
	i := int(s)
	return mix(m[i], m[i+1], s-float64(i))
}

// mix returns a + t*(b-a) channel by channel.
func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

var (
	// viridis is a perceptually uniform dark-blue to yellow map (a few
	// anchors of matplotlib's viridis), used for contour levels.
	viridis = colorMap{
		{0x44, 0x01, 0x54, 255}, {0x3b, 0x52, 0x8b, 255}, {0x21, 0x91, 0x8c, 255},
		{0x5e, 0xc9, 0x62, 255}, {0xfd, 0xe7, 0x25, 255},
	}
	// coolwarm is a diverging blue-white-red map, white in the middle.
	coolwarm = colorMap{{0x3b, 0x4c, 0xc0, 255}, {255, 255, 255, 255}, {0xb4, 0x04, 0x26, 255}}
)
