package plot

import (
	"math"
	"testing"
)

func TestDrawable(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	xs := []float64{1, 2, 3, 4, 5, -6}
	ys := []float64{1, nan, 3, -inf, 0, 6}
	for _, tc := range []struct {
		logX, logY bool
		wantX      []float64
	}{
		{false, false, []float64{1, 3, 5, -6}},
		{false, true, []float64{1, 3, -6}},
		{true, false, []float64{1, 3, 5}},
		{true, true, []float64{1, 3}},
	} {
		gx, gy := drawable(xs, ys, tc.logX, tc.logY)
		if len(gx) != len(gy) || !equalFloats(gx, tc.wantX) {
			t.Errorf("logX %v logY %v: x %v y %v, want x %v", tc.logX, tc.logY, gx, gy, tc.wantX)
		}
	}
	clean := []float64{1, 2}
	if gx, _ := drawable(clean, clean, true, true); &gx[0] != &clean[0] {
		t.Errorf("drawable copied clean data")
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPanics(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/p.png"
	f := func(x, y float64) float64 { return x }
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"series lengths", func() { Curve(path, ChartOptions{Series: []Series{{"a", []float64{1}, nil}}}) }},
		{"loss steps", func() { Loss(path, []float64{1, 2}, []float64{1}, "") }},
		{"negative size", func() { Curve(path, ChartOptions{Size: Size{Width: -1}}) }},
		{"boundary without predict", func() { Boundary(path, BoundaryOptions{}) }},
		{"boundary labels", func() { Boundary(path, BoundaryOptions{Predict: xorProb, Points: [][2]float64{{0, 0}}}) }},
		{"boundary negative label", func() {
			Boundary(path, BoundaryOptions{Predict: xorProb, Points: [][2]float64{{0, 0}}, Labels: []int{-1}})
		}},
		{"boundary empty region", func() { Boundary(path, BoundaryOptions{Predict: xorProb, XMin: 1, XMax: 1, YMax: 1}) }},
		{"boundary rows", func() {
			Boundary(path, BoundaryOptions{PredictRows: func(xy []float64, n int) []float64 { return make([]float64, n+1) }, Grid: 4})
		}},
		{"boundary infinite region", func() {
			Boundary(path, BoundaryOptions{Predict: xorProb, XMin: math.Inf(-1), XMax: 1, YMax: 1})
		}},
		{"histograms infinite range", func() { Histograms(path, HistogramOptions{Panels: [][]float64{{1}}, Hi: math.Inf(1)}) }},
		{"contour without f", func() { Contour(path, ContourOptions{XMax: 1, YMax: 1}) }},
		{"contour region", func() { Contour(path, ContourOptions{F: f, XMax: 1}) }},
		{"contour path", func() { Contour(path, ContourOptions{F: f, XMax: 1, YMax: 1, Paths: []Path{{"a", []float64{1}, nil}}}) }},
		{"histograms none", func() { Histograms(path, HistogramOptions{}) }},
		{"histograms titles", func() { Histograms(path, HistogramOptions{Panels: [][]float64{{1}}, Titles: []string{"a", "b"}}) }},
		{"histograms range", func() { Histograms(path, HistogramOptions{Panels: [][]float64{{1}}, Lo: 2, Hi: 1}) }},
		{"images none", func() { ImageGrid(path, ImageGridOptions{H: 1, W: 1}) }},
		{"image size", func() { ImageGrid(path, ImageGridOptions{Images: [][]float64{{1, 2}}, H: 1, W: 1}) }},
		{"image captions", func() { ImageGrid(path, ImageGridOptions{Images: [][]float64{{1}}, H: 1, W: 1, Captions: []string{}}) }},
	} {
		func() {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || len(s) < 6 || s[:6] != "plot: " {
					t.Errorf("%s: recovered %v, want a panic starting \"plot: \"", tc.name, r)
				}
			}()
			tc.call()
		}()
	}
}
