package model

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/kiso-go/kiso/nn"
)

// pbMsg is a decoded protocol buffers message: the values of each field
// number, varints and fixed32 as numbers, length-delimited fields as bytes.
type pbMsg struct {
	nums  map[protowire.Number][]uint64
	bytes map[protowire.Number][][]byte
}

// parsePB decodes one message's fields without knowing its schema.
func parsePB(t *testing.T, b []byte) pbMsg {
	t.Helper()
	m := pbMsg{map[protowire.Number][]uint64{}, map[protowire.Number][][]byte{}}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				t.Fatalf("field %d: %v", num, protowire.ParseError(n))
			}
			m.nums[num], b = append(m.nums[num], v), b[n:]
		case protowire.Fixed32Type:
			v, n := protowire.ConsumeFixed32(b)
			if n < 0 {
				t.Fatalf("field %d: %v", num, protowire.ParseError(n))
			}
			m.nums[num], b = append(m.nums[num], uint64(v)), b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				t.Fatalf("field %d: %v", num, protowire.ParseError(n))
			}
			m.bytes[num], b = append(m.bytes[num], v), b[n:]
		default:
			t.Fatalf("field %d has wire type %d, which the exporter never writes", num, typ)
		}
	}
	return m
}

// str returns the string in field n, "" if there is none.
func (m pbMsg) str(n protowire.Number) string {
	if v := m.bytes[n]; len(v) > 0 {
		return string(v[0])
	}
	return ""
}

// subs decodes the messages in field n.
func (m pbMsg) subs(t *testing.T, n protowire.Number) []pbMsg {
	var out []pbMsg
	for _, b := range m.bytes[n] {
		out = append(out, parsePB(t, b))
	}
	return out
}

// valueShape returns the name of a ValueInfoProto and its tensor's element
// type and dims, a dim_param as -1 and its name.
func valueShape(t *testing.T, v pbMsg) (name string, elem uint64, dims []int, params []string) {
	typ := v.subs(t, valueType)[0].subs(t, typeTensorType)[0]
	for _, d := range typ.subs(t, tensorShape)[0].subs(t, shapeDim) {
		if p := d.str(dimParam); p != "" {
			dims, params = append(dims, -1), append(params, p)
		} else {
			dims = append(dims, int(d.nums[dimValue][0]))
		}
	}
	return v.str(valueName), typ.nums[tensorElemType][0], dims, params
}

// exportSpecs are testSpecs, two networks that only exporters treat
// apart: one that computes the identity (its ONNX graph needs an Identity
// node to have an output at all), and one over sequences [channels,
// length] whose first Linear flattens them; and the stateless layer kinds
// that the round trip needs no case for: GELU in both forms, and LayerNorm
// on sequences (with epsilons that are powers of two: ONNX's epsilon is a
// float32 attribute, and float32(1e-5) would move the float64 outputs by
// 5e-12, past TestONNXRuntime's 1e-12); and the composite residualmlp
// block, whose parts export under their paths ("1.fc1.weight").
var exportSpecs = append(slices.Clone(testSpecs), []struct {
	name string
	spec nn.Spec
}{
	{"identities", nn.Spec{Input: []int{3}, Layers: nn.LayerSpecs{nn.ActivationSpec{Func: nn.Identity}, nn.DropoutSpec{P: 0.1}}}},
	{"sequences", nn.Spec{Input: []int{2, 5}, Layers: nn.LayerSpecs{
		nn.BatchNormSpec{Features: 2}, nn.ActivationSpec{Func: nn.Tanh}, nn.LinearSpec{In: 10, Out: 3},
	}}},
	{"gelu", nn.Spec{Input: []int{4}, Layers: nn.LayerSpecs{
		nn.LinearSpec{In: 4, Out: 5}, nn.GELUSpec{}, nn.LinearSpec{In: 5, Out: 5}, nn.GELUSpec{Approximate: "tanh"}, nn.LinearSpec{In: 5, Out: 3},
	}}},
	{"layernorm", nn.Spec{Input: []int{3, 4}, Layers: nn.LayerSpecs{
		nn.LayerNormSpec{Features: 4, Eps: 0x1p-17}, nn.ActivationSpec{Func: nn.Tanh}, nn.LayerNormSpec{Features: 4, Eps: 0x1p-10, NoBias: true},
		nn.LinearSpec{In: 12, Out: 3}, nn.LayerNormSpec{Features: 3, Eps: 0x1p-17},
	}}},
	{"residual", nn.Spec{Input: []int{3}, Layers: nn.LayerSpecs{
		nn.LinearSpec{In: 3, Out: 4}, nn.ResidualMLPSpec{Features: 4, Hidden: 5}, nn.ResidualMLPSpec{Features: 4, Hidden: 3, Activation: "tanh"}, nn.LinearSpec{In: 4, Out: 2},
	}}},
}...)

// onnxOps are the operators each of exportSpecs becomes: dropout and identity
// vanish, step becomes Relu then Sign, a linear layer Gemm.
var onnxOps = map[string][]string{
	"MLP":                   {"Gemm", "Tanh", "Gemm", "Tanh", "Gemm"},
	"MLP batchnorm dropout": {"Gemm", "BatchNormalization", "Relu", "Gemm"},
	"all activations":       {"Gemm", "Sigmoid", "Gemm", "LeakyRelu", "Gemm", "Relu", "Sign", "Gemm"},
	"convnet": {"Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "Flatten", "Gemm",
		"BatchNormalization", "Tanh", "Gemm"},
	"identities": {"Identity"},
	"sequences":  {"BatchNormalization", "Tanh", "Flatten", "Gemm"},
	"gelu": {"Gemm", "Mul", "Erf", "Add", "Mul", "Mul", "Gemm",
		"Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul", "Gemm"},
	"layernorm": {"LayerNormalization", "Tanh", "LayerNormalization", "Flatten", "Gemm", "LayerNormalization"},
	"residual":  {"Gemm", "Gemm", "Relu", "Gemm", "Add", "Gemm", "Tanh", "Gemm", "Add", "Gemm"},
}

// onnxOpsets are the operator set each of exportSpecs needs, if not 13:
// LayerNormalization came in opset 17.
var onnxOpsets = map[string]uint64{"layernorm": 17}

// TestWriteONNXGraph decodes exported models field by field and checks
// what an ONNX reader relies on: the versions, the operators in order, the
// input and outputs with a symbolic batch dimension, and initializers equal
// to the tensors of the kiso model file (whose layout TestLoadInPyTorch
// checks against PyTorch), converted to the exported dtype, besides the
// scalar constants of decomposed operators (GELU's ½). Whether the
// graph computes what kiso does is left to TestONNXRuntime.
func TestWriteONNXGraph(t *testing.T) {
	for _, tt := range exportSpecs {
		for _, opts := range []ONNXOptions{{}, {DType: "F64", Softmax: true}} {
			net := newNet[float32](t, tt.spec, 3)
			var b bytes.Buffer
			if err := WriteONNX(&b, net, testInfo(), opts); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			dtype, elem := "F32", uint64(onnxFloat)
			if opts.DType == "F64" {
				dtype, elem = "F64", onnxDouble
			}
			m := parsePB(t, b.Bytes())
			opset, wantOpset := m.subs(t, modelOpsetImport), uint64(13)
			if v, ok := onnxOpsets[tt.name]; ok {
				wantOpset = v
			}
			if !slices.Equal(m.nums[modelIRVersion], []uint64{8}) || m.str(modelProducerName) != "kiso" ||
				len(opset) != 1 || opset[0].str(opsetDomain) != "" || !slices.Equal(opset[0].nums[opsetVersion], []uint64{wantOpset}) {
				t.Errorf("%s: ir_version %v, producer %q, %d opsets (want version %d)", tt.name, m.nums[modelIRVersion], m.str(modelProducerName), len(opset), wantOpset)
			}
			g := m.subs(t, modelGraph)[0]

			var ops []string
			for _, n := range g.subs(t, graphNode) {
				ops = append(ops, n.str(nodeOpType))
			}
			want := slices.Clone(onnxOps[tt.name])
			if opts.Softmax {
				want = append(want, "Softmax")
			}
			if !slices.Equal(ops, want) {
				t.Errorf("%s %+v: operators %v, want %v", tt.name, opts, ops, want)
			}

			outShape, _ := tt.spec.Validate(nil)
			wantIO := []struct {
				name string
				dims []int
			}{{"input", append([]int{-1}, tt.spec.Input...)}, {"logits", append([]int{-1}, outShape...)}}
			if opts.Softmax {
				wantIO = append(wantIO, wantIO[1])
				wantIO[2].name = "probabilities"
			}
			values := append(g.subs(t, graphInput), g.subs(t, graphOutput)...)
			if len(values) != len(wantIO) {
				t.Fatalf("%s: %d inputs and outputs, want %d", tt.name, len(values), len(wantIO))
			}
			for i, v := range values {
				name, e, dims, params := valueShape(t, v)
				if name != wantIO[i].name || e != elem || !slices.Equal(dims, wantIO[i].dims) || !slices.Equal(params, []string{"batch"}) {
					t.Errorf("%s: value %q of type %d, dims %v %v; want %q %d %v [batch]", tt.name, name, e, dims, params, wantIO[i].name, elem, wantIO[i].dims)
				}
			}

			file := map[string]Named{}
			for _, n := range encodeState(net) {
				file[n.Name] = n
			}
			inits := g.subs(t, graphInitializer)
			state := 0
			for _, in := range inits {
				name := in.str(tensorName)
				f, ok := file[name]
				if !ok {
					if len(in.nums[tensorDims]) != 0 {
						t.Errorf("%s: initializer %q is not in the model file, nor a scalar constant", tt.name, name)
					}
					continue
				}
				state++
				var dims []int
				for _, d := range in.nums[tensorDims] {
					dims = append(dims, int(d))
				}
				v, err := ToTensor[float32](f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(dims, f.Shape) || !slices.Equal(in.nums[tensorDataType], []uint64{elem}) ||
					!bytes.Equal(in.bytes[tensorRawData][0], encodeAs(dtype, v.Data)) {
					t.Errorf("%s: initializer %q: dims %v, type %v, or data differ from the file's %v", tt.name, name, dims, in.nums[tensorDataType], f.Shape)
				}
			}
			if state != len(file) {
				t.Errorf("%s: %d initializers hold state, the model file has %d tensors", tt.name, state, len(file))
			}

			props := map[string]string{}
			for _, p := range m.subs(t, modelMetadataProps) {
				props[p.str(entryKey)] = p.str(entryValue)
			}
			arch, _ := marshalJSON(tt.spec)
			training, _ := marshalJSON(testInfo())
			if props["kiso.architecture"] != string(arch) || props["kiso.training"] != string(training) {
				t.Errorf("%s: metadata %v", tt.name, props)
			}
		}
	}
}

// TestWriteONNXInputShape checks that a network whose architecture records
// no input shape takes the first linear layer's features.
func TestWriteONNXInputShape(t *testing.T) {
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{})
	net := newNet[float64](t, spec, 5)
	spec.Input = nil
	var b bytes.Buffer
	if err := WriteONNX(&b, net, Info{}, ONNXOptions{}); err != nil {
		t.Fatal(err)
	}
	g := parsePB(t, b.Bytes()).subs(t, modelGraph)[0]
	if _, _, dims, _ := valueShape(t, g.subs(t, graphInput)[0]); !slices.Equal(dims, []int{-1, 3}) {
		t.Errorf("input dims %v, want [batch 3]", dims)
	}
}

func TestWriteONNXErrors(t *testing.T) {
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{})
	net := newNet[float64](t, spec, 5)
	conv := nn.Spec{Input: []int{1, 4, 4}, Layers: nn.LayerSpecs{nn.Conv2DSpec{In: 1, Out: 2, Kernel: 2}}}
	convNet := newNet[float64](t, conv, 5)
	noInput := nn.NewSequential(convNet.Layers...)
	tests := []struct {
		name string
		net  *nn.Sequential[float64]
		opts ONNXOptions
		want string
	}{
		{"dtype", net, ONNXOptions{DType: "F16"}, `dtype "F16": want F32 or F64`},
		{"softmax of images", convNet, ONNXOptions{Softmax: true}, "Softmax needs an output vector per case, the network's output is [2 3 3]"},
		{"no input shape", noInput, ONNXOptions{}, "the architecture records no input shape"},
		{"no spec", withLayer(net, 1, &noSpec[float64]{}), ONNXOptions{}, "layer 1 (*model.noSpec[float64]) has no spec"},
		{"no exporter", withLayer(net, 1, &double[float64]{}), ONNXOptions{},
			"layer 1 (double): 1 (*model.double[float64]) cannot be exported to ONNX: it has no ExportONNX method"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := WriteONNX(&b, tt.net, Info{}, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", tt.name, b.Len())
		}
	}
}

// TestExportONNXAtomic checks that a failed export leaves nothing behind
// and names the file.
func TestExportONNXAtomic(t *testing.T) {
	dir := t.TempDir()
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{})
	net := newNet[float64](t, spec, 5)
	path := filepath.Join(dir, "net.onnx")
	err := ExportONNX(path, net, Info{}, ONNXOptions{DType: "F16"})
	if err == nil || !strings.HasPrefix(err.Error(), "export "+path+": ") {
		t.Errorf("bad dtype: %v", err)
	}
	err = ExportONNX(filepath.Join(dir, "missing", "net.onnx"), net, Info{}, ONNXOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "cannot write "+filepath.Join(dir, "missing", "net.onnx")) {
		t.Errorf("missing folder: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed exports left %d files", len(entries))
	}
	if err := ExportONNX(path, net, Info{}, ONNXOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("export wrote nothing: %v", err)
	}
}
