package data

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// Standardizer scales each feature column to zero mean and unit variance,
// as scikit-learn's StandardScaler does: x' = (x - Mean[j]) / Std[j]. Fit
// it on the training part only and apply it to every part, so that no
// statistic of the test cases leaks into training.
type Standardizer[T tensor.Float] struct {
	// Mean and Std hold each column's mean and population standard
	// deviation (divisor n). A constant column has Std 1, so that it is
	// only centred rather than divided by zero.
	Mean, Std []float64
}

// FitStandardizer computes the mean and standard deviation of every column
// of train.X (viewed as [n, Cols]), in float64. It panics if train is empty.
func FitStandardizer[T tensor.Float](train *Set[T]) Standardizer[T] {
	n, c := train.X.Rows(), train.X.Cols()
	if n == 0 {
		panic("data: FitStandardizer: empty set")
	}
	mean, std := make([]float64, c), make([]float64, c)
	for i := range n {
		for j, v := range train.X.Row(i) {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for j := range c {
		first, constant := train.X.Data[j], true
		for i := range n {
			v := train.X.Data[i*c+j]
			d := float64(v) - mean[j]
			std[j] += d * d
			constant = constant && v == first
		}
		std[j] = math.Sqrt(std[j] / float64(n))
		if constant || std[j] == 0 {
			std[j] = 1
		}
	}
	return Standardizer[T]{Mean: mean, Std: std}
}

// Apply standardizes set.X in place. It panics if set.X does not have as
// many columns as the standardizer was fitted on.
func (st Standardizer[T]) Apply(set *Set[T]) { st.ApplyTo(set.X) }

// ApplyTo standardizes x (viewed as [n, Cols]) in place, for inputs that
// are not in a Set, such as points to predict. It panics if x does not
// have as many columns as the standardizer was fitted on.
func (st Standardizer[T]) ApplyTo(x *tensor.Tensor[T]) {
	c := len(st.Mean)
	if x.Cols() != c && x.Rows() != 0 {
		panic(fmt.Sprintf("data: Standardizer: %d columns in %v, fitted on %d", x.Cols(), x.Shape(), c))
	}
	for i := range x.Rows() {
		row := x.Row(i)
		for j, v := range row {
			row[j] = T((float64(v) - st.Mean[j]) / st.Std[j])
		}
	}
}
