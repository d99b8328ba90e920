package plot

import (
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPanels draws five panels of two curves (one broken by a NaN) in rows
// of three: the PNG is 3 panels of 2.2 inches plus 0.4 wide and 2 rows of
// 1.7 plus 0.8 high at 100 dpi, the SVG names the panels, and bad options
// panic with a plot: message.
func TestPanels(t *testing.T) {
	dir := t.TempDir()
	epochs := []float64{0, 1, 2, 3, 4}
	c := PanelsOptions{Title: "accuracy per scale", XLabel: "epoch", YLabel: "accuracy", Lines: []string{"train", "test"}, Cols: 3, YMin: 0, YMax: 1}
	for i := range 5 {
		c.Panels = append(c.Panels, Panel{Title: fmt.Sprintf("std %d", i), Lines: []Series{
			{X: epochs, Y: []float64{0.1, 0.5, 0.7, 0.8, 0.9}},
			{X: epochs, Y: []float64{0.1, 0.4, math.NaN(), 0.6, 0.65}},
		}})
	}
	pngPath, svgPath := filepath.Join(dir, "p.png"), filepath.Join(dir, "p.svg")
	if err := Panels(pngPath, c); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 700 || cfg.Height != 420 {
		t.Errorf("PNG %dx%d (%v), want 700x420", cfg.Width, cfg.Height, err)
	}
	if err := Panels(svgPath, c); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"accuracy per scale", "std 0", "std 4", "train", "test", "epoch"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG does not hold %q", want)
		}
	}
	if err := Panels(filepath.Join(dir, "p.jpg"), c); err == nil {
		t.Error("a .jpg path was accepted")
	}
	for name, bad := range map[string]func(*PanelsOptions){
		"empty y range": func(o *PanelsOptions) { o.YMax = o.YMin },
		"unnamed curve": func(o *PanelsOptions) { o.Lines = o.Lines[:1] },
		"uneven curve":  func(o *PanelsOptions) { o.Panels[0].Lines[0].Y = []float64{1} },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "plot: ") {
					t.Errorf("%s: recovered %v, want a plot: panic", name, r)
				}
			}()
			o := c
			o.Panels = append([]Panel(nil), c.Panels...)
			o.Panels[0].Lines = append([]Series(nil), c.Panels[0].Lines...)
			bad(&o)
			Panels(filepath.Join(dir, "bad.png"), o)
		}()
	}
}
