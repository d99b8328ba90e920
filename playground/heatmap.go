package playground

import (
	"math"
	"strings"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// The decision-boundary heatmap has heatSide×heatSide cells; each neuron's
// thumbnail has neuronSide×neuronSide, every cell the mean of a 2×2 block
// of the heatmap's.
const (
	heatSide   = 60
	neuronSide = heatSide / 2
)

// heatmaps evaluates the network over a grid of the view square and keeps
// the results as bytes, ready for the page.
type heatmaps struct {
	lo, hi float64
	grid   *tensor.Tensor[float64] // [heatSide², 2] cell centres, row 0 at the top
	// feats holds the grid's features (Config.Features) when they are
	// not the coordinates themselves, for featsOf.
	feats   *tensor.Tensor[float64]
	featsOf string

	// Class and Conf hold, for every heatmap cell (row-major, top row
	// first), the predicted class and its probability scaled to 0..255.
	class, conf []byte
	// neurons holds one neuronSide² thumbnail per neuron: every hidden
	// neuron, input side first, then every output neuron. A byte b stands
	// for the value 2b/255 - 1 in [-1, 1]: a hidden neuron's activation
	// (divided by its largest magnitude over the grid for an unbounded
	// activation such as ReLU), an output neuron's probability mapped
	// from [0, 1].
	neurons []byte
	probs   []float64
}

// newHeatmaps returns the grid over [lo, hi]².
func newHeatmaps(lo, hi float64) *heatmaps {
	h := &heatmaps{lo: lo, hi: hi, grid: tensor.New[float64](heatSide*heatSide, 2)}
	d := (hi - lo) / heatSide
	for i := range heatSide {
		for j := range heatSide {
			k := i*heatSide + j
			h.grid.Data[2*k] = lo + (float64(j)+0.5)*d
			h.grid.Data[2*k+1] = hi - (float64(i)+0.5)*d
		}
	}
	return h
}

// update runs the grid through l's network and refreshes every byte.
func (h *heatmaps) update(l *learner) {
	h.neurons = h.neurons[:0]
	y := h.grid
	if fs := l.cfg.Features; !plainFeatures(fs) {
		if key := strings.Join(fs, ","); h.featsOf != key {
			h.feats, h.featsOf = featurize(h.feats, fs, h.grid.Data, heatSide*heatSide), key
		}
		y = h.feats
	}
	for _, layer := range l.net.Layers {
		y = layer.Forward(y, false)
		if a, ok := layer.(*nn.Activation[float64]); ok {
			h.appendNeurons(y, bounded(a.Func))
		}
	}
	// y holds the logits [cells, classes]; the probabilities are their
	// softmax, row by row.
	k := y.Cols()
	n := heatSide * heatSide
	h.probs = append(h.probs[:0], y.Data...)
	h.class = resize(h.class, n)
	h.conf = resize(h.conf, n)
	if k == 1 {
		h.regression()
		return
	}
	for i := range n {
		row := h.probs[i*k : (i+1)*k]
		softmaxInPlace(row)
		best := 0
		for c, p := range row {
			if p > row[best] {
				best = c
			}
		}
		h.class[i] = byte(best)
		h.conf[i] = toByte(row[best])
	}
	for c := range k {
		h.neurons = appendThumb(h.neurons, h.probs, k, c, func(p float64) float64 { return 2*p - 1 })
	}
}

// regression fills the heatmap of a regression from its output, h.probs
// (one value per cell): the colour of class 1 (blue) where the value is
// positive and of class 0 (orange) elsewhere, as strong as |value| (1 and
// more at full strength), and the output neuron's thumbnail the value
// clipped to [-1, 1].
func (h *heatmaps) regression() {
	for i, v := range h.probs {
		h.class[i] = 0
		if v > 0 {
			h.class[i] = 1
		}
		h.conf[i] = toByte(min(math.Abs(v), 1))
	}
	h.neurons = appendThumb(h.neurons, h.probs, 1, 0, func(v float64) float64 { return min(max(v, -1), 1) })
}

// appendNeurons appends the thumbnail of every column (neuron) of the
// activations a ([cells, neurons]).
func (h *heatmaps) appendNeurons(a *tensor.Tensor[float64], isBounded bool) {
	k := a.Cols()
	for c := range k {
		scale := 1.0
		if !isBounded {
			m := 0.0
			for i := c; i < len(a.Data); i += k {
				m = max(m, math.Abs(a.Data[i]))
			}
			if m > 0 {
				scale = 1 / m
			}
		}
		h.neurons = appendThumb(h.neurons, a.Data, k, c, func(v float64) float64 { return v * scale })
	}
}

// bounded reports whether f's values lie within [-1, 1] whatever its input.
func bounded(f nn.Func) bool { return f == nn.Tanh || f == nn.Sigmoid || f == nn.Step }

// appendThumb appends the neuronSide² thumbnail of column c of vals (a
// row-major [heatSide², k] matrix): each cell the mean of a 2×2 block,
// mapped by f to [-1, 1] and then to a byte.
func appendThumb(dst []byte, vals []float64, k, c int, f func(float64) float64) []byte {
	at := func(i, j int) float64 { return vals[(i*heatSide+j)*k+c] }
	for i := range neuronSide {
		for j := range neuronSide {
			m := (at(2*i, 2*j) + at(2*i, 2*j+1) + at(2*i+1, 2*j) + at(2*i+1, 2*j+1)) / 4
			dst = append(dst, toByte((f(m)+1)/2))
		}
	}
	return dst
}

// toByte maps v in [0, 1] to 0..255, clamping values outside (and NaN to 0).
func toByte(v float64) byte {
	if !(v > 0) {
		return 0
	}
	if v >= 1 {
		return 255
	}
	return byte(math.Round(v * 255))
}

// softmaxInPlace replaces row by its softmax.
func softmaxInPlace(row []float64) {
	m := math.Inf(-1)
	for _, v := range row {
		m = max(m, v)
	}
	var s float64
	for i, v := range row {
		row[i] = math.Exp(v - m)
		s += row[i]
	}
	for i := range row {
		row[i] /= s
	}
}

// resize returns b with length n, reusing its storage when it can.
func resize(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n)
}
