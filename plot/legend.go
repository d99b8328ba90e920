package plot

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendBox is a plot.Plotter, added last, that draws the legend inside the
// data area in the corner where it hides the least data (lines crossing it
// or points under it), on a white box. It replaces gonum/plot's legend,
// which always sits in one fixed corner without a background.
type legendBox struct {
	leg    plot.Legend
	shapes []shape
}

// shape is drawn data the legend should avoid: a polyline or loose points.
type shape struct {
	xs, ys []float64
	joined bool
}

// newLegendBox returns a legend without entries, in kiso's style.
func newLegendBox() *legendBox {
	leg := plot.NewLegend()
	leg.TextStyle.Font = font.From(sans, 9)
	leg.Top, leg.Left = true, true
	leg.ThumbnailWidth = vg.Points(18)
	return &legendBox{leg: leg}
}

// add adds an entry named name for data drawn like thumb.
func (b *legendBox) add(name string, thumb plot.Thumbnailer, s shape) {
	b.leg.Add(name, thumb)
	b.shapes = append(b.shapes, s)
}

// Plot implements plot.Plotter.
func (b *legendBox) Plot(c draw.Canvas, p *plot.Plot) {
	r, ok := b.place(c, p)
	if !ok {
		return
	}
	c.SetColor(color.NRGBA{255, 255, 255, 220})
	c.Fill(r.Path())
	c.SetLineStyle(draw.LineStyle{Color: color.RGBA{200, 200, 200, 255}, Width: vg.Points(0.5)})
	c.Stroke(r.Path())
	inner := c
	inner.Rectangle = vg.Rectangle{
		Min: vg.Point{X: r.Min.X + legendPad, Y: r.Min.Y + legendPad},
		Max: vg.Point{X: r.Max.X - legendPad, Y: r.Max.Y - legendPad},
	}
	b.leg.Draw(inner)
}

// legendPad is the space between the legend's box and its entries.
const legendPad = vg.Length(3)

// place returns the box of the legend in data canvas c: in the corner
// whose box meets the fewest segments or points of the data, preferring
// top right, top left, bottom right, bottom left on a tie. It returns
// false if the legend has no entries.
func (b *legendBox) place(c draw.Canvas, p *plot.Plot) (vg.Rectangle, bool) {
	size := b.leg.Rectangle(c).Size()
	if size.X == 0 {
		return vg.Rectangle{}, false
	}
	margin := vg.Points(5)
	w, h := size.X+2*legendPad, size.Y+2*legendPad
	left, right := c.Min.X+margin, c.Max.X-margin-w
	bottom, top := c.Min.Y+margin, c.Max.Y-margin-h
	trX, trY := p.Transforms(&c)
	var best vg.Rectangle
	bestHits := -1
	for _, at := range []vg.Point{{X: right, Y: top}, {X: left, Y: top}, {X: right, Y: bottom}, {X: left, Y: bottom}} {
		r := vg.Rectangle{Min: at, Max: vg.Point{X: at.X + w, Y: at.Y + h}}
		hits := 0
		for _, s := range b.shapes {
			hits += s.hits(r, trX, trY)
		}
		if bestHits < 0 || hits < bestHits {
			best, bestHits = r, hits
		}
	}
	return best, true
}

// hits counts the segments (or, for loose points, the points) of s that
// fall in r.
func (s shape) hits(r vg.Rectangle, trX, trY func(float64) vg.Length) int {
	n := 0
	var prev vg.Point
	for i := range s.xs {
		pt := vg.Point{X: trX(s.xs[i]), Y: trY(s.ys[i])}
		switch {
		case !s.joined:
			if inside(pt, r) {
				n++
			}
		case i > 0:
			if segmentHits(prev, pt, r) {
				n++
			}
		}
		prev = pt
	}
	return n
}

func inside(p vg.Point, r vg.Rectangle) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

// segmentHits reports whether the segment from a to b meets rectangle r
// (Liang-Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	clip := func(p, q float64) bool { // p*t <= q
		switch {
		case p == 0:
			return q >= 0
		case p < 0:
			t := q / p
			if t > t1 {
				return false
			}
			t0 = max(t0, t)
		default:
			t := q / p
			if t < t0 {
				return false
			}
			t1 = min(t1, t)
		}
		return true
	}
	return clip(-dx, float64(a.X-r.Min.X)) && clip(dx, float64(r.Max.X-a.X)) &&
		clip(-dy, float64(a.Y-r.Min.Y)) && clip(dy, float64(r.Max.Y-a.Y)) && t0 <= t1
}
