package train

import (
	"context"
	"fmt"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Metrics is the result of evaluating a network on a data set.
type Metrics struct {
	// N is the number of cases evaluated.
	N int
	// Loss is the mean loss per case: the loss of each batch weighted by
	// its number of cases.
	Loss float64
	// Accuracy is the fraction of cases classified correctly, in [0, 1];
	// NaN for regression (a Set with Classes == 0).
	Accuracy float64
	// Confusion counts the cases of each true class (row) by predicted
	// class (column), as scikit-learn's confusion_matrix: Confusion[i][j]
	// cases of class i were predicted as j. It is [Classes][Classes], nil
	// for regression.
	Confusion [][]int
}

// Evaluate runs net in evaluation mode (Forward with train = false) over
// set in its order, in batches of batch cases, and returns the mean loss
// and, for classification, the accuracy and confusion matrix (see Classify
// for how a class is predicted). It checks ctx before each batch and
// returns ctx.Err() if it is done. It returns an error if set is empty or
// fails Set.Check, or if the network's outputs do not fit the number of
// classes; it panics if batch < 1.
func Evaluate[T tensor.Float](ctx context.Context, net nn.Layer[T], l loss.Loss[T], set *data.Set[T], batch int) (Metrics, error) {
	if batch < 1 {
		panic(fmt.Sprintf("train: Evaluate: batch size %d", batch))
	}
	n := set.Len()
	if n == 0 {
		return Metrics{}, fmt.Errorf("train: evaluate: the data set is empty")
	}
	if err := set.Check(); err != nil {
		return Metrics{}, fmt.Errorf("train: evaluate: %w", err)
	}
	sc := newScorer(set.Classes, l)
	m := Metrics{N: n, Accuracy: nan}
	if sc.classes > 0 {
		m.Confusion = make([][]int, sc.classes)
		for i := range m.Confusion {
			m.Confusion[i] = make([]int, sc.classes)
		}
	}
	var sum float64
	for x, y := range data.NewLoader(set, batch, nil).Epoch() {
		if err := ctx.Err(); err != nil {
			return Metrics{}, err
		}
		out := net.Forward(x, false)
		sum += l.Forward(out, y) * float64(x.Rows())
		if sc.classes > 0 {
			if err := sc.tally(out, y, m.Confusion); err != nil {
				return Metrics{}, err
			}
		}
	}
	m.Loss = sum / float64(n)
	if m.Confusion != nil {
		correct := 0
		for i, row := range m.Confusion {
			correct += row[i]
		}
		m.Accuracy = float64(correct) / float64(n)
	}
	return m, nil
}

// Predict runs net in evaluation mode over the cases of x (shape [n, ...],
// the case first) in batches of batch cases and returns the outputs, of
// shape [n, the network's output dimensions...]: the raw outputs of the
// last layer (logits for a network trained with SoftmaxCrossEntropy or
// SigmoidBCE; see Classify). x is not modified. It checks ctx before each
// batch and returns ctx.Err() if it is done; it returns an error if x has
// no cases, and panics if batch < 1.
func Predict[T tensor.Float](ctx context.Context, net nn.Layer[T], x *tensor.Tensor[T], batch int) (*tensor.Tensor[T], error) {
	if batch < 1 {
		panic(fmt.Sprintf("train: Predict: batch size %d", batch))
	}
	n, c := x.Rows(), x.Cols()
	if x.Rank() == 0 || n == 0 {
		return nil, fmt.Errorf("train: predict: no cases to predict")
	}
	shape := append([]int(nil), x.Shape()...)
	var out *tensor.Tensor[T]
	for i := 0; i < n; i += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := min(batch, n-i)
		shape[0] = b
		y := net.Forward(tensor.FromSlice(x.Data[i*c:(i+b)*c], shape...), false)
		if y.Rows() != b {
			panic(fmt.Sprintf("train: Predict: the network returned %d rows for a batch of %d", y.Rows(), b))
		}
		if out == nil {
			out = tensor.New[T](append([]int{n}, y.Shape()[1:]...)...)
		}
		oc := out.Cols()
		if y.Cols() != oc {
			panic(fmt.Sprintf("train: Predict: output shape changed from %v to %v", out.Shape(), y.Shape()))
		}
		copy(out.Data[i*oc:(i+b)*oc], y.Data)
	}
	return out, nil
}

// Classify returns the predicted class of each case of the outputs out
// ([n, k], or [n] for one output per case), as Evaluate and Fit count
// accuracy: with several outputs per case the index of the largest (the
// first on ties); with one output, class 1 if it exceeds the threshold and
// 0 otherwise. The threshold is 0 when l is a *loss.SigmoidBCE, whose
// inputs are logits (σ(x) > 0.5 exactly when x > 0), and 0.5 otherwise (a
// network ending in a sigmoid, trained with MSE). l may be nil, meaning
// 0.5.
func Classify[T tensor.Float](out *tensor.Tensor[T], l loss.Loss[T]) []int {
	sc := newScorer(2, l)
	n, k := out.Rows(), out.Cols()
	if out.Rank() == 1 {
		k = 1
	}
	cls := make([]int, n)
	for i := range cls {
		cls[i] = sc.class(out.Data[i*k : (i+1)*k])
	}
	return cls
}
