package data

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Moons returns scikit-learn's two-moons set, as make_moons(n, noise=noise)
// makes it with r as its generator: n/2 points (rounded down) on the upper
// half circle of radius 1 around (0, 0), class 0, and the rest on the lower
// half circle around (1, 0.5), class 1, at angles evenly spaced over [0, π]
// (numpy's linspace); the points shuffled (np.random.shuffle of their
// indices), then Gaussian noise of standard deviation noise added to x and
// y of each point in turn. micrograd's demo draws make_moons(100, noise=0.1)
// after np.random.seed(1337): Moons(100, 0.1, rng.NewNumpy(1337)).
//
// X is n×2, Y holds the class (0 or 1), Classes is 2. The sines and cosines
// are Go's, which may differ from numpy's in the last bit. It panics if n
// is below 2 or noise is negative or not finite.
func Moons[T tensor.Float](n int, noise float64, r *rng.MT) *Set[T] {
	if n < 2 || !(noise >= 0) || math.IsInf(noise, 0) {
		panic(fmt.Sprintf("data: Moons(%d, %v): want at least 2 points and a finite noise >= 0", n, noise))
	}
	out := n / 2
	x := make([]float64, 2*n)
	y := make([]int, n)
	for i, a := range linspace(0, math.Pi, out) {
		x[2*i], x[2*i+1] = math.Cos(a), math.Sin(a)
	}
	for i, a := range linspace(0, math.Pi, n-out) {
		k := out + i
		x[2*k], x[2*k+1] = 1-math.Cos(a), 1-math.Sin(a)-0.5
		y[k] = 1
	}
	idx := r.Permutation(n)
	s := &Set[T]{X: tensor.New[T](n, 2), Y: tensor.New[T](n), Classes: 2}
	for k, i := range idx {
		s.Y.Data[k] = T(y[i])
	}
	// make_moons draws the noise even when it is 0.
	for k := range s.X.Data {
		s.X.Data[k] = T(x[2*idx[k/2]+k%2] + r.Normal(0, noise))
	}
	return s
}

// linspace returns n values evenly spaced over [lo, hi] as numpy's
// linspace(lo, hi, n) computes them: i·step + lo, the last one hi.
func linspace(lo, hi float64, n int) []float64 {
	v := make([]float64, n)
	if n == 1 {
		v[0] = lo
		return v
	}
	step := (hi - lo) / float64(n-1)
	for i := range v {
		v[i] = float64(float64(i)*step) + lo
	}
	v[n-1] = hi
	return v
}
