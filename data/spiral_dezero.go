package data

import (
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// DeZeroSpiral returns the third book's spiral set (DeZero's
// datasets.get_spiral): 3 classes of 100 points on arms of radius i/100
// and angle 4j + 4i/100 + 0.2·randn, stored as float32 as DeZero stores
// them, then shuffled with np.random.permutation. It seeds r as
// get_spiral seeds numpy's generator (1984 for the training set, 2020 for
// the test set) and leaves it where get_spiral leaves numpy's, so that a
// program drawing from r afterwards draws what DeZero's would.
func DeZeroSpiral[T tensor.Float](train bool, r *rng.MT) *Set[T] {
	seed := uint32(2020)
	if train {
		seed = 1984
	}
	*r = *rng.NewNumpy(seed)
	const perClass, classes = 100, 3
	n := perClass * classes
	x := make([]float32, 2*n)
	t := make([]int, n)
	for j := range classes {
		for i := range perClass {
			rate := float64(i) / perClass
			radius := 1.0 * rate
			// The conversions keep the compiler from fusing multiplies and adds.
			theta := float64(float64(j)*4.0) + float64(4.0*rate) + float64(r.Norm()*0.2)
			ix := perClass*j + i
			x[2*ix] = float32(radius * math.Sin(theta))
			x[2*ix+1] = float32(radius * math.Cos(theta))
			t[ix] = j
		}
	}
	idx := r.Permutation(n)
	s := &Set[T]{X: tensor.New[T](n, 2), Y: tensor.New[T](n), Classes: classes}
	for k, i := range idx {
		s.X.Data[2*k] = T(x[2*i])
		s.X.Data[2*k+1] = T(x[2*i+1])
		s.Y.Data[k] = T(t[i])
	}
	return s
}
