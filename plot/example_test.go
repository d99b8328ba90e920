package plot_test

import (
	"fmt"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/kiso-go/kiso/plot"
)

// pngSize returns the size of the PNG file at path.
func pngSize(path string) string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	return fmt.Sprintf("%dx%d", cfg.Width, cfg.Height)
}

func ExampleLoss() {
	dir, err := os.MkdirTemp("", "kiso-plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "loss.png")

	loss := make([]float64, 30000)
	for i := range loss {
		loss[i] = 0.7 * math.Exp(-float64(i)/5000)
	}
	// Check the path before training, draw after.
	if err := plot.CheckPath(path); err != nil {
		log.Fatal(err)
	}
	if err := plot.Loss(path, nil, loss, "XOR"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(pngSize(path))
	fmt.Println(plot.CheckPath(filepath.Join(dir, "loss.jpg")) != nil)
	// Output:
	// 600x400
	// true
}

func ExampleCurve() {
	dir, err := os.MkdirTemp("", "kiso-plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "accuracy.png")

	epochs := []float64{1, 2, 3, 4, 5}
	err = plot.Curve(path, plot.ChartOptions{
		Title:  "accuracy per epoch",
		XLabel: "epoch",
		YLabel: "accuracy",
		Series: []plot.Series{
			{Name: "train", X: epochs, Y: []float64{0.80, 0.88, 0.91, 0.93, 0.94}},
			{Name: "test", X: epochs, Y: []float64{0.82, 0.87, 0.90, 0.91, 0.92}},
		},
		Size: plot.Size{Width: 5, Height: 3, DPI: 96},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pngSize(path))
	// Output:
	// 480x288
}

func ExampleBoundary() {
	dir, err := os.MkdirTemp("", "kiso-plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "xor.svg")

	// A made-up classifier: class 1 where exactly one of x, y exceeds 0.5.
	xor := func(x, y float64) []float64 {
		if (x > 0.5) != (y > 0.5) {
			return []float64{0.1, 0.9}
		}
		return []float64{0.9, 0.1}
	}
	err = plot.Boundary(path, plot.BoundaryOptions{
		Title:   "XOR",
		Predict: xor,
		XMin:    -0.5, XMax: 1.5, YMin: -0.5, YMax: 1.5,
		Points: [][2]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}},
		Labels: []int{0, 1, 1, 0},
	})
	if err != nil {
		log.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b[:5]))
	// Output:
	// <?xml
}
