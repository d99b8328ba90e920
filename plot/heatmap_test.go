package plot

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// grayCentroid returns the number of pixels of img of gray level g and
// their mean position.
func grayCentroid(img image.Image, g uint8) (n int, x, y float64) {
	b := img.Bounds()
	for j := b.Min.Y; j < b.Max.Y; j++ {
		for i := b.Min.X; i < b.Max.X; i++ {
			r, gg, bb, _ := img.At(i, j).RGBA()
			if r>>8 == uint32(g) && gg>>8 == uint32(g) && bb>>8 == uint32(g) {
				n++
				x += float64(i)
				y += float64(j)
			}
		}
	}
	if n > 0 {
		x, y = x/float64(n), y/float64(n)
	}
	return n, x, y
}

// TestHeatmapPlacesCells draws two cells of known shades, side by side and
// one above the other, and finds each where it belongs: columns left to
// right, the first row on top.
func TestHeatmapPlacesCells(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		values [][]float64
		rows   []string
		cols   []string
	}{
		{"across", [][]float64{{0.25, 0.75}}, []string{"r"}, []string{"a", "b"}},
		{"down", [][]float64{{0.25}, {0.75}}, []string{"r", "s"}, []string{"a"}},
	} {
		path := filepath.Join(dir, c.name+".png")
		err := Heatmap(path, HeatmapOptions{Values: c.values, RowLabels: c.rows, ColLabels: c.cols, Lo: 0, Hi: 1,
			Size: Size{Width: 3, Height: 3}})
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Gray: round(255·0.25) = 64 and round(255·0.75) = 191.
		n1, x1, y1 := grayCentroid(img, 64)
		n2, x2, y2 := grayCentroid(img, 191)
		if n1 < 2000 || n2 < 2000 {
			t.Fatalf("%s: %d and %d pixels of the two shades, want cells of thousands", c.name, n1, n2)
		}
		if c.name == "across" && !(x1 < x2 && abs(y1-y2) < 2) || c.name == "down" && !(y1 < y2 && abs(x1-x2) < 2) {
			t.Errorf("%s: the cells' centres are (%.0f, %.0f) and (%.0f, %.0f)", c.name, x1, y1, x2, y2)
		}
	}
	svg := filepath.Join(dir, "h.svg")
	if err := Heatmap(svg, HeatmapOptions{Values: [][]float64{{0, 1}}, RowLabels: []string{"row"}, ColLabels: []string{"left", "right"}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{">row<", ">left<", ">right<"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("the SVG lacks the label %s", w)
		}
	}
}

func abs(x float64) float64 { return max(x, -x) }

func TestHeatmapPanics(t *testing.T) {
	for name, h := range map[string]HeatmapOptions{
		"empty":        {},
		"ragged":       {Values: [][]float64{{1, 2}, {3}}},
		"row labels":   {Values: [][]float64{{1, 2}}, RowLabels: []string{"a", "b"}},
		"column label": {Values: [][]float64{{1, 2}}, ColLabels: []string{"a"}},
	} {
		func() {
			defer func() {
				if r, ok := recover().(string); !ok || !strings.HasPrefix(r, "plot: ") {
					t.Errorf("%s: panic %v", name, r)
				}
			}()
			Heatmap(filepath.Join(t.TempDir(), "x.png"), h)
		}()
	}
}
