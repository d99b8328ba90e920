package numgrad

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Prepare readies a float64 network for a gradient check of its
// parameters with a softmax cross-entropy, and returns a random batch for
// it: x [batch, input...] of standard normal values and class indices t
// [batch] below classes. Everything is drawn from r, in this order:
//
//   - the biases of the Linear and Conv2D layers, from N(0, 0.1²): biases
//     start at zero, which can put a ReLU exactly on its kink (an input row
//     that dropout or ReLU zeroed, plus a zero bias), where the function
//     has no derivative; small random biases keep the check off it (batch
//     norm's shift stays at 0);
//   - x, then t;
//   - the dropout masks, by one forward pass in training mode, after every
//     Dropout layer has been told to keep its mask (nn.Dropout.Freeze), so
//     that the loss is the same function at every evaluation of the check.
func Prepare(net *nn.Sequential[float64], input []int, batch, classes int, r *rng.MT) (x, t *tensor.Tensor[float64]) {
	for _, l := range net.Layers {
		if d, ok := l.(*nn.Dropout[float64]); ok {
			d.Freeze()
		}
	}
	for _, p := range net.Params() {
		if isLinearOrConvBias(net, p) {
			tensor.FillNormal(p.Value, r, 0, 0.1)
		}
	}
	shape := append([]int{batch}, input...)
	x = tensor.RandN[float64](r, 1, shape...)
	t = tensor.New[float64](batch)
	for i := range t.Data {
		t.Data[i] = float64(r.Below(classes))
	}
	net.Forward(x, true)
	return x, t
}

// isLinearOrConvBias reports whether p is the bias of a Linear or Conv2D
// layer of net. It compares values: net.Params gives copies of the layers'
// parameters, named by path, that share their tensors.
func isLinearOrConvBias(net *nn.Sequential[float64], p *nn.Param[float64]) bool {
	for _, l := range net.Layers {
		switch l := l.(type) {
		case *nn.Linear[float64]:
			if l.B.Value == p.Value {
				return true
			}
		case *nn.Conv2D[float64]:
			if l.B != nil && l.B.Value == p.Value {
				return true
			}
		}
	}
	return false
}

// FileShapes gives the shapes of res, the results of checking params, as
// model files and PyTorch's state_dict give them: a Linear weight, [in,
// out] in memory, is [out, in] (nn.Param.Transposed).
func FileShapes[T tensor.Float](params []*nn.Param[T], res []Result) {
	for i := range res {
		if i < len(params) && params[i].Transposed && params[i].Name == res[i].Name && len(res[i].Shape) == 2 {
			res[i].Shape = []int{res[i].Shape[1], res[i].Shape[0]}
		}
	}
}
