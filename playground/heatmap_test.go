package playground

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/tensor"
)

// TestHeatmapMatchesNetwork checks every heatmap cell against the network
// run on the cell's centre alone.
func TestHeatmapMatchesNetwork(t *testing.T) {
	c := DefaultConfig()
	c.Data = "custom"
	c.Custom = []Point{{0, 0, 0, false, 0}, {1, 1, 1, false, 0}, {2, -1, 2, false, 0}}
	c.Layers = []Layer{{3, "relu"}, {2, "tanh"}}
	l := mustLearner(t, c)
	train(t, l, 50)
	lo, hi := c.view()
	h := newHeatmaps(lo, hi)
	h.update(l)

	cell := (hi - lo) / heatSide
	for i := 0; i < heatSide; i += 5 {
		for j := 0; j < heatSide; j += 3 {
			x := lo + cell*(float64(j)+0.5)
			y := hi - cell*(float64(i)+0.5)
			logits := l.net.Forward(tensor.FromSlice([]float64{x, y}, 1, 2), false).Data
			p := append([]float64(nil), logits...)
			softmaxInPlace(p)
			k := tensor.ArgmaxRows(tensor.FromSlice(p, 1, len(p)))[0]
			n := i*heatSide + j
			if int(h.class[n]) != k {
				t.Errorf("cell (%d, %d) at (%.3f, %.3f): class %d, network says %d", i, j, x, y, h.class[n], k)
			}
			if want := byte(math.Round(p[k] * 255)); h.conf[n] != want {
				t.Errorf("cell (%d, %d): confidence byte %d, want %d", i, j, h.conf[n], want)
			}
		}
	}
	// Thumbnails: 3 + 2 hidden neurons and 3 outputs.
	if got, want := len(h.neurons), (3+2+3)*neuronSide*neuronSide; got != want {
		t.Errorf("%d thumbnail bytes, want %d", got, want)
	}
	// The output thumbnails are the class probabilities: at each thumbnail
	// cell they sum to about 1, so their bytes to about 255.
	off := (3 + 2) * neuronSide * neuronSide
	for n := 0; n < neuronSide*neuronSide; n += 37 {
		s := 0
		for k := range 3 {
			s += int(h.neurons[off+k*neuronSide*neuronSide+n])
		}
		if s < 253 || s > 257 {
			t.Errorf("thumbnail cell %d: output bytes sum to %d, want 255 ± 2", n, s)
		}
	}
}

func TestToByte(t *testing.T) {
	for v, want := range map[float64]byte{-1: 0, 0: 0, 0.5: 128, 1: 255, 2: 255, math.NaN(): 0} {
		if got := toByte(v); got != want {
			t.Errorf("toByte(%v) = %d, want %d", v, got, want)
		}
	}
}
