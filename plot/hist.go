package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HistogramOptions describes a row of histograms over a common range, one
// panel per set of values (the activation distributions of each layer).
type HistogramOptions struct {
	Title  string      // figure title above all panels
	Panels [][]float64 // the values of each panel
	Titles []string    // panel titles; nil, or one per panel
	XLabel string      // label under every panel; may be empty

	// Bins is the number of equal-width bins over [Lo, Hi]; default 30.
	Bins int
	// Lo and Hi bound the bins; values outside are not counted. If both
	// are zero, the range of all finite values is used.
	Lo, Hi float64

	Size Size // default 2.4x2.6 inches per panel, at least 6 inches wide
}

// Histograms writes h to path (.png or .svg). All panels share the x range
// and the y axis (counts), so that they can be compared at a glance. NaN
// and infinite values are not counted.
//
// It panics if there are no panels, Titles is neither nil nor one per
// panel, Bins is negative, or [Lo, Hi] is reversed or not finite.
func Histograms(path string, h HistogramOptions) error {
	n := len(h.Panels)
	if n == 0 {
		panic("plot: Histograms needs at least one panel")
	}
	if h.Titles != nil && len(h.Titles) != n {
		panic(fmt.Sprintf("plot: Histograms has %d panels and %d titles", n, len(h.Titles)))
	}
	if h.Bins == 0 {
		h.Bins = 30
	}
	if h.Bins < 0 {
		panic(fmt.Sprintf("plot: Histograms bins %d is negative", h.Bins))
	}
	if !(h.Lo <= h.Hi) || !finite(h.Hi-h.Lo) {
		panic(fmt.Sprintf("plot: Histograms range [%g, %g] is invalid", h.Lo, h.Hi))
	}
	if h.Lo == 0 && h.Hi == 0 {
		h.Lo, h.Hi = math.Inf(1), math.Inf(-1)
		for _, vs := range h.Panels {
			lo, hi := minMax(finiteOnly(vs))
			h.Lo, h.Hi = math.Min(h.Lo, lo), math.Max(h.Hi, hi)
		}
		if math.IsInf(h.Lo, 0) { // no finite values at all
			h.Lo, h.Hi = 0, 1
		}
	}
	if h.Lo == h.Hi {
		h.Lo, h.Hi = h.Lo-0.5, h.Hi+0.5
	}
	titleH := 0.0
	if h.Title != "" {
		titleH = 0.35
	}
	f, err := newFigure(path, h.Size, max(6, 2.4*float64(n)), 2.6+titleH)
	if err != nil {
		return err
	}
	plots := [][]*plot.Plot{make([]*plot.Plot, n)}
	top := 0.0
	for i, vs := range h.Panels {
		title := ""
		if h.Titles != nil {
			title = h.Titles[i]
		}
		p := newPlot(title, h.XLabel, "")
		p.Title.TextStyle.Font.Size = 10
		var bins []plotter.HistogramBin // empty bins are not drawn
		for _, b := range binCounts(vs, h.Bins, h.Lo, h.Hi) {
			if b.Weight > 0 {
				bins = append(bins, b)
				top = math.Max(top, b.Weight)
			}
		}
		hist := &plotter.Histogram{
			Bins:      bins,
			Width:     (h.Hi - h.Lo) / float64(h.Bins),
			FillColor: seriesColor(0),
			LineStyle: draw.LineStyle{Color: white, Width: vg.Points(0.3)},
		}
		p.Add(hist)
		p.X.Min, p.X.Max = h.Lo, h.Hi
		plots[0][i] = p
	}
	for i, p := range plots[0] {
		p.Y.Min, p.Y.Max = 0, math.Max(1, top*1.05)
		if i > 0 { // the y axis is shared: label it once
			p.Y.Tick.Label.Font.Size = 0
		}
	}
	return f.write(func(dc draw.Canvas) {
		dc = drawTitle(dc, h.Title)
		drawPanels(dc, plots)
	})
}

// binCounts counts the finite values of vs in n equal bins over [lo, hi];
// hi itself falls in the last bin.
func binCounts(vs []float64, n int, lo, hi float64) []plotter.HistogramBin {
	bins := make([]plotter.HistogramBin, n)
	w := (hi - lo) / float64(n)
	for i := range bins {
		bins[i].Min = lo + float64(i)*w
		bins[i].Max = lo + float64(i+1)*w
	}
	bins[n-1].Max = hi
	for _, v := range vs {
		if !(v >= lo && v <= hi) { // also NaN
			continue
		}
		i := min(int((v-lo)/w), n-1)
		bins[i].Weight++
	}
	return bins
}
