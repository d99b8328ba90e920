package plot

import (
	"fmt"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LabelsOptions describes a scatter plot of labelled points: word vectors
// projected to two dimensions, say. Point i is (X[i], Y[i]), named
// Labels[i].
type LabelsOptions struct {
	Title, XLabel, YLabel string
	Labels                []string
	X, Y                  []float64
	Size                  Size // default 6x6 inches
}

// Labels writes l to path (.png or .svg): a dot per point with its label
// beside it. Points with a NaN or infinite coordinate are skipped. It
// panics if Labels, X and Y differ in length.
func Labels(path string, l LabelsOptions) error {
	if len(l.X) != len(l.Y) || len(l.Labels) != len(l.X) {
		panic(fmt.Sprintf("plot: Labels has %d labels, %d x and %d y values", len(l.Labels), len(l.X), len(l.Y)))
	}
	f, err := newFigure(path, l.Size, 6, 6)
	if err != nil {
		return err
	}
	p := newPlot(l.Title, l.XLabel, l.YLabel)
	var pts plotter.XYs
	var names []string
	for i := range l.X {
		if finite(l.X[i]) && finite(l.Y[i]) {
			pts = append(pts, plotter.XY{X: l.X[i], Y: l.Y[i]})
			names = append(names, l.Labels[i])
		}
	}
	if len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err != nil { // unreachable: the points are finite
			panic("plot: " + err.Error())
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: seriesColor(0), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: names})
		if err != nil { // unreachable: as many labels as points
			panic("plot: " + err.Error())
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font = font.From(sans, 10)
			lb.TextStyle[i].XAlign = draw.XLeft
			lb.TextStyle[i].YAlign = draw.YCenter
		}
		lb.Offset = vg.Point{X: vg.Points(5)}
		p.Add(lb)
	}
	padRange(&p.X, 0.12) // room for the labels on the right
	padRange(&p.Y, 0.06)
	return f.write(p.Draw)
}
