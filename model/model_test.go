package model

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// testSpecs are the architectures the round-trip tests save and load: every
// layer type with state, in flat and image form.
var testSpecs = []struct {
	name string
	spec nn.Spec
}{
	{"MLP", nn.MLP(4, []int{6, 5}, 3, nn.Tanh, nn.MLPOptions{})},
	{"MLP batchnorm dropout", nn.MLP(4, []int{6}, 3, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.3})},
	{"all activations", nn.Spec{Input: []int{3}, Layers: nn.LayerSpecs{
		nn.LinearSpec{In: 3, Out: 4}, nn.ActivationSpec{Func: nn.Sigmoid}, nn.LinearSpec{In: 4, Out: 4}, nn.ActivationSpec{Func: nn.LeakyReLU},
		nn.LinearSpec{In: 4, Out: 4}, nn.ActivationSpec{Func: nn.Identity}, nn.ActivationSpec{Func: nn.Step}, nn.LinearSpec{In: 4, Out: 2},
	}}},
	{"convnet", nn.Spec{Input: []int{2, 6, 6}, Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 2, Out: 3, Kernel: 3, Pad: 1},
		nn.BatchNormSpec{Features: 3},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2},
		nn.Conv2DSpec{In: 3, Out: 4, Kernel: 2, KernelW: 1, Stride: 1, NoBias: true},
		nn.FlattenSpec{},
		nn.LinearSpec{In: 4 * 2 * 3, Out: 5},
		nn.BatchNormSpec{Features: 5},
		nn.ActivationSpec{Func: nn.Tanh},
		nn.LinearSpec{In: 5, Out: 3},
	}}},
}

// newNet builds spec with random weights and gives its BatchNorm layers
// running statistics and affine parameters away from their initial values,
// so that a load that skipped them would show.
func newNet[T tensor.Float](t testing.TB, spec nn.Spec, seed uint32) *nn.Sequential[T] {
	t.Helper()
	r := rng.NewNumpy(seed)
	net, err := nn.Build[T](spec, nn.He, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		tensor.FillNormal(p.Value, r, 0, 0.5)
	}
	for range 3 {
		net.Forward(tensor.RandN[T](r, 1, append([]int{5}, spec.Input...)...), true)
	}
	return net
}

// bits returns the values of a tensor as bytes, to compare bit for bit.
func bits[T tensor.Float](t *tensor.Tensor[T]) []byte { return encode(t.Data) }

func testInfo() Info {
	seed := uint64(0)
	return Info{Dataset: "toy", Classes: 3, ClassNames: []string{"a", "b", "c"}, Optimizer: "adam",
		LearningRate: 0.001, Epochs: 7, Accuracy: 0.875, Seed: &seed, Mean: []float64{1, 2}, Std: []float64{0.5, 4},
		Extra: map[string]string{"note": "<&> ünïcode"}}
}

func TestRoundTrip(t *testing.T) {
	for _, tt := range testSpecs {
		t.Run(tt.name+"/float64", func(t *testing.T) { roundTrip[float64, float64](t, tt.spec) })
		t.Run(tt.name+"/float32", func(t *testing.T) { roundTrip[float32, float32](t, tt.spec) })
		t.Run(tt.name+"/float64 as float32", func(t *testing.T) { roundTrip[float64, float32](t, tt.spec) })
		t.Run(tt.name+"/float32 as float64", func(t *testing.T) { roundTrip[float32, float64](t, tt.spec) })
	}
}

// roundTrip saves a network of type S and loads it as U: every parameter
// and buffer must come back as S's value converted to U, bit for bit, and
// so must the predictions when S is U.
func roundTrip[S, U tensor.Float](t *testing.T, spec nn.Spec) {
	net := newNet[S](t, spec, 1)
	path := filepath.Join(t.TempDir(), "net.kiso")
	if err := Save(path, net, testInfo()); err != nil {
		t.Fatal(err)
	}
	m, err := Load[U](path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Spec, spec) || !reflect.DeepEqual(m.Info, testInfo()) || m.DType != DType[S]() {
		t.Errorf("loaded spec %+v, info %+v, dtype %s", m.Spec, m.Info, m.DType)
	}
	want, got := state(net), state(m.Net)
	if len(got) != len(want) {
		t.Fatalf("loaded %d tensors, saved %d", len(got), len(want))
	}
	for i, s := range want {
		if got[i].name != s.name || !bytes.Equal(bits(got[i].value), bits(tensor.Convert[U](s.value))) {
			t.Errorf("%s: loaded %v, saved %v", s.name, got[i].value, s.value)
		}
	}
	if DType[S]() != DType[U]() {
		return
	}
	x := tensor.RandN[S](rng.NewNumpy(2), 1, append([]int{4}, spec.Input...)...)
	y := net.Forward(x, false).Clone()
	y2 := m.Net.Forward(tensor.Convert[U](x), false)
	if !bytes.Equal(bits(y), bits(y2)) {
		t.Errorf("predictions differ after loading:\n%v\n%v", y, y2)
	}
}

// TestFileLayout reads a saved file as plain safetensors: the names are
// PyTorch's state_dict names and Linear weights are [out, in].
func TestFileLayout(t *testing.T) {
	spec := nn.MLP(4, []int{6}, 3, nn.ReLU, nn.MLPOptions{BatchNorm: true})
	net := newNet[float32](t, spec, 3)
	var b bytes.Buffer
	if err := SaveWriter(&b, net, Info{}); err != nil {
		t.Fatal(err)
	}
	f, err := read(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range f.Tensors {
		names = append(names, n.Name)
		if n.DType != "F32" {
			t.Errorf("%s is %s", n.Name, n.DType)
		}
	}
	slices.Sort(names)
	want := []string{"0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "3.bias", "3.weight"}
	if !slices.Equal(names, want) {
		t.Errorf("tensors %v, want %v", names, want)
	}
	w, _ := f.Tensor("3.weight")
	wt, err := ToTensor[float32](w)
	if err != nil || !slices.Equal(wt.Shape(), []int{3, 6}) {
		t.Fatalf("3.weight: %v %v", wt, err)
	}
	kw := net.Layers[3].(*nn.Linear[float32]).W.Value
	for o := range 3 {
		for i := range 6 {
			if wt.At(o, i) != kw.At(i, o) {
				t.Fatalf("file 3.weight[%d][%d] = %v, kiso W[%d][%d] = %v", o, i, wt.At(o, i), i, o, kw.At(i, o))
			}
		}
	}
	for k, v := range map[string]string{"format": "kiso", "version": "1", "dtype": "F32", "training": "{}"} {
		if f.Metadata[k] != v {
			t.Errorf("metadata %s = %q, want %q", k, f.Metadata[k], v)
		}
	}
	if !strings.Contains(f.Metadata["architecture"], `{"type":"batchnorm","features":6}`) {
		t.Errorf("architecture %s", f.Metadata["architecture"])
	}
}

// kisoFile returns a kiso file whose metadata and tensors edit lets a test
// change before they are written.
func kisoFile(t testing.TB, edit func(meta map[string]string, tensors []Named) []Named) []byte {
	t.Helper()
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{BatchNorm: true})
	var b bytes.Buffer
	if err := SaveWriter(&b, newNet[float64](t, spec, 4), Info{Epochs: 2}); err != nil {
		t.Fatal(err)
	}
	f, err := read(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	tensors := f.Tensors
	if edit != nil {
		tensors = edit(f.Metadata, tensors)
	}
	return write(t, tensors, f.Metadata)
}

// without returns tensors without the one called name.
func without(tensors []Named, name string) []Named {
	return slices.DeleteFunc(slices.Clone(tensors), func(n Named) bool { return n.Name == name })
}

func TestLoadErrors(t *testing.T) {
	good := kisoFile(t, nil)
	if _, err := LoadReader[float32](bytes.NewReader(good), int64(len(good))); err != nil {
		t.Fatalf("the base file is rejected: %v", err)
	}
	meta := func(key, value string) []byte {
		return kisoFile(t, func(m map[string]string, ts []Named) []Named {
			if value == "" {
				delete(m, key)
			} else {
				m[key] = value
			}
			return ts
		})
	}
	tensors := func(edit func([]Named) []Named) []byte {
		return kisoFile(t, func(_ map[string]string, ts []Named) []Named { return edit(ts) })
	}
	hl := int(binary.LittleEndian.Uint64(good))
	// conv1x1 is a complete file of a 1×1 convolution padded by pad.
	conv1x1 := func(pad int) []byte {
		return kisoFile(t, func(m map[string]string, _ []Named) []Named {
			m["architecture"] = fmt.Sprintf(`{"input":[1,28,28],"layers":[{"type":"conv2d","in":1,"out":1,"kernel":1,"pad":%d,"no_bias":true}]}`, pad)
			return []Named{{"0.weight", "F64", []int{1, 1, 1, 1}, f64bytes(1)}}
		})
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"bad header length", setHeaderLen(good, 1<<60), `not a kiso model file: it starts with "\x00\x00\x00\x00\x00\x00\x00\x10"`},
		{"text file", []byte("these are my notes\n"), `not a kiso model file: it starts with "these ar"`},
		{"no JSON", append(binary.LittleEndian.AppendUint64(nil, 2), "[]"...), `not a kiso model file: it starts with "\x02\x00`},
		{"short", []byte("kiso"), "too short"},
		{"truncated", good[:len(good)-5], `file ends at byte ` + strconv.Itoa(len(good)-5) + `, tensor "3.weight" needs bytes`},
		{"truncated in header", good[:hl], "exceeds file size"},
		{"broken header", append(append(bytes.Clone(good[:9]), '['), good[10:]...), "bad header"},
		{"plain safetensors", write(t, []Named{{"w", "F32", []int{1}, f32bytes(1)}}, nil), "not a kiso model file: no __metadata__"},
		{"other format", meta("format", "pt"), `not a kiso model file: format "pt"`},
		{"other version", meta("version", "2"), `version "2"`},
		{"no dtype", meta("dtype", ""), `dtype ""`},
		{"dtype mismatch", meta("dtype", "F32"), "is F64 but the file's dtype is F32"},
		{"no architecture", meta("architecture", ""), "no architecture"},
		{"architecture not JSON", meta("architecture", "{"), "architecture"},
		{"architecture misspelt", meta("architecture", `{"layers":[{"type":"linear","inn":3,"out":4}]}`), "unknown field"},
		{"architecture trailing", meta("architecture", `{"layers":[]} {}`), "data after"},
		{"unknown layer type", meta("architecture", `{"layers":[{"type":"linear","in":3,"out":4},{"type":"batchnorm","features":4},{"type":"softplus"},{"type":"linear","in":4,"out":2}]}`), `unknown layer type "softplus"`},
		// The file holds Linear(3, 4): 12+4, BatchNorm(4): 4·4, Linear(4, 2): 8+2 = 42 values.
		{"huge architecture", meta("architecture", `{"layers":[{"type":"linear","in":1048576,"out":1048576}]}`), "has 1099512676352 parameter and buffer values but the file holds 42"},
		// Linear(1023, 1024) has 2²⁰ values, StateSlack: it is built and
		// compared; Linear(1024, 1024) has more and is refused unbuilt.
		{"architecture at the slack", meta("architecture", `{"layers":[{"type":"linear","in":1023,"out":1024}]}`), `tensor "0.weight" has shape [4 3] but the architecture wants [1024 1023]`},
		{"architecture past the slack", meta("architecture", `{"layers":[{"type":"linear","in":1024,"out":1024}]}`), "has 1049600 parameter and buffer values but the file holds 42"},
		{"overflowing architecture", meta("architecture", `{"layers":[{"type":"conv2d","in":4294967296,"out":4294967296,"kernel":4294967296}]}`), "size overflows"},
		// A file of a few hundred bytes whose architecture would hold
		// 1.6 billion values for one 28×28 case (12.8 GB in float64).
		{"conv padding 20000", conv1x1(20000), "more than nn.MaxActivations"},
		{"conv padding 2e9", conv1x1(2_000_000_000), "more than nn.MaxSize"},
		{"layers at the limit", meta("architecture", `{"layers":[`+strings.Repeat(`{"type":"relu"},`, MaxLayers-1)+`{"type":"relu"}]}`), `unexpected tensor "0.`},
		{"too many layers", meta("architecture", `{"layers":[`+strings.Repeat(`{"type":"dropout","p":0.5},`, MaxLayers)+`{"type":"relu"}]}`), "10001 layers, more than the limit of 10000"},
		{"training not JSON", meta("training", "[1]"), "training info"},
		{"missing tensor", tensors(func(ts []Named) []Named { return without(ts, "3.weight") }), `missing tensor "3.weight" of shape [2 4]`},
		{"missing buffer", tensors(func(ts []Named) []Named { return without(ts, "1.running_mean") }), `missing tensor "1.running_mean"`},
		{"extra tensor", tensors(func(ts []Named) []Named {
			return append(ts, Named{"9.weight", "F64", []int{1}, f64bytes(1)})
		}), `unexpected tensor "9.weight"`},
		{"wrong shape", tensors(func(ts []Named) []Named {
			return append(without(ts, "3.weight"), Named{"3.weight", "F64", []int{4, 2}, f64bytes(1, 2, 3, 4, 5, 6, 7, 8)})
		}), `tensor "3.weight" has shape [4 2] but the architecture wants [2 4]`},
		{"int tensor", tensors(func(ts []Named) []Named {
			return append(without(ts, "3.bias"), Named{"3.bias", "I64", []int{2}, make([]byte, 16)})
		}), `tensor "3.bias" is I64`},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".kiso")
			if err := os.WriteFile(path, tt.file, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := Load[float64](path)
			if err == nil {
				t.Fatalf("accepted: %+v", m)
			}
			if !strings.HasPrefix(err.Error(), "load "+path+": ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one naming the file and containing %q", err, tt.want)
			}
		})
	}
	if _, err := Load[float64](filepath.Join(dir, "absent.kiso")); err == nil || !strings.Contains(err.Error(), "absent.kiso: no such file") {
		t.Errorf("absent file: %v", err)
	}
	if _, err := Load[float64](dir); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("folder: %v", err)
	}
}

// TestSaveDerivesSpec checks that Save writes the architecture of the
// network itself: layers replaced after Build are described as they are,
// and a layer that cannot describe itself is named with its index.
func TestSaveDerivesSpec(t *testing.T) {
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{})
	net := newNet[float64](t, spec, 5)
	net.Layers[1] = nn.NewActivation[float64](nn.Tanh)
	var b bytes.Buffer
	if err := SaveWriter(&b, net, Info{}); err != nil {
		t.Fatal(err)
	}
	m, err := LoadReader[float64](bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Spec.Layers[1]; got != (nn.ActivationSpec{Func: nn.Tanh}) {
		t.Errorf("layer 1 saved as %v, want tanh", got)
	}
	net.Layers[1] = &noSpec[float64]{}
	b.Reset()
	err = SaveWriter(&b, net, Info{})
	if err == nil || !strings.Contains(err.Error(), "layer 1 (*model.noSpec[float64]) has no spec") {
		t.Errorf("a layer without a spec: %v", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes", b.Len())
	}
}

// TestSaveAtomic checks that a failed save leaves the existing file as it
// was, and no temporary file behind.
func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.kiso")
	spec := nn.MLP(3, []int{4}, 2, nn.ReLU, nn.MLPOptions{})
	if err := Save(path, newNet[float64](t, spec, 6), Info{}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	other := newNet[float64](t, nn.MLP(3, []int{7}, 2, nn.ReLU, nn.MLPOptions{}), 7)
	other.Layers[1] = &noSpec[float64]{}
	err = Save(path, other, Info{})
	if err == nil || !strings.HasPrefix(err.Error(), "save "+path+": ") {
		t.Fatalf("save of a layer without a spec: %v", err)
	}
	err = Save(path, newNet[float64](t, spec, 8), Info{Accuracy: math.NaN()})
	if err == nil || !strings.Contains(err.Error(), "training info") {
		t.Fatalf("save with a NaN accuracy: %v", err)
	}
	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("a failed save changed the file (%v)", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries after failed saves, want 1", len(entries))
	}
	if _, err := Load[float64](path); err != nil {
		t.Errorf("the kept file no longer loads: %v", err)
	}
	if err := Save(filepath.Join(dir, "missing", "net.kiso"), newNet[float64](t, spec, 6), Info{}); err == nil {
		t.Error("saved into a missing folder")
	}
}

func FuzzLoad(f *testing.F) {
	good := kisoFile(f, nil)
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(setHeaderLen(good, 1<<40))
	f.Add([]byte("these are my notes\n")) // a text file given as a model (issue 12)
	f.Add(kisoFile(f, func(m map[string]string, ts []Named) []Named {
		m["architecture"] = `{"input":[3],"layers":[{"type":"linear","in":3,"out":4},{"type":"batchnorm","features":4},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"linear","in":4,"out":2}]}`
		return ts
	}))
	f.Add(kisoFile(f, func(m map[string]string, ts []Named) []Named { return without(ts, "0.bias") }))
	// Hostile shapes (issue 12): truncated headers, a header length past
	// the file, a tensor whose shape wraps to 0 bytes or is negative.
	f.Add(good[:4])
	f.Add(good[:12])
	f.Add(setHeaderLen(good, 1<<63))
	f.Add(rawFile(`{"__metadata__":{"format":"kiso"},"0.weight":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,0]}}`, nil))
	f.Add(rawFile(`{"0.weight":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,16]}}`, make([]byte, 16)))
	f.Add(rawFile(`{"0.weight":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}`, nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := LoadReader[float32](bytes.NewReader(in), int64(len(in)))
		if err != nil {
			return
		}
		// Everything accepted has a network that runs on its input shape.
		if runnable(m.Spec) {
			m.Net.Forward(tensor.New[float32](append([]int{2}, m.Spec.Input...)...), false)
		}
	})
}

// FuzzLoadArchitecture plants architectures in an otherwise valid file, so
// that the fuzzer works on the JSON that nn.Build receives rather than on
// the safetensors container around it.
func FuzzLoadArchitecture(f *testing.F) {
	for _, tt := range testSpecs {
		arch, err := marshalJSON(tt.spec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(arch))
	}
	f.Add(`{"layers":[{"type":"linear","in":3,"out":4},{"type":"batchnorm","features":4},{"type":"relu"},{"type":"linear","in":4,"out":2}]}`)
	f.Add(`{"input":[3,2,2],"layers":[{"type":"maxpool2d","kernel":2,"pad":1},{"type":"flatten"},{"type":"dropout","p":0.5}]}`)
	f.Add(`{"layers":[{"type":"conv2d","in":1,"out":1,"kernel":-1}]}`)
	// Architectures past nn's limits (issue 12): a padding whose output
	// would fill memory, sizes near overflow, a huge Linear.
	f.Add(`{"input":[1,28,28],"layers":[{"type":"conv2d","in":1,"out":1,"kernel":1,"pad":20000}]}`)
	f.Add(`{"input":[1,28,28],"layers":[{"type":"conv2d","in":1,"out":1,"kernel":1,"pad":2000000000}]}`)
	f.Add(`{"input":[3],"layers":[{"type":"linear","in":3,"out":100000},{"type":"relu"},{"type":"linear","in":100000,"out":100000}]}`)
	f.Add(`{"input":[4611686018427387904],"layers":[{"type":"flatten"}]}`)
	f.Add(`{"input":[1099511627776,1099511627776],"layers":[{"type":"flatten"}]}`)
	f.Add(`{"input":[-1,28,28],"layers":[{"type":"flatten"}]}`)
	f.Add(`{"input":[3],"layers":[{"type":"linear","in":-3,"out":-4}]}`)
	f.Add(`{"input":[1,28,28],"layers":[{"type":"conv2d","in":1,"out":1,"kernel":3,"stride":0}]}`)
	f.Add(`{"input":[1,28,28],"layers":[{"type":"maxpool2d","kernel":9223372036854775807}]}`)
	f.Add(`{"input":[3],"layers":[{"type":"linear","in":3,"out":4}`) // truncated
	base := kisoFile(f, nil)
	file, err := read(base)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, arch string) {
		meta := maps.Clone(file.Metadata)
		meta["architecture"] = arch
		var b bytes.Buffer
		if err := WriteSafetensors(&b, file.Tensors, meta); err != nil {
			t.Fatal(err)
		}
		m, err := LoadReader[float64](bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			return
		}
		if runnable(m.Spec) {
			m.Net.Forward(tensor.New[float64](append([]int{2}, m.Spec.Input...)...), false)
		}
	})
}

// runnable reports whether a fuzz test can afford to run a network built
// from spec: it has an input shape and every layer's output has at most
// 1000 elements (a convolution with a wide padding could make a huge one).
func runnable(spec nn.Spec) bool {
	if len(spec.Input) == 0 || !small(spec.Input) {
		return false
	}
	for i := range spec.Layers {
		shape, err := nn.Spec{Input: spec.Input, Layers: spec.Layers[:i+1]}.Validate(nil)
		if err != nil || !small(shape) {
			return false
		}
	}
	return true
}

// small reports whether shape has at most 1000 elements, none unknown.
func small(shape []int) bool {
	n := 1
	for _, d := range shape {
		if d < 0 || d > 1000 {
			return false
		}
		n *= d
	}
	return n <= 1000
}
