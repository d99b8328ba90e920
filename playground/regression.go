package playground

import (
	"math"

	"github.com/kiso-go/kiso/rng"
)

// RegressionSets are the data sets of a regression (Config.Problem
// "regression"): points drawn uniformly in [-6, 6]², each with a value in
// about [-1, 1] that the network learns to predict, plus Config.Noise
// times a uniform draw in [-1, 1]:
//   - "plane": (x1 + x2) / 12, a plane (the TensorFlow Playground's);
//   - "waves": sin(x1 / 2)·cos(x2 / 2), hills and valleys.
var RegressionSets = []string{"plane", "waves"}

// regressionValue returns the noiseless value of the set name at (x1, x2).
func regressionValue(name string, x1, x2 float64) float64 {
	if name == "plane" {
		return (x1 + x2) / 12
	}
	return math.Sin(x1/2) * math.Cos(x2/2)
}

// regressionPoints returns n points of the regression set name with the
// given noise, drawn from r, the first round(testRatio·n) flagged as test
// points. Each point's Value is its value and its Label 1 where the value
// is positive, 0 elsewhere (the colour it is drawn in).
func regressionPoints(name string, n int, noise, testRatio float64, r *rng.MT) []Point {
	pts := make([]Point, n)
	nTest := int(math.Round(testRatio * float64(n)))
	for i := range pts {
		x1, x2 := r.Uniform(-6, 6), r.Uniform(-6, 6)
		v := regressionValue(name, x1, x2) + noise*r.Uniform(-1, 1)
		pts[i] = Point{X: x1, Y: x2, Value: v, Test: i < nTest}
		if v > 0 {
			pts[i].Label = 1
		}
	}
	return pts
}
