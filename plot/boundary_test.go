package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCellColor(t *testing.T) {
	blue, orange, green := seriesColor(0), seriesColor(1), seriesColor(2)
	for _, tc := range []struct {
		name string
		p    []float64
		want color.RGBA
	}{
		{"certain class 0", []float64{1, 0}, mix(white, blue, 0.6)},
		{"certain class 1 of 3", []float64{0, 1, 0}, mix(white, orange, 0.6)},
		{"chance of 2", []float64{0.5, 0.5}, mix(white, blue, 0.12)},
		{"chance of 3, ties go to the first", []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, mix(white, blue, 0.12)},
		{"halfway sure of 2", []float64{0.25, 0.75}, mix(white, orange, 0.12+0.48*0.5)},
		{"sigmoid output 0.9", []float64{0.9}, mix(white, orange, 0.12+0.48*0.8)},
		{"sigmoid output 0.1", []float64{0.1}, mix(white, blue, 0.12+0.48*0.8)},
		{"class 2 of 3", []float64{0.1, 0.1, 0.8}, mix(white, green, 0.12+0.48*0.7)},
		{"NaN is grey", []float64{math.NaN(), 0.5}, color.RGBA{160, 160, 160, 255}},
	} {
		if got := cellColor(tc.p); got != tc.want {
			t.Errorf("%s: cellColor(%v) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

// TestBoundaryRaster checks the raster's orientation and sampling: class 1
// above y = 0.25 and right of x = 0.75, evaluated at cell centres; row 0
// is the top. PredictRows must give the same raster as Predict.
func TestBoundaryRaster(t *testing.T) {
	classify := func(x, y float64) []float64 {
		if y > 0.25 && x > 0.75 {
			return []float64{0, 1}
		}
		return []float64{1, 0}
	}
	rows := 0
	batch := func(xy []float64, n int) []float64 {
		rows++
		out := make([]float64, 0, 2*n)
		for i := range n {
			out = append(out, classify(xy[2*i], xy[2*i+1])...)
		}
		return out
	}
	b := BoundaryOptions{XMin: 0, XMax: 1, YMin: -1, YMax: 1, Grid: 8}
	b.Predict = classify
	img := boundaryRaster(b)
	b.Predict, b.PredictRows = nil, batch
	img2 := boundaryRaster(b)
	if rows != 8 {
		t.Errorf("PredictRows called %d times, want once per row (8)", rows)
	}
	one, zero := cellColor([]float64{0, 1}), cellColor([]float64{1, 0})
	for row := range 8 {
		y := 1 - (float64(row)+0.5)*0.25 // cell centre, from the top
		for col := range 8 {
			x := (float64(col) + 0.5) * 0.125
			want := zero
			if y > 0.25 && x > 0.75 {
				want = one
			}
			if got := img.RGBAAt(col, row); got != want {
				t.Fatalf("cell (%d, %d) at (%g, %g) = %v, want %v", col, row, x, y, got, want)
			}
			if img2.RGBAAt(col, row) != img.RGBAAt(col, row) {
				t.Fatalf("cell (%d, %d): PredictRows and Predict differ", col, row)
			}
		}
	}
}

func TestPointsBox(t *testing.T) {
	for _, tc := range []struct {
		pts  [][2]float64
		want [4]float64
	}{
		{nil, [4]float64{0, 1, 0, 1}},
		{[][2]float64{{0, 0}, {1, 2}}, [4]float64{-0.1, 1.1, -0.2, 2.2}},
		{[][2]float64{{3, 3}}, [4]float64{2, 4, 2, 4}},
	} {
		x0, x1, y0, y1 := pointsBox(tc.pts, 0.1)
		got := [4]float64{x0, x1, y0, y1}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("pointsBox(%v) = %v, want %v", tc.pts, got, tc.want)
				break
			}
		}
	}
}

// TestBoundaryPad checks that Pad sets the margin of the default region:
// the figure drawn with Pad 0.1 is the one drawn over the points' box
// widened by 10% (byte for byte), another than the default 15%'s, and a
// negative Pad panics.
func TestBoundaryPad(t *testing.T) {
	dir := t.TempDir()
	pts := [][2]float64{{0, 0}, {1, 2}, {0.5, 1.5}}
	b := BoundaryOptions{Grid: 6, Points: pts, Labels: []int{0, 1, 1},
		Predict: func(x, y float64) []float64 { return []float64{1 / (1 + math.Exp(x-y))} }}
	draw := func(name string, b BoundaryOptions) []byte {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := Boundary(path, b); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	padded := b
	padded.Pad = 0.1
	explicit := b
	explicit.XMin, explicit.XMax, explicit.YMin, explicit.YMax = -0.1, 1.1, -0.2, 2.2
	got, want, dflt := draw("pad.png", padded), draw("box.png", explicit), draw("default.png", b)
	if !bytes.Equal(got, want) {
		t.Error("Pad 0.1 did not draw the region widened by 10%")
	}
	if bytes.Equal(got, dflt) {
		t.Error("Pad 0.1 drew the same figure as the default margin")
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "plot: ") {
			t.Errorf("Pad -1: recovered %v, want a plot: panic", r)
		}
	}()
	b.Pad = -1
	Boundary(filepath.Join(dir, "neg.png"), b)
}
