package plot

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var samples = flag.String("samples", "", "write sample figures of every kind into this folder, to look at")

// TestSamples writes one figure of every kind into the -samples folder, so
// that a person can look at them; without the flag it does nothing.
func TestSamples(t *testing.T) {
	if *samples == "" {
		t.Skip("no -samples folder")
	}
	dir := *samples
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, draw := range sampleFigures() {
		for _, ext := range []string{".png", ".svg"} {
			if err := draw(filepath.Join(dir, name+ext)); err != nil {
				t.Error(err)
			}
		}
	}
}

// sampleFigures returns a function drawing one typical figure per kind,
// keyed by a file name without extension.
func sampleFigures() map[string]func(path string) error {
	steps, loss := xorLoss(30000)
	epochs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	trainAcc := []float64{0.86, 0.90, 0.915, 0.925, 0.933, 0.94, 0.946, 0.951, 0.955, 0.959}
	testAcc := []float64{0.87, 0.905, 0.917, 0.924, 0.931, 0.936, 0.941, 0.944, 0.947, 0.949}
	return map[string]func(string) error{
		"loss": func(p string) error { return Loss(p, steps, loss, "XOR: loss per step") },
		"accuracy": func(p string) error {
			return Curve(p, ChartOptions{Title: "MNIST accuracy", XLabel: "epoch", YLabel: "accuracy",
				Series: []Series{{"train", epochs, trainAcc}, {"test", epochs, testAcc}}})
		},
		"optimizers": func(p string) error {
			var ss []Series
			s := source(3)
			for k, name := range []string{"SGD", "Momentum", "AdaGrad", "Adam"} {
				x, y := make([]float64, 2000), make([]float64, 2000)
				for i := range x {
					x[i] = float64(i)
					y[i] = (2.3*math.Exp(-float64(i)/float64(150*(4-k))) + 0.05) * math.Exp(0.3*s.norm())
				}
				ss = append(ss, Series{name, x, y})
			}
			return Curve(p, ChartOptions{Title: "optimizers on MNIST", XLabel: "iteration", YLabel: "loss", Series: ss, LogY: true})
		},
		"search": func(p string) error {
			s := source(4)
			var lr, acc []float64
			for range 40 {
				l := math.Pow(10, -6+5*s.float())
				lr = append(lr, l)
				acc = append(acc, 0.9*math.Exp(-math.Pow(math.Log10(l)+2, 2)/2)+0.05*s.float())
			}
			return Scatter(p, ChartOptions{Title: "learning rate search", XLabel: "learning rate", YLabel: "validation accuracy",
				Series: []Series{{"trial", lr, acc}}, LogX: true})
		},
		"boundary": func(p string) error {
			pts, labels := spiral(100, 3)
			return Boundary(p, BoundaryOptions{Title: "spiral: decision boundary", Predict: nearestClass(pts, labels, 3),
				Points: pts, Labels: labels, ClassNames: []string{"class 0", "class 1", "class 2"}})
		},
		"xor": func(p string) error {
			return Boundary(p, BoundaryOptions{Title: "XOR", Predict: xorProb, XMin: -0.5, XMax: 1.5, YMin: -0.5, YMax: 1.5,
				Points: [][2]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, Labels: []int{0, 1, 1, 0}})
		},
		"paths":      func(p string) error { return Contour(p, bookContour()) },
		"histograms": func(p string) error { return Histograms(p, activations()) },
		"filters": func(p string) error {
			g := filters(30, 5)
			return ImageGrid(p, g)
		},
		"digits": func(p string) error { return ImageGrid(p, digits()) },
	}
}
