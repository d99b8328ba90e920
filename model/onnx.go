package model

import (
	"bufio"
	"fmt"
	"io"
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
func ExportONNX[T tensor.Float](path string, net *nn.Sequential[T], spec nn.Spec, info Info, opts ONNXOptions) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := WriteONNX(bw, net, spec, info, opts); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		return nil
	})
}

// WriteONNX writes net, which spec must describe (as for SaveWriter), to w
// as an ONNX model (IR version 8, operator set 13) for inference, with
// producer "kiso" and the architecture and info as JSON in its metadata
// ("kiso.architecture", "kiso.training").
//
// The graph's input "input" is [batch, spec.Input...] with a symbolic
// batch dimension; its output "logits" is [batch, out...], net's output in
// evaluation mode. Linear becomes Gemm with the weight as PyTorch's
// [out, in] and transB = 1 (after a Flatten when its input is not a
// vector); Conv2D, MaxPool2D, Flatten (axis 1) and BatchNorm
// (BatchNormalization with the running statistics) become the operators of
// those names; relu, sigmoid, tanh and leakyrelu become Relu, Sigmoid,
// Tanh and LeakyRelu (alpha nn.LeakySlope); step becomes Sign(Relu(x));
// identity and Dropout, identities at inference, are left out. Weights are
// initializers named by their state_dict names ("0.weight").
//
// It returns an error, writing nothing, if spec does not describe net, the
// input shape is unknown, opts.DType is not F32 or F64, or opts.Softmax is
// set for an output that is not a vector per case.
func WriteONNX[T tensor.Float](w io.Writer, net *nn.Sequential[T], spec nn.Spec, info Info, opts ONNXOptions) error {
	dtype, err := exportDType(opts.DType)
	if err != nil {
		return err
	}
	plan, err := exportPlan(net, spec)
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
	g := &onnxGraph{dtype: dtype, elem: onnxFloat, cur: "input"}
	if dtype == "F64" {
		g.elem = onnxDouble
	}
	for _, l := range plan {
		addONNXLayer(g, l)
	}
	// The last node's output is the graph's; a network of identities
	// alone needs a node to produce it.
	if len(g.nodes) == 0 {
		g.node("Identity", "identity", nil)
	}
	g.nodes[len(g.nodes)-1].out[0] = "logits"
	out := plan[len(plan)-1].out
	outputs := []pb{onnxValueInfo("logits", g.elem, out)}
	if opts.Softmax {
		if len(out) != 1 {
			return fmt.Errorf("Softmax needs an output vector per case, the network's output is %v", out)
		}
		g.nodes = append(g.nodes, onnxNode{op: "Softmax", name: "softmax", in: []string{"logits"},
			out: []string{"probabilities"}, attrs: []onnxAttr{intAttr("axis", -1)}})
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
		bytes(modelOpsetImport, pb(nil).str(opsetDomain, "").int(opsetVersion, onnxOpset)).
		bytes(modelMetadataProps, pb(nil).str(entryKey, "kiso.architecture").str(entryValue, string(arch))).
		bytes(modelMetadataProps, pb(nil).str(entryKey, "kiso.training").str(entryValue, string(training)))
	_, err = w.Write(m)
	return err
}

// onnxGraph collects the nodes and initializers of a graph as layers are
// added: values of dtype ("F32" or "F64"), which is ONNX element type
// elem. cur names the value the next node reads.
type onnxGraph struct {
	dtype string
	elem  int64
	nodes []onnxNode
	inits []pb
	cur   string
}

// node appends a node reading cur and the given initializers, writing a
// value called name, which becomes cur.
func (g *onnxGraph) node(op, name string, attrs []onnxAttr, inputs ...string) {
	g.nodes = append(g.nodes, onnxNode{op: op, name: name, in: append([]string{g.cur}, inputs...), out: []string{name}, attrs: attrs})
	g.cur = name
}

// initializer adds t, converted to the graph's dtype, as an initializer
// called name and returns name.
func initializer[T tensor.Float](g *onnxGraph, name string, t *tensor.Tensor[T]) string {
	g.inits = append(g.inits, onnxTensor(name, g.elem, t.Shape(), encodeAs(g.dtype, t.Data)))
	return name
}

// addONNXLayer appends the nodes and initializers of one layer.
func addONNXLayer[T tensor.Float](g *onnxGraph, l exportLayer[T]) {
	out := l.name(l.typ) // the layer's output: "3.relu"
	switch x := l.layer.(type) {
	case *nn.Linear[T]:
		if len(l.in) != 1 {
			g.node("Flatten", l.name("flatten"), []onnxAttr{intAttr("axis", 1)})
		}
		w := initializer(g, l.name("weight"), transpose(x.W.Value))
		b := initializer(g, l.name("bias"), x.B.Value)
		g.node("Gemm", out, []onnxAttr{intAttr("transB", 1)}, w, b)
	case *nn.Conv2D[T]:
		inputs := []string{initializer(g, l.name("weight"), x.W.Value)}
		if x.B != nil {
			inputs = append(inputs, initializer(g, l.name("bias"), x.B.Value))
		}
		g.node("Conv", out, windowAttrs(x.Window()), inputs...)
	case *nn.MaxPool2D[T]:
		g.node("MaxPool", out, windowAttrs(x.Window()))
	case *nn.BatchNorm[T]:
		g.node("BatchNormalization", out, []onnxAttr{floatAttr("epsilon", float32(x.Eps))},
			initializer(g, l.name("weight"), x.Gamma.Value),
			initializer(g, l.name("bias"), x.Beta.Value),
			initializer(g, l.name("running_mean"), x.RunningMean.Value),
			initializer(g, l.name("running_var"), x.RunningVar.Value))
	case *nn.Flatten[T]:
		g.node("Flatten", out, []onnxAttr{intAttr("axis", 1)})
	case *nn.Activation[T]:
		switch x.Func {
		case nn.ReLU:
			g.node("Relu", out, nil)
		case nn.Sigmoid:
			g.node("Sigmoid", out, nil)
		case nn.Tanh:
			g.node("Tanh", out, nil)
		case nn.LeakyReLU:
			g.node("LeakyRelu", out, []onnxAttr{floatAttr("alpha", nn.LeakySlope)})
		case nn.Step:
			// 1 if x > 0 else 0: the sign of max(x, 0).
			g.node("Relu", l.name("relu"), nil)
			g.node("Sign", out, nil)
		}
		// Identity: nothing to do.
	}
	// Dropout is the identity at inference: nothing to do.
}

// windowAttrs returns the Conv and MaxPool attributes of a window.
func windowAttrs(w nn.Window) []onnxAttr {
	p, s := int64(w.Pad), int64(w.Stride)
	return []onnxAttr{
		intsAttr("kernel_shape", int64(w.H), int64(w.W)),
		intsAttr("strides", s, s),
		intsAttr("pads", p, p, p, p),
	}
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
