package train

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/tensor"
)

var nan = math.NaN()

// scorer predicts classes from a network's outputs and compares them with
// class indices; see Classify. A scorer with classes == 0 scores nothing.
type scorer[T tensor.Float] struct {
	classes   int
	threshold T
}

func newScorer[T tensor.Float](classes int, l loss.Loss[T]) scorer[T] {
	s := scorer[T]{classes: classes, threshold: 0.5}
	if _, logits := l.(*loss.SigmoidBCE[T]); logits {
		s.threshold = 0
	}
	return s
}

// class returns the predicted class of one case's outputs.
func (s scorer[T]) class(row []T) int {
	if len(row) == 1 {
		if row[0] > s.threshold {
			return 1
		}
		return 0
	}
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}

// width returns the number of outputs per case of out, or an error if it
// does not fit the number of classes: one output per class, or a single
// output for two classes.
func (s scorer[T]) width(out *tensor.Tensor[T]) (int, error) {
	k := out.Cols()
	if out.Rank() == 1 {
		k = 1
	}
	if k != s.classes && !(k == 1 && s.classes == 2) {
		return 0, fmt.Errorf("train: the network gives %d outputs per case for %d classes", k, s.classes)
	}
	return k, nil
}

// correct returns the number of cases of out whose predicted class is the
// class index in y. It allocates nothing.
func (s scorer[T]) correct(out, y *tensor.Tensor[T]) (int, error) {
	k, err := s.width(out)
	if err != nil {
		return 0, err
	}
	c := 0
	for i, t := range y.Data {
		if s.class(out.Data[i*k:(i+1)*k]) == int(t) {
			c++
		}
	}
	return c, nil
}

// tally adds the cases of out to the confusion matrix m, by true class
// (the index in y) and predicted class.
func (s scorer[T]) tally(out, y *tensor.Tensor[T], m [][]int) error {
	k, err := s.width(out)
	if err != nil {
		return err
	}
	for i, t := range y.Data {
		m[int(t)][s.class(out.Data[i*k:(i+1)*k])]++
	}
	return nil
}
