package data

import (
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// DeZeroSinCurve returns the third book's sine wave (DeZero's
// datasets.SinCurve): 1000 points x = np.linspace(0, 2π, 1000), y = sin(x)
// plus noise drawn from r as np.random.uniform(-0.05, 0.05, 1000) draws it
// for the training set, y = cos(x) for the test set (the noise is drawn
// either way, as DeZero draws it). X is y[:-1] and Y is y[1:], both
// [999, 1]: each point's target is the next point. Unlike DeZeroSpiral it
// does not seed r; DeZero's SinCurve draws from wherever numpy's generator
// is. (Go's math.Sin may differ from the C library's sin numpy calls by
// one unit in the last place for some x.)
func DeZeroSinCurve[T tensor.Float](train bool, r *rng.MT) *Set[T] {
	const num = 1000
	step := 2 * math.Pi / (num - 1)
	y := make([]float64, num)
	for i := range y {
		x := float64(i) * step
		if i == num-1 {
			x = 2 * math.Pi // numpy's linspace sets the end point exactly
		}
		noise := r.Uniform(-0.05, 0.05)
		if train {
			y[i] = math.Sin(x) + noise
		} else {
			y[i] = math.Cos(x)
		}
	}
	s := &Set[T]{X: tensor.New[T](num-1, 1), Y: tensor.New[T](num-1, 1)}
	for i := range num - 1 {
		s.X.Data[i] = T(y[i])
		s.Y.Data[i] = T(y[i+1])
	}
	return s
}
