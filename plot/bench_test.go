package plot

import (
	"path/filepath"
	"testing"
)

// BenchmarkLoss30000 writes the tutorial's figure: 30000 steps of a noisy
// loss as a PNG.
func BenchmarkLoss30000(b *testing.B) {
	steps, loss := xorLoss(30000)
	path := filepath.Join(b.TempDir(), "loss.png")
	for b.Loop() {
		if err := Loss(path, steps, loss, "loss"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoss30000SVG is BenchmarkLoss30000 writing SVG.
func BenchmarkLoss30000SVG(b *testing.B) {
	steps, loss := xorLoss(30000)
	path := filepath.Join(b.TempDir(), "loss.svg")
	for b.Loop() {
		if err := Loss(path, steps, loss, "loss"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoundary200 draws a 200x200 decision boundary of a 2-class
// classifier with 4 points, as the XOR tutorial does.
func BenchmarkBoundary200(b *testing.B) {
	path := filepath.Join(b.TempDir(), "xor.png")
	for b.Loop() {
		if err := Boundary(path, BoundaryOptions{Predict: xorProb, XMin: -0.5, XMax: 1.5, YMin: -0.5, YMax: 1.5,
			Points: [][2]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, Labels: []int{0, 1, 1, 0}}); err != nil {
			b.Fatal(err)
		}
	}
}
