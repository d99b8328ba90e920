package model

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// ONNXOptions are the choices of WriteONNX.
type ONNXOptions struct {
	// DType is the element type of the exported weights, input and
	// outputs: "F32" (the default when empty) or "F64". Weights of the
	// other width are converted (float64 to float32 rounds to nearest).
	// ONNX Runtime's CPU kernels cover float32 for every operator used
	// here, but it has no float64 Conv or LeakyRelu: export convolutional
	// networks and LeakyReLU as F32 to run them there.
	DType string
	// Softmax adds a second output, "probabilities": the softmax of the
	// logits along their last axis. The network's output must then be a
	// vector per case.
	Softmax bool
}

// ExportONNX writes net as an ONNX model to path, atomically: a failed
// export leaves any existing file untouched. See WriteONNX.
func ExportONNX[T tensor.Float](path string, net *nn.Sequential[T], info Info, opts ONNXOptions) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := WriteONNX(bw, net, info, opts); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		return nil
	})
}

// WriteONNX writes net to w as an ONNX model (IR version 8, operator set
// 13, or the later one a layer needs) for inference, with producer "kiso"
// and the architecture (nn.SpecOf(net)) and info as JSON in its metadata
// ("kiso.architecture", "kiso.training").
//
// The graph's input "input" is [batch, input shape...] with a symbolic
// batch dimension; its output "logits" is [batch, out...], net's output in
// evaluation mode. Every layer writes its own nodes (nn.ONNXExporter):
// Linear becomes Gemm with the weight as PyTorch's [out, in] and transB = 1
// (after a Flatten when its input is not a vector); Conv2D, MaxPool2D,
// Flatten (axis 1) and BatchNorm (BatchNormalization with the running
// statistics) become the operators of those names; relu, sigmoid, tanh and
// leakyrelu become Relu, Sigmoid, Tanh and LeakyRelu (alpha nn.LeakySlope);
// step becomes Sign(Relu(x)); identity and Dropout, identities at
// inference, are left out. Weights are initializers named by their
// state_dict names ("0.weight").
//
// It returns an error, writing nothing, if a layer cannot describe itself
// or has no ONNX exporter (naming the layer and its index), the input
// shape is unknown, opts.DType is not F32 or F64, or opts.Softmax is set
// for an output that is not a vector per case.
func WriteONNX[T tensor.Float](w io.Writer, net *nn.Sequential[T], info Info, opts ONNXOptions) error {
	dtype, err := exportDType(opts.DType)
	if err != nil {
		return err
	}
	spec, plan, err := exportPlan(net)
	if err != nil {
		return err
	}
	arch, err := marshalJSON(spec)
	if err != nil {
		return err
	}
	training, err := marshalJSON(info)
	if err != nil {
		return fmt.Errorf("training info: %w", err) // a NaN or Inf
	}
	g := &onnxGraph{dtype: dtype, elem: onnxFloat, opset: onnxOpset}
	if dtype == "F64" {
		g.elem = onnxDouble
	}
	cur := "input"
	for _, l := range plan {
		if cur, err = g.export(strconv.Itoa(l.index), l.layer, cur, l.in); err != nil {
			return fmt.Errorf("layer %d (%s): %w", l.index, l.typ, err)
		}
	}
	// The last value is the graph's output; a network of identities
	// alone needs a node to produce it.
	if cur == "input" {
		g.nodes = append(g.nodes, onnxNode{op: "Identity", name: "identity", in: []string{cur}, out: []string{"identity"}})
		cur = "identity"
	}
	for i := range g.nodes {
		if g.nodes[i].out[0] == cur {
			g.nodes[i].out[0] = "logits"
		}
	}
	out := plan[len(plan)-1].out
	outputs := []pb{onnxValueInfo("logits", g.elem, out)}
	if opts.Softmax {
		if len(out) != 1 {
			return fmt.Errorf("option Softmax needs an output vector per case, the network's output is %v", out)
		}
		g.nodes = append(g.nodes, onnxNode{op: "Softmax", name: "softmax", in: []string{"logits"},
			out: []string{"probabilities"}, attrs: []nn.ONNXAttr{nn.IntAttr("axis", -1)}})
		outputs = append(outputs, onnxValueInfo("probabilities", g.elem, out))
	}

	graph := pb(nil)
	for _, n := range g.nodes {
		graph = graph.bytes(graphNode, n.marshal())
	}
	graph = graph.str(graphName, "kiso")
	for _, t := range g.inits {
		graph = graph.bytes(graphInitializer, t)
	}
	graph = graph.str(graphDocString, describe(plan))
	graph = graph.bytes(graphInput, onnxValueInfo("input", g.elem, plan[0].in))
	for _, o := range outputs {
		graph = graph.bytes(graphOutput, o)
	}
	m := pb(nil).int(modelIRVersion, onnxIRVersion).
		str(modelProducerName, "kiso").
		str(modelDocString, "A kiso network for inference: input "+shapeString(plan[0].in)+", output logits "+shapeString(out)+".").
		bytes(modelGraph, graph).
		bytes(modelOpsetImport, pb(nil).str(opsetDomain, "").int(opsetVersion, int64(g.opset))).
		bytes(modelMetadataProps, pb(nil).str(entryKey, "kiso.architecture").str(entryValue, string(arch))).
		bytes(modelMetadataProps, pb(nil).str(entryKey, "kiso.training").str(entryValue, string(training)))
	_, err = w.Write(m)
	return err
}

// onnxGraph collects the nodes and initializers of a graph as layers add
// them (it is their nn.ONNXGraph): values of dtype ("F32" or "F64"), which
// is ONNX element type elem. path, input and in are those of the layer
// being written.
type onnxGraph struct {
	dtype string
	elem  int64
	opset int
	nodes []onnxNode
	inits []pb

	path, input string
	in          []int
}

func (g *onnxGraph) Input() string  { return g.input }
func (g *onnxGraph) InShape() []int { return slices.Clone(g.in) }
func (g *onnxGraph) Opset(v int)    { g.opset = max(g.opset, v) }

func (g *onnxGraph) Node(op, suffix string, inputs []string, attrs ...nn.ONNXAttr) string {
	name := g.path + "." + suffix
	g.nodes = append(g.nodes, onnxNode{op: op, name: name, in: inputs, out: []string{name}, attrs: attrs})
	return name
}

func (g *onnxGraph) Initializer(suffix string, shape []int, data []float64) string {
	name := g.path + "." + suffix
	g.inits = append(g.inits, onnxTensor(name, g.elem, shape, encodeAs(g.dtype, data)))
	return name
}

func (g *onnxGraph) Sub(name string, layer any, input string, in []int) (string, error) {
	path, inName, inShape := g.path, g.input, g.in
	defer func() { g.path, g.input, g.in = path, inName, inShape }()
	return g.export(path+"."+name, layer, input, in)
}

// export writes layer, at path, reading value input of case shape in, and
// returns its output value.
func (g *onnxGraph) export(path string, layer any, input string, in []int) (string, error) {
	e, ok := layer.(nn.ONNXExporter)
	if !ok {
		return "", fmt.Errorf("%s (%T) cannot be exported to ONNX: it has no ExportONNX method (nn.ONNXExporter)", path, layer)
	}
	g.path, g.input, g.in = path, input, in
	return e.ExportONNX(g)
}

// describe returns a graph's doc string: one line per kiso layer.
func describe[T tensor.Float](plan []exportLayer[T]) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kiso nn.Sequential of %d layers, input %s:\n", len(plan), shapeString(plan[0].in))
	for _, l := range plan {
		fmt.Fprintf(&b, "%d %s -> %s\n", l.index, l.typ, shapeString(l.out))
	}
	return b.String()
}

// shapeString formats a case shape with its batch dimension: "[batch, 1, 28, 28]".
func shapeString(shape []int) string {
	s := "[batch"
	for _, d := range shape {
		s += fmt.Sprintf(", %d", d)
	}
	return s + "]"
}
