package nn

import (
	"math"
	"strconv"
	"strings"
)

// Exporting a network to another framework is a walk over its layers, each
// writing itself; package model finds these optional interfaces on every
// layer and fails, naming the layer and its index, when one is missing.
// A layer kind implements them in its own file.

// ONNXExporter is implemented by layers that can write themselves into an
// ONNX graph.
type ONNXExporter interface {
	// ExportONNX adds the layer's nodes and initializers to g, reading the
	// value g.Input(), and returns the name of the value it outputs
	// (g.Input() itself for a layer that is the identity at inference).
	ExportONNX(g ONNXGraph) (string, error)
}

// ONNXGraph is the graph being written, as a layer sees it. Names of nodes,
// values and initializers are the layer's path ("3", "1.fc1") followed by a
// dot and the given suffix, so that initializers carry state_dict names.
type ONNXGraph interface {
	// Input returns the name of the value the layer reads, and InShape the
	// shape of one case of it, without the batch dimension.
	Input() string
	InShape() []int
	// Node adds a node of operator op reading inputs and writing one new
	// value, named by the layer's path and suffix, and returns that name.
	Node(op, suffix string, inputs []string, attrs ...ONNXAttr) string
	// Initializer adds a constant of the given shape and values (converted
	// to the graph's element type) named by the layer's path and suffix
	// ("3.weight"), and returns its name.
	Initializer(suffix string, shape []int, data []float64) string
	// Opset asks for operator set v or later (the graph's is 13 unless a
	// layer asks for more).
	Opset(v int)
	// Sub writes the child layer named name, reading value input of case
	// shape in, and returns its output value.
	Sub(name string, layer any, input string, in []int) (string, error)
}

// ONNXAttr is an attribute of an ONNX node: an int, a float or a list of
// ints, as its constructors make it.
type ONNXAttr struct {
	Name  string
	Kind  int // ONNXInt, ONNXFloat or ONNXInts
	Int   int64
	Float float32
	Ints  []int64
}

// The kinds of ONNXAttr, numbered as ONNX's AttributeProto.AttributeType.
const (
	ONNXFloat = 1
	ONNXInt   = 2
	ONNXInts  = 7
)

// IntAttr, FloatAttr and IntsAttr return ONNX node attributes.
func IntAttr(name string, v int64) ONNXAttr { return ONNXAttr{Name: name, Kind: ONNXInt, Int: v} }
func FloatAttr(name string, v float32) ONNXAttr {
	return ONNXAttr{Name: name, Kind: ONNXFloat, Float: v}
}
func IntsAttr(name string, v ...int64) ONNXAttr { return ONNXAttr{Name: name, Kind: ONNXInts, Ints: v} }

// windowAttrs returns the Conv and MaxPool attributes of a window.
func windowAttrs(w Window) []ONNXAttr {
	p, s := int64(w.Pad), int64(w.Stride)
	return []ONNXAttr{IntsAttr("kernel_shape", int64(w.H), int64(w.W)), IntsAttr("strides", s, s), IntsAttr("pads", p, p, p, p)}
}

// TorchExporter is implemented by layers that can write themselves as a
// PyTorch module.
type TorchExporter interface {
	// TorchModule returns the Python expression that builds the layer's
	// torch.nn module, whose state_dict names must be the layer's own
	// (those of Params and Buffers, plus TorchExtraState's).
	TorchModule(g TorchGraph) (string, error)
}

// TorchGraph is the PyTorch script being written, as a layer sees it.
type TorchGraph interface {
	// InShape returns the shape of one input case, without the batch
	// dimension.
	InShape() []int
	// Define adds Python code (a class a layer's expression uses) to the
	// script once, under name: a second Define of the same name is
	// ignored.
	Define(name, code string)
	// Sub returns the Python expression of a child layer reading cases of
	// shape in.
	Sub(layer any, in []int) (string, error)
}

// TorchExtraState is implemented by layers whose PyTorch module keeps state
// that kiso does not, such as BatchNorm's num_batches_tracked: the names
// of those tensors, which a PyTorch state_dict export writes as int64
// scalar zeros.
type TorchExtraState interface {
	TorchExtraState() []string
}

// PyFloat formats a float as Python reads it back exactly: 0.5, 1.0,
// 1e-05, float("nan").
func PyFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return `float("` + s + `")`
	case !strings.ContainsAny(s, ".e"):
		s += ".0"
	}
	return s
}

// floats returns v converted to float64, for ONNXGraph.Initializer.
func floats[T interface{ ~float32 | ~float64 }](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// transposed returns the values of a rows×cols matrix transposed.
func transposed[T interface{ ~float32 | ~float64 }](v []T, rows, cols int) []float64 {
	out := make([]float64, len(v))
	for i := range rows {
		for j := range cols {
			out[j*rows+i] = float64(v[i*cols+j])
		}
	}
	return out
}
