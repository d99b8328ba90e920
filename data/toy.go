package data

import (
	"fmt"
	"math"
	"strings"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// toyRadius is the half-width of the TensorFlow Playground's square: its
// points lie in about [-5, 5] before noise and are drawn on [-6, 6].
const toyRadius = 5

// toyGens holds the generators of Toy, each writing n points and labels
// (0 or 1) into x ([n, 2]) and y ([n]).
var toyGens = map[string]func(x, y []float64, noise float64, r *rng.MT){
	"circle": toyCircle,
	"xor":    toyXOR,
	"gauss":  toyGauss,
	"spiral": toySpiral,
}

// ToyNames returns the names Toy accepts, in the TensorFlow Playground's
// order.
func ToyNames() []string { return []string{"circle", "xor", "gauss", "spiral"} }

// Toy returns n points of one of the TensorFlow Playground's 2-D
// classification sets, drawn with r: X is [n, 2], Y is [n] with Classes 2
// (the Playground's label -1 is class 0, its +1 class 1). The points are in
// the Playground's units, not scaled to [-1, 1]: its view spans [-6, 6] on
// each axis, and all points fall inside it except the tails of "gauss" at
// high noise (the generators place points within [-5.3, 5.3] and "spiral"
// adds at most ±noise). noise is the Playground's noise fraction in [0, 1]
// (its slider goes to 0.5); 0 gives clean classes.
//
//   - "circle": class 1 inside radius 2.5, class 0 in a ring from 3.5 to 5;
//     a noisy point takes the label of where it lands.
//   - "xor": uniform points in the four quadrants, kept 0.3 away from the
//     axes; class 1 where x·y >= 0 after noise.
//   - "gauss": two Gaussian blobs centred at (2, 2) (class 1) and (-2, -2)
//     (class 0), variance growing from 0.5 to 4 as noise goes 0 to 0.5.
//   - "spiral": two interleaved spirals, each 1.75 turns out to radius 5.
//
// Half of the points (n/2, rounded down) are class 1 as generated; the
// points are then shuffled with r, so any prefix mixes both classes. It
// returns an error naming the known sets for an unknown name, and an error
// if n < 1 or noise is outside [0, 1].
func Toy[T tensor.Float](name string, n int, noise float64, r *rng.MT) (*Set[T], error) {
	gen, ok := toyGens[name]
	if !ok {
		return nil, fmt.Errorf("unknown toy data set %q (known: %s)", name, strings.Join(ToyNames(), ", "))
	}
	if n < 1 {
		return nil, fmt.Errorf("toy data set %s: %d points requested, need at least 1", name, n)
	}
	if !(noise >= 0 && noise <= 1) {
		return nil, fmt.Errorf("toy data set %s: noise %v outside [0, 1]", name, noise)
	}
	x, y := make([]float64, 2*n), make([]float64, n)
	gen(x, y, noise, r)
	perm := r.Perm(n)
	s := &Set[T]{X: tensor.New[T](n, 2), Y: tensor.New[T](n), Classes: 2, FeatureNames: []string{"x1", "x2"}}
	for k, i := range perm {
		s.X.Data[2*k] = T(x[2*i])
		s.X.Data[2*k+1] = T(x[2*i+1])
		s.Y.Data[k] = T(y[i])
	}
	return s, nil
}

// uniform returns a uniform value in [lo, hi).
func uniform(r *rng.MT, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// label01 returns class 1 if pos, class 0 otherwise.
func label01(pos bool) float64 {
	if pos {
		return 1
	}
	return 0
}

func toyCircle(x, y []float64, noise float64, r *rng.MT) {
	inside := func(px, py float64) bool { return math.Hypot(px, py) < toyRadius*0.5 }
	for i := range y {
		lo, hi := 0.0, toyRadius*0.5 // class 1 first, then the ring
		if i >= len(y)/2 {
			lo, hi = toyRadius*0.7, toyRadius
		}
		rad, angle := uniform(r, lo, hi), uniform(r, 0, 2*math.Pi)
		px, py := rad*math.Sin(angle), rad*math.Cos(angle)
		nx := uniform(r, -toyRadius, toyRadius) * noise
		ny := uniform(r, -toyRadius, toyRadius) * noise
		x[2*i], x[2*i+1] = px, py
		y[i] = label01(inside(px+nx, py+ny))
	}
}

func toyXOR(x, y []float64, noise float64, r *rng.MT) {
	const padding = 0.3
	away := func(v float64) float64 {
		if v > 0 {
			return v + padding
		}
		return v - padding
	}
	for i := range y {
		px := away(uniform(r, -toyRadius, toyRadius))
		py := away(uniform(r, -toyRadius, toyRadius))
		nx := uniform(r, -toyRadius, toyRadius) * noise
		ny := uniform(r, -toyRadius, toyRadius) * noise
		x[2*i], x[2*i+1] = px, py
		y[i] = label01((px+nx)*(py+ny) >= 0)
	}
}

func toyGauss(x, y []float64, noise float64, r *rng.MT) {
	// The Playground maps noise 0..0.5 linearly onto variance 0.5..4.
	std := math.Sqrt(0.5 + noise*(4-0.5)/0.5)
	for i := range y {
		c, label := 2.0, 1.0
		if i >= len(y)/2 {
			c, label = -2, 0
		}
		x[2*i] = c + std*r.Norm()
		x[2*i+1] = c + std*r.Norm()
		y[i] = label
	}
}

func toySpiral(x, y []float64, noise float64, r *rng.MT) {
	half := len(y) / 2
	arm := func(i, k, m int, delta, label float64) {
		f := float64(k) / float64(max(m, 1))
		rad := f * toyRadius
		t := 1.75*f*2*math.Pi + delta
		x[2*i] = rad*math.Sin(t) + uniform(r, -1, 1)*noise
		x[2*i+1] = rad*math.Cos(t) + uniform(r, -1, 1)*noise
		y[i] = label
	}
	for i := range y {
		if i < half {
			arm(i, i, half, 0, 1)
		} else {
			arm(i, i-half, len(y)-half, math.Pi, 0)
		}
	}
}
