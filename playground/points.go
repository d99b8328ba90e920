package playground

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Each run draws from three generators seeded from Config.Seed, one per
// purpose, so that a change to one (a point added) leaves the others'
// draws as they were.
const (
	streamData = iota
	streamInit
	streamBatch
)

// newRand returns the generator of one stream of a run with the given
// seed: Python's random.seed(4·seed + stream).
func newRand(seed int64, stream int) *rng.MT {
	return rng.NewPython(uint64(seed)*4 + uint64(stream))
}

// makePoints returns the points of c's data set, test points flagged.
func makePoints(c *Config) ([]Point, error) {
	switch c.Data {
	case "custom":
		return append([]Point(nil), c.Custom...), nil
	case "plane", "waves":
		return regressionPoints(c.Data, c.Points, c.Noise, c.TestRatio, newRand(c.Seed, streamData)), nil
	case "xor4":
		xs := data.XOR[float64]()
		pts := make([]Point, xs.Len())
		for i := range pts {
			pts[i] = Point{X: xs.X.Data[2*i], Y: xs.X.Data[2*i+1], Label: int(xs.Y.Data[i])}
		}
		return pts, nil
	}
	r := newRand(c.Seed, streamData)
	s, err := data.Toy[float64](c.Data, c.Points, c.Noise, r)
	if err != nil {
		return nil, err
	}
	pts := make([]Point, s.Len())
	for i := range pts {
		pts[i] = Point{X: s.X.Data[2*i], Y: s.X.Data[2*i+1], Label: int(s.Y.Data[i])}
	}
	// Toy shuffles its points, so the first round(ratio·n) are a random
	// test set, as data.Split would draw it.
	nTest := int(math.Round(c.TestRatio * float64(len(pts))))
	for i := range nTest {
		pts[i].Test = true
	}
	return pts, nil
}

// toSets returns the training and test sets of pts with classes classes:
// X [n, len(feats)] the features feats of each point, Y [n] class
// indices, or [n, 1] the points' values if classes is 1 (a regression).
// The test set is nil when no point is a test point.
func toSets(pts []Point, classes int, feats []string) (train, test *data.Set[float64]) {
	var tr, te []Point
	for _, p := range pts {
		if p.Test {
			te = append(te, p)
		} else {
			tr = append(tr, p)
		}
	}
	return toSet(tr, classes, feats), toSet(te, classes, feats)
}

func toSet(pts []Point, classes int, feats []string) *data.Set[float64] {
	if len(pts) == 0 {
		return nil
	}
	xy := make([]float64, 2*len(pts))
	s := &data.Set[float64]{Y: tensor.New[float64](len(pts)), Classes: classes}
	if classes == 1 {
		s.Y, s.Classes = tensor.New[float64](len(pts), 1), 0
	}
	for i, p := range pts {
		xy[2*i], xy[2*i+1] = p.X, p.Y
		s.Y.Data[i] = float64(p.Label)
		if classes == 1 {
			s.Y.Data[i] = p.Value
		}
	}
	s.X = featurize(nil, feats, xy, len(pts))
	return s
}

// PointEdit is a change to a session's points, as POST
// /api/session/{id}/points takes it: "add" a point of class Label at (X, Y)
// (a training point, or a test point if Test is set); "remove" the point
// nearest to (X, Y) if it lies within Radius; "clear" all of them.
type PointEdit struct {
	Action string  `json:"action"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Label  int     `json:"label"`
	Test   bool    `json:"test,omitempty"`
	Radius float64 `json:"radius,omitempty"`
}

// apply returns pts changed by e, or an error if e is invalid under lim.
// It never modifies pts.
func (e PointEdit) apply(pts []Point, lim Limits) ([]Point, error) {
	if !isFinite(e.X) || !isFinite(e.Y) || math.Abs(e.X) > maxViewSpan || math.Abs(e.Y) > maxViewSpan {
		return nil, fmt.Errorf("point (%v, %v): coordinates must be finite and within ±%g", e.X, e.Y, maxViewSpan)
	}
	switch e.Action {
	case "add":
		if e.Label < 0 || e.Label >= lim.MaxClasses {
			return nil, fmt.Errorf("label %d: must be between 0 and %d", e.Label, lim.MaxClasses-1)
		}
		if len(pts) >= lim.MaxPoints {
			return nil, fmt.Errorf("too many points: at most %d allowed", lim.MaxPoints)
		}
		return append(append(make([]Point, 0, len(pts)+1), pts...), Point{X: e.X, Y: e.Y, Label: e.Label, Test: e.Test}), nil
	case "remove":
		if !(e.Radius > 0) || !isFinite(e.Radius) {
			return nil, fmt.Errorf("radius %v: must be a positive number", e.Radius)
		}
		best, bestD := -1, e.Radius
		for i, p := range pts {
			if d := math.Hypot(p.X-e.X, p.Y-e.Y); d <= bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			return pts, nil
		}
		out := append(make([]Point, 0, len(pts)-1), pts[:best]...)
		return append(out, pts[best+1:]...), nil
	case "clear":
		return []Point{}, nil
	}
	return nil, fmt.Errorf("action %q: want add, remove or clear", e.Action)
}
