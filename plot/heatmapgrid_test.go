package plot

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeatmapGridPlacesMaps draws two maps of one cell each, of known
// shades, side by side, and finds the first left of the second; the SVG
// form carries every row and column label once per map.
func TestHeatmapGridPlacesMaps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "g.png")
	maps := [][][]float64{{{0.25}}, {{0.75}}}
	if err := HeatmapGrid(path, HeatmapGridOptions{Maps: maps, Captions: []string{"a", "b"}, Lo: 0, Hi: 1, Cell: 1}); err != nil {
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
	n1, x1, y1 := grayCentroid(img, 64)
	n2, x2, y2 := grayCentroid(img, 191)
	if n1 < 2000 || n2 < 2000 {
		t.Fatalf("%d and %d pixels of the two shades, want cells of thousands", n1, n2)
	}
	if !(x1 < x2 && abs(y1-y2) < 2) {
		t.Errorf("the maps' centres are (%.0f, %.0f) and (%.0f, %.0f)", x1, y1, x2, y2)
	}
	svg := filepath.Join(dir, "g.svg")
	err = HeatmapGrid(svg, HeatmapGridOptions{Maps: [][][]float64{{{1, 0}, {0.5, 0.5}}, {{1, 0}, {0.2, 0.8}}},
		RowLabels: []string{"rowA", "rowB"}, ColLabels: []string{"colA", "colB"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{">rowA<", ">rowB<", ">colA<", ">colB<"} {
		if n := strings.Count(string(b), w); n != 2 {
			t.Errorf("the SVG has the label %s %d times, want 2 (once per map)", w, n)
		}
	}
}

func TestHeatmapGridPanics(t *testing.T) {
	one := [][]float64{{1, 2}}
	for name, g := range map[string]HeatmapGridOptions{
		"empty":         {},
		"shapes differ": {Maps: [][][]float64{one, {{1}}}},
		"ragged":        {Maps: [][][]float64{{{1, 2}, {3}}}},
		"captions":      {Maps: [][][]float64{one}, Captions: []string{"a", "b"}},
		"row labels":    {Maps: [][][]float64{one}, RowLabels: []string{"a", "b"}},
		"column label":  {Maps: [][][]float64{one}, ColLabels: []string{"a"}},
	} {
		func() {
			defer func() {
				if r, ok := recover().(string); !ok || !strings.HasPrefix(r, "plot: ") {
					t.Errorf("%s: panic %v", name, r)
				}
			}()
			HeatmapGrid(filepath.Join(t.TempDir(), "x.png"), g)
		}()
	}
}
