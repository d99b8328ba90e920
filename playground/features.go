package playground

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

// FeatureNames are the input features a network may take, those of the
// TensorFlow Playground: x1 and x2 (the point's coordinates), x1sq and
// x2sq (their squares), x1x2 (their product), sinx1 and sinx2 (their
// sines).
var FeatureNames = []string{"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}

// feature returns the named feature of the point (x1, x2).
func feature(name string, x1, x2 float64) float64 {
	switch name {
	case "x1":
		return x1
	case "x2":
		return x2
	case "x1sq":
		return x1 * x1
	case "x2sq":
		return x2 * x2
	case "x1x2":
		return x1 * x2
	case "sinx1":
		return math.Sin(x1)
	case "sinx2":
		return math.Sin(x2)
	}
	panic("playground: unknown feature " + name)
}

// validateFeatures returns an error unless feats names one to
// len(FeatureNames) known features, each once.
func validateFeatures(feats []string) error {
	if len(feats) == 0 {
		return fmt.Errorf("features: none chosen; want at least one of %s", strings.Join(FeatureNames, ", "))
	}
	for i, f := range feats {
		if !slices.Contains(FeatureNames, f) {
			return fmt.Errorf("features: unknown feature %.40q; want %s", f, strings.Join(FeatureNames, ", "))
		}
		if slices.Contains(feats[:i], f) {
			return fmt.Errorf("features: %s chosen twice", f)
		}
	}
	return nil
}

// featurize returns the features feats of the n points xy (row-major
// [n, 2]) as a tensor [n, len(feats)], into dst's storage when it is large
// enough.
func featurize(dst *tensor.Tensor[float64], feats []string, xy []float64, n int) *tensor.Tensor[float64] {
	dst = tensor.Reuse(dst, n, len(feats))
	for i := range n {
		x1, x2 := xy[2*i], xy[2*i+1]
		for j, f := range feats {
			dst.Data[i*len(feats)+j] = feature(f, x1, x2)
		}
	}
	return dst
}

// plainFeatures reports whether feats are the coordinates themselves, x1
// and x2 in that order.
func plainFeatures(feats []string) bool {
	return len(feats) == 2 && feats[0] == "x1" && feats[1] == "x2"
}
