package playground

import (
	"encoding/base64"
	"math"
	"strconv"
)

// Frame is one update of the page, sent as the data of a server-sent event
// "frame" (JSON). Fields marked "when changed" are present in a session's
// first frame to each page and afterwards only when they change.
type Frame struct {
	// Step is the number of training steps taken since the last reset.
	Step    int  `json:"step"`
	Playing bool `json:"playing"`
	// StepsPerSec is the training speed over the last half second or so;
	// UpdatesPerSec the rate of frames sent, measured the same way.
	StepsPerSec   float64 `json:"steps_per_sec"`
	UpdatesPerSec float64 `json:"updates_per_sec"`
	// Train and Test are the mean loss (softmax cross-entropy, without the
	// regularization term) and accuracy over each set; Test is omitted
	// when there is no test set.
	Train Metrics  `json:"train"`
	Test  *Metrics `json:"test,omitempty"`
	// History holds rows [step, train loss, test loss, train accuracy,
	// test accuracy] recorded since the previous frame (null for a missing
	// test set). With HistoryReset set it is the whole history, replacing
	// what the page holds.
	History      [][5]Num `json:"history,omitempty"`
	HistoryReset bool     `json:"history_reset,omitempty"`
	// Timing compares the two ways of taking the gradient on the current
	// network, measured about once a second.
	Timing Timing `json:"timing"`
	// Net is the network's layer sizes, activations and parameters.
	Net NetView `json:"net"`
	// Heat is the decision-boundary heatmap and Neurons every neuron's
	// thumbnail (see heatmaps), both omitted when not recomputed for this
	// frame (with many sessions playing, a session recomputes them every
	// few frames); Train, Test and History are measured with them.
	Heat    *HeatView `json:"heat,omitempty"`
	Neurons *Thumbs   `json:"neurons,omitempty"`
	// Points (when changed) are the data, test points flagged; Config
	// (when changed) the session's configuration, Custom included once the
	// points have been edited.
	Points []Point `json:"points,omitempty"`
	Config *Config `json:"config,omitempty"`
	// Error says why training stopped (divergence, no points); it is
	// cleared by the next successful step.
	Error string `json:"error,omitempty"`
	// View is the square [View[0], View[1]]² the heatmaps cover.
	View [2]Num `json:"view"`
	// Classes is the number of classes (the output layer's width).
	Classes int `json:"classes"`
}

// Metrics is a loss and an accuracy in [0, 1].
type Metrics struct {
	Loss     Num `json:"loss"`
	Accuracy Num `json:"accuracy"`
}

// Timing is the time of one gradient of the loss on one batch, in
// microseconds, by backpropagation and by central differences, and the
// number of parameters (the numerical gradient evaluates the loss twice
// per parameter). The numerical time is estimated from one forward pass
// timed layer by layer, not measured by taking the gradient, whose cost
// grows with the parameters (see learner.timeGradients).
type Timing struct {
	BackpropMicros  Num `json:"backprop_us"`
	NumericalMicros Num `json:"numerical_us"`
	Params          int `json:"params"`
}

// NetView describes the network: Sizes are the widths of its layers from
// the inputs (the features Inputs, Config.Features) to the classes, Activations those of the hidden layers,
// and W[k] and B[k] the weights (row-major [Sizes[k], Sizes[k+1]]: W[k][i·out+j]
// links neuron i of layer k to neuron j of layer k+1) and biases of the
// k-th Linear layer, rounded to 4 significant digits.
type NetView struct {
	Sizes       []int      `json:"sizes"`
	Inputs      []string   `json:"inputs"`
	Activations []string   `json:"activations"`
	W           [][]Weight `json:"w"`
	B           [][]Weight `json:"b"`
}

// HeatView is the decision-boundary heatmap: Side×Side cells over the
// view square, row-major from the top left, base64 bytes: Class the
// predicted class of each cell and Conf its probability scaled to 0..255.
type HeatView struct {
	Side  int    `json:"side"`
	Class string `json:"class"`
	Conf  string `json:"conf"`
}

// Thumbs holds one Side×Side thumbnail per neuron, base64 bytes (see
// heatmaps.neurons for their meaning).
type Thumbs struct {
	Side int    `json:"side"`
	Data string `json:"data"`
}

// Num is a float64 whose JSON form has 5 significant digits and is null
// for NaN and infinities.
type Num float64

// MarshalJSON implements json.Marshaler.
func (v Num) MarshalJSON() ([]byte, error) { return appendNum(nil, float64(v), 5), nil }

// Weight is a float64 whose JSON form has 4 significant digits (null for
// NaN and infinities).
type Weight float64

// MarshalJSON implements json.Marshaler.
func (v Weight) MarshalJSON() ([]byte, error) { return appendNum(nil, float64(v), 4), nil }

func appendNum(b []byte, v float64, digits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', digits, 64)
}

// netView returns the network's description with its current parameters.
func netView(l *learner) NetView {
	v := NetView{Sizes: []int{len(l.cfg.Features)}, Inputs: l.cfg.Features, Activations: make([]string, len(l.acts))}
	for i, f := range l.acts {
		v.Activations[i] = f.String()
	}
	for _, lin := range l.linears {
		v.Sizes = append(v.Sizes, lin.Out())
		v.W = append(v.W, weights(lin.W.Value.Data))
		v.B = append(v.B, weights(lin.B.Value.Data))
	}
	return v
}

func weights(data []float64) []Weight {
	w := make([]Weight, len(data))
	for i, x := range data {
		w[i] = Weight(x)
	}
	return w
}

var b64 = base64.StdEncoding
