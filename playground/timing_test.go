package playground

import (
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/tensor"
)

// countingLayer counts the Forward runs of the layer it wraps.
type countingLayer struct {
	nn.Layer[float64]
	runs int
}

func (c *countingLayer) Forward(x *tensor.Tensor[float64], train bool) *tensor.Tensor[float64] {
	c.runs++
	return c.Layer.Forward(x, train)
}

// TestTimingWorkBounded: timing the two gradients of the largest network
// a page may ask for on a toy set (6 hidden layers of 8, 2 classes: 402
// parameters) on 2000 points runs its output layer twice, once per method.
// Before, it took a numerical gradient, which runs it up to 2·402+1 = 805
// times (538 here, where ReLUs that are off cut some perturbations short;
// 1.2 s) each time a page connected; the estimate now weighs one forward
// pass by those 805 runs.
func TestTimingWorkBounded(t *testing.T) {
	c := DefaultConfig()
	c.Data, c.Points, c.Batch, c.TestRatio = "spiral", DefaultLimits.MaxPoints, DefaultLimits.MaxPoints, 0
	c.Layers = nil
	for range DefaultLimits.MaxLayers {
		c.Layers = append(c.Layers, Layer{DefaultLimits.MaxNeurons, "relu"})
	}
	l := mustLearner(t, c)
	out := &countingLayer{Layer: l.net.Layers[len(l.net.Layers)-1]}
	l.net.Layers[len(l.net.Layers)-1] = out
	if l.params() != 402 {
		t.Fatalf("%d parameters, want 402", l.params())
	}
	runs, _ := numgrad.LayersGradientRuns(l.net.Layers)
	if last := runs[len(runs)-1]; last != 805 {
		t.Errorf("a numerical gradient runs the output layer %d times, want 805", last)
	}
	before := weightsOf(l)
	bp, num := l.timeGradients(0)
	if out.runs != 2 {
		t.Errorf("timing ran the output layer %d times, want 2", out.runs)
	}
	if !(bp > 0 && num > bp) {
		t.Errorf("backprop %v, numerical %v: want both positive, numerical the larger", bp, num)
	}
	if !sameBits(before, weightsOf(l)) {
		t.Error("timing changed the weights")
	}
	// However long the budget, the runs stay within timeGradients' cap of
	// 1000 per method, not 1000 numerical gradients.
	out.runs = 0
	l.timeGradients(timingBudget)
	if out.runs < 2 || out.runs > 2000 {
		t.Errorf("timing with a budget ran the output layer %d times", out.runs)
	}
}
