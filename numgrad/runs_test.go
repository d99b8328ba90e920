package numgrad_test

import (
	"slices"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// counting counts the Forward runs of the layer it wraps.
type counting struct {
	nn.Layer[float64]
	runs int
}

func (c *counting) Forward(x *tensor.Tensor[float64], train bool) *tensor.Tensor[float64] {
	c.runs++
	return c.Layer.Forward(x, train)
}

// countingLoss counts the Forward runs of a loss.
type countingLoss struct {
	loss.SoftmaxCrossEntropy[float64]
	runs int
}

func (c *countingLoss) Forward(y, t *tensor.Tensor[float64]) float64 {
	c.runs++
	return c.SoftmaxCrossEntropy.Forward(y, t)
}

// TestLayersGradientRuns: the counts LayersGradientRuns gives are the runs
// LayersGradient makes on a network where no perturbation is hidden
// (tanh, inputs without zeros), and bounds them on one where ReLUs that
// are off hide some.
func TestLayersGradientRuns(t *testing.T) {
	for _, act := range []nn.Func{nn.Tanh, nn.ReLU} {
		r := rng.NewNumpy(3)
		net, err := nn.Build[float64](nn.MLP(3, []int{6, 5}, 4, act, nn.MLPOptions{}), nn.Xavier, r)
		if err != nil {
			t.Fatal(err)
		}
		layers := make([]nn.Layer[float64], len(net.Layers))
		counters := make([]*counting, len(net.Layers))
		for k, l := range net.Layers {
			counters[k] = &counting{Layer: l}
			layers[k] = counters[k]
		}
		var sce countingLoss
		x, y := tensor.RandN[float64](r, 1, 7, 3), tensor.FromSlice([]float64{0, 1, 2, 3, 0, 1, 2})
		numgrad.LayersGradient(layers, &sce, x, y, true, numgrad.H)
		got := make([]int, len(counters))
		for k, c := range counters {
			got[k] = c.runs
		}
		want, wantLoss := numgrad.LayersGradientRuns(layers)
		// 3·6+6 + 6·5+5 + 5·4+4 = 83 parameter elements: the last layer
		// runs 2·83+1 times.
		if want[len(want)-1] != 167 || wantLoss != 167 {
			t.Errorf("%v: counts %v, loss %d; want the last 167", act, want, wantLoss)
		}
		if act == nn.Tanh && (!slices.Equal(got, want) || sce.runs != wantLoss) {
			t.Errorf("tanh: runs %v, loss %d; LayersGradientRuns %v, %d", got, sce.runs, want, wantLoss)
		}
		for k := range got {
			if got[k] > want[k] || sce.runs > wantLoss {
				t.Errorf("%v: runs %v, loss %d; more than LayersGradientRuns %v, %d", act, got, sce.runs, want, wantLoss)
			}
		}
	}
}
