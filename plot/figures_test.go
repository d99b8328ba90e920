package plot

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestFigures draws every kind of figure as PNG and SVG at a given size and
// checks the files: the PNG decodes to that size and is not blank, the SVG
// is an SVG document of that size in points.
func TestFigures(t *testing.T) {
	dir := t.TempDir()
	size := Size{Width: 3, Height: 2, DPI: 50} // 150x100 pixels, 216x144 points
	for name, draw := range sizedFigures() {
		t.Run(name, func(t *testing.T) {
			pngPath := filepath.Join(dir, name+".png")
			if err := draw(pngPath, size); err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, pngPath)
			if b := img.Bounds(); b.Dx() != 150 || b.Dy() != 100 {
				t.Errorf("png is %dx%d, want 150x100", b.Dx(), b.Dy())
			}
			checkNotBlank(t, img)

			svgPath := filepath.Join(dir, name+".svg")
			if err := draw(svgPath, size); err != nil {
				t.Fatal(err)
			}
			svg, err := os.ReadFile(svgPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(svg, []byte("<?xml")) && !bytes.HasPrefix(svg, []byte("<svg")) {
				t.Errorf("svg starts with %q", svg[:min(len(svg), 20)])
			}
			if !bytes.Contains(svg, []byte(`width="216pt" height="144pt"`)) || !bytes.HasSuffix(bytes.TrimSpace(svg), []byte("</svg>")) {
				t.Errorf("svg lacks the size 216x144pt or the closing tag")
			}
			if bytes.Contains(svg, []byte("data:image/jpg")) {
				t.Errorf("svg embeds PNG data labelled as JPEG")
			}
		})
	}
}

// TestDefaultSizes checks the documented default sizes: inches times 100
// dots per inch.
func TestDefaultSizes(t *testing.T) {
	dir := t.TempDir()
	steps, loss := xorLoss(100)
	for _, tc := range []struct {
		name string
		draw func(path string) error
		w, h int
	}{
		{"Loss 6x4 in", func(p string) error { return Loss(p, nil, loss, "") }, 600, 400},
		{"Curve 6x4 in, DPI 120", func(p string) error {
			return Curve(p, ChartOptions{Series: []Series{{"a", steps, loss}}, Size: Size{DPI: 120}})
		}, 720, 480},
		{"Boundary 5x5 in", func(p string) error { return Boundary(p, BoundaryOptions{Predict: xorProb, Grid: 20}) }, 500, 500},
	} {
		path := filepath.Join(dir, "f.png")
		if err := tc.draw(path); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if b := decodePNG(t, path).Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
			t.Errorf("%s: %dx%d, want %dx%d", tc.name, b.Dx(), b.Dy(), tc.w, tc.h)
		}
	}
}

// TestEmptyAndOdd draws charts from data that has nothing or little to
// draw: they must still make a file, not panic.
func TestEmptyAndOdd(t *testing.T) {
	dir := t.TempDir()
	nan, inf := math.NaN(), math.Inf(1)
	for name, c := range map[string]ChartOptions{
		"no series":           {},
		"empty series":        {Series: []Series{{Name: "a"}}},
		"one point":           {Series: []Series{{"a", []float64{1}, []float64{2}}}},
		"constant log":        {Series: []Series{{"a", []float64{1, 2}, []float64{3, 3}}}, LogY: true},
		"all dropped on log":  {Series: []Series{{"a", []float64{1, 2}, []float64{0, -1}}}, LogX: true, LogY: true},
		"nan and inf":         {Series: []Series{{"a", []float64{1, 2, 3, 4}, []float64{1, nan, -inf, 2}}}},
		"diverged to +inf":    {Series: []Series{{"a", []float64{1, 2, 3}, []float64{1, 2, inf}}, {"b", []float64{1}, []float64{1}}}},
		"log over 12 decades": {Series: []Series{{"a", []float64{1e-6, 1e6}, []float64{1e-9, 1e3}}}, LogX: true, LogY: true},
	} {
		for _, f := range []func(string, ChartOptions) error{Curve, Scatter} {
			if err := f(filepath.Join(dir, "c.png"), c); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// TestContourOdd draws contours of functions that are constant or nowhere
// finite, and paths outside the region: a file, no panic.
func TestContourOdd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.png")
	for name, f := range map[string]func(x, y float64) float64{
		"constant": func(x, y float64) float64 { return 2 },
		"nan":      func(x, y float64) float64 { return math.NaN() },
		"partly":   func(x, y float64) float64 { return math.Log(x) + y },
	} {
		err := Contour(path, ContourOptions{F: f, XMin: -1, XMax: 1, YMin: -1, YMax: 1, Grid: 20,
			Paths: []Path{{"far", []float64{5, 6}, []float64{5, 6}}, {"empty", nil, nil}}})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// sizedFigures returns every kind of figure drawn at a given size.
func sizedFigures() map[string]func(path string, s Size) error {
	steps, loss := xorLoss(30000)
	pts, labels := spiral(30, 3)
	return map[string]func(string, Size) error{
		"curve": func(p string, s Size) error {
			return Curve(p, ChartOptions{Title: "loss", XLabel: "step", YLabel: "loss", Series: []Series{{"loss", steps, loss}}, LogY: true, Size: s})
		},
		"scatter": func(p string, s Size) error {
			return Scatter(p, ChartOptions{Series: []Series{{"a", []float64{1e-3, 1e-2, 1e-1}, []float64{0.5, 0.9, 0.2}}}, LogX: true, Size: s})
		},
		"boundary": func(p string, s Size) error {
			return Boundary(p, BoundaryOptions{Predict: nearestClass(pts, labels, 3), Points: pts, Labels: labels, Grid: 50, Size: s})
		},
		"contour": func(p string, s Size) error {
			c := bookContour()
			c.Size = s
			return Contour(p, c)
		},
		"histograms": func(p string, s Size) error {
			h := activations()
			h.Size = s
			return Histograms(p, h)
		},
		"imagegrid": func(p string, s Size) error {
			g := digits()
			g.Size = s
			return ImageGrid(p, g)
		},
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// checkNotBlank fails unless at least 1% of the image is not white and it
// has some colours.
func checkNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	colors := map[[3]uint32]bool{}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			colors[[3]uint32{r, g, bl}] = true
			if r != 0xffff || g != 0xffff || bl != 0xffff {
				inked++
			}
		}
	}
	if frac := float64(inked) / float64(b.Dx()*b.Dy()); frac < 0.01 || len(colors) < 3 {
		t.Errorf("image looks blank: %.2f%% drawn, %d colours", 100*frac, len(colors))
	}
}
