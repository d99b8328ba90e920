package plot

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLabels(t *testing.T) {
	dir := t.TempDir()
	l := LabelsOptions{Title: "words", Labels: []string{"king", "queen", "man", "lost"},
		X: []float64{1, 1.2, -0.5, math.NaN()}, Y: []float64{0.3, -0.2, 0.1, 0}}
	svg := filepath.Join(dir, "w.svg")
	if err := Labels(svg, l); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	// The SVG has each drawn label as text; the point with a NaN is left out.
	for _, w := range []string{">king<", ">queen<", ">man<"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("the SVG lacks the label %s", w)
		}
	}
	if strings.Contains(string(b), ">lost<") {
		t.Error("the SVG has the label of a point with a NaN")
	}
	if err := Labels(filepath.Join(dir, "w.png"), l); err != nil {
		t.Fatal(err)
	}
	if err := Labels(filepath.Join(dir, "none", "w.png"), l); err == nil {
		t.Error("an unwritable folder: no error")
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "plot: ") {
			t.Errorf("labels and points of different lengths: panic %v", r)
		}
	}()
	Labels(filepath.Join(dir, "x.png"), LabelsOptions{Labels: []string{"a"}, X: []float64{1, 2}, Y: []float64{1, 2}})
}
