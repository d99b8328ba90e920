package train

import (
	"fmt"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// ProbRows returns the class probabilities of net, a classifier of points
// in the plane, in the form plot.BoundaryOptions.PredictRows takes: given
// n points row-major in xy (x0, y0, x1, y1, ...), it runs net in inference
// mode on the [n, 2] batch and returns the softmax of its [n, k] outputs,
// n*k probabilities row-major, in a new slice. The function keeps a
// softmax buffer between calls and is not safe for concurrent use. It
// panics if len(xy) != 2n.
func ProbRows[T tensor.Float](net nn.Layer[T]) func(xy []float64, n int) []float64 {
	var sce loss.SoftmaxCrossEntropy[T]
	return func(xy []float64, n int) []float64 {
		if len(xy) != 2*n {
			panic(fmt.Sprintf("train: ProbRows given %d coordinates for %d points", len(xy), n))
		}
		x := tensor.New[T](n, 2)
		for i, v := range xy {
			x.Data[i] = T(v)
		}
		sce.Forward(net.Forward(x, false), tensor.New[T](n))
		p := sce.Probs()
		res := make([]float64, len(p.Data))
		for i, v := range p.Data {
			res[i] = float64(v)
		}
		return res
	}
}
