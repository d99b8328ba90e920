package nn_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// residual returns a ResidualMLP with Xavier weights and small random
// biases, as linear does.
func residual(r *rng.MT, features, hidden int, f nn.Func) *nn.ResidualMLP[float64] {
	b := nn.NewResidualMLP[float64](features, hidden, f)
	for _, l := range []*nn.Linear[float64]{b.FC1, b.FC2} {
		l.Reset(nn.Xavier, r)
		tensor.FillNormal(l.B.Value, r, 0, 0.1)
	}
	return b
}

// TestResidualMLPGradients checks the block's parameters and input
// gradient against central differences in float64: alone under MSE (with
// tanh, smooth, and relu, whose kinks inputs drawn at random miss), two
// blocks in a row, and the "residualmlp" architecture under softmax
// cross-entropy. The skip connection adds dy to dx, which a wrong sum or a
// forgotten term would miss by O(1). Held to layerTolerance, as other
// compositions of layers.
func TestResidualMLPGradients(t *testing.T) {
	r := rng.NewNumpy(13)
	var cases []gradCase
	for _, f := range []nn.Func{nn.Tanh, nn.ReLU} {
		x := tensor.RandN[float64](r, 1, 5, 4)
		l, target := mse(r, 5, 4)
		cases = append(cases, gradCase{name: "alone " + f.String(), net: residual(r, 4, 6, f), x: x, t: target, l: l})
	}
	x := tensor.RandN[float64](r, 1, 5, 3)
	l, target := mse(r, 5, 3)
	cases = append(cases, gradCase{name: "two blocks", net: nn.NewSequential[float64](residual(r, 3, 5, nn.Tanh), residual(r, 3, 2, nn.Sigmoid)), x: x, t: target, l: l})

	spec, err := nn.Architecture("residualmlp", nn.ResidualMLPConfig{In: 3, Width: 4, Hidden: 5, Blocks: 2, Out: 3, Activation: "tanh"})
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.Build[float64](spec, nn.Xavier, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Params() {
		tensor.FillNormal(p.Value, r, 0, 0.5)
	}
	idx, _ := classTargets(r, 6, 3)
	cases = append(cases, gradCase{name: "architecture", net: net, x: tensor.RandN[float64](r, 1, 6, 3), t: idx, l: &loss.SoftmaxCrossEntropy[float64]{}})
	runGradCases(t, cases)
}

// TestResidualMLPForward checks the block's output against its formula
// computed from its parts, and that Backward returns dy plus the gradient
// through them.
func TestResidualMLPForward(t *testing.T) {
	r := rng.NewNumpy(2)
	b := residual(r, 3, 4, nn.ReLU)
	x := tensor.RandN[float64](r, 1, 2, 3)
	y := b.Forward(x, true).Clone()
	parts := nn.NewSequential[float64](b.FC1, b.Act, b.FC2)
	f := parts.Forward(x, true)
	for i := range y.Data {
		if y.Data[i] != x.Data[i]+f.Data[i] {
			t.Fatalf("output %d: %v, want x + f = %v", i, y.Data[i], x.Data[i]+f.Data[i])
		}
	}
	dy := tensor.RandN[float64](r, 1, 2, 3)
	through := parts.Backward(dy).Clone()
	b.Forward(x, true)
	dx := b.Backward(dy)
	for i := range dx.Data {
		if math.Abs(dx.Data[i]-(dy.Data[i]+through.Data[i])) > 1e-15 {
			t.Fatalf("dx %d: %v, want dy + through = %v", i, dx.Data[i], dy.Data[i]+through.Data[i])
		}
	}
}

// TestResidualMLPNames checks that parameters are named by path, as
// PyTorch's state_dict names a Sequential holding modules with attributes
// fc1, act and fc2, that the block describes itself, and that a block in
// two Sequentials is named in each without a doubled prefix.
func TestResidualMLPNames(t *testing.T) {
	net, err := nn.Build[float32](nn.Spec{Arch: "residualmlp", Config: json.RawMessage(`{"blocks":2}`)}, nn.He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range net.Params() {
		names = append(names, p.Name)
	}
	want := []string{"0.weight", "0.bias", "1.fc1.weight", "1.fc1.bias", "1.fc2.weight", "1.fc2.bias",
		"2.fc1.weight", "2.fc1.bias", "2.fc2.weight", "2.fc2.bias", "4.weight", "4.bias"}
	if !slices.Equal(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
	block := net.Layers[1].(*nn.ResidualMLP[float32])
	other := nn.NewSequential[float32](nn.NewActivation[float32](nn.Tanh), block)
	if got := other.Params()[0].Name; got != "1.fc1.weight" {
		t.Errorf("in a second Sequential the block's first parameter is %q", got)
	}
	if got := net.Params()[2].Name; got != "1.fc1.weight" {
		t.Errorf("after the second Sequential, the first names it %q", got)
	}
	if got := block.Params()[0]; got.Value != block.FC1.W.Value || got.Grad != block.FC1.W.Grad {
		t.Error("the block's parameter does not share fc1's tensors")
	}
	// A part replaced: Params follows.
	block.FC2 = nn.NewLinear[float32](32, 32)
	if p := net.Params()[4]; p.Value != block.FC2.W.Value {
		t.Error("Params did not follow a replaced part")
	}
}

// TestResidualMLPSpec checks the block's config and the architecture's:
// JSON written back as read, defaults, and what they refuse.
func TestResidualMLPSpec(t *testing.T) {
	for _, js := range []string{`{"type":"residualmlp","features":8,"hidden":16}`, `{"type":"residualmlp","features":8,"hidden":4,"activation":"tanh"}`} {
		var ls nn.LayerSpecs
		if err := json.Unmarshal([]byte("["+js+"]"), &ls); err != nil {
			t.Fatal(err)
		}
		l, err := nn.BuildLayer[float64](ls[0], &nn.Builder{Init: nn.He, Rand: rng.NewNumpy(1)})
		if err != nil {
			t.Fatal(err)
		}
		back, _ := json.Marshal(nn.LayerSpecs{l.(nn.Specced).Spec()})
		if string(back) != "["+js+"]" {
			t.Errorf("%s: written back as %s", js, back)
		}
	}
	s, err := nn.Architecture("residualmlp", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Chain()
	js, _ := json.Marshal(c)
	const want = `{"input":[2],"layers":[{"type":"linear","in":2,"out":32},{"type":"residualmlp","features":32,"hidden":32},{"type":"relu"},{"type":"linear","in":32,"out":2}]}`
	if string(js) != want {
		t.Errorf("default chain %s,\nwant %s", js, want)
	}
	for _, bad := range []struct {
		spec nn.Spec
		want string
	}{
		{nn.Spec{Input: []int{4}, Layers: nn.LayerSpecs{nn.ResidualMLPSpec{Features: 3, Hidden: 2}}}, "want vectors [3]"},
		{nn.Spec{Input: []int{2, 3}, Layers: nn.LayerSpecs{nn.ResidualMLPSpec{Features: 6, Hidden: 2}}}, "want vectors [6]"},
		{nn.Spec{Layers: nn.LayerSpecs{nn.ResidualMLPSpec{Features: 3}}}, "must be positive"},
		{nn.Spec{Layers: nn.LayerSpecs{nn.ResidualMLPSpec{Features: 3, Hidden: 2, Activation: "swish"}}}, `unknown activation "swish"`},
		{nn.Spec{Arch: "residualmlp", Config: json.RawMessage(`{"blocks":100000}`)}, "blocks 100000"},
		{nn.Spec{Arch: "residualmlp", Config: json.RawMessage(`{"depth":3}`)}, `unknown field "depth"`},
	} {
		if _, err := bad.spec.Validate(nil); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: %v, want an error containing %q", bad.spec, err, bad.want)
		}
	}
}

// TestResidualMLPFloat32 checks that float32 agrees with float64 to float32
// rounding, forward and backward.
func TestResidualMLPFloat32(t *testing.T) {
	r := rng.NewNumpy(4)
	b64 := residual(r, 8, 16, nn.ReLU)
	b32 := nn.NewResidualMLP[float32](8, 16, nn.ReLU)
	for i, p := range b64.Params() {
		b32.Params()[i].Value.CopyFrom(tensor.Convert[float32](p.Value))
	}
	x, dy := tensor.RandN[float64](r, 1, 5, 8), tensor.RandN[float64](r, 1, 5, 8)
	y := b64.Forward(x, true)
	y32 := b32.Forward(tensor.Convert[float32](x), true)
	dx := b64.Backward(dy)
	dx32 := b32.Backward(tensor.Convert[float32](dy))
	if d := max(tensor.MaxAbsDiff(tensor.Convert[float64](y32), y), tensor.MaxAbsDiff(tensor.Convert[float64](dx32), dx)); d > 1e-5 {
		t.Errorf("float32 and float64 differ by %v", d)
	}
}

// TestResidualMLPAllocations checks that a training step of the
// architecture allocates nothing once its buffers exist.
func TestResidualMLPAllocations(t *testing.T) {
	net, err := nn.Build[float64](nn.Spec{Arch: "residualmlp"}, nn.He, rng.NewNumpy(3))
	if err != nil {
		t.Fatal(err)
	}
	r := rng.NewNumpy(3)
	var l loss.SoftmaxCrossEntropy[float64]
	x := tensor.RandN[float64](r, 1, 16, 2)
	idx, _ := classTargets(r, 16, 2)
	step := func() {
		l.Forward(net.Forward(x, true), idx)
		net.Backward(l.Backward())
		net.Params()
	}
	step()
	if n := testing.AllocsPerRun(50, step); n != 0 && !nn.RaceEnabled {
		t.Errorf("a training step allocates %v times", n)
	}
}

// A composite module is a layer made of named parts: its parameters are
// named by their path, and a named architecture builds a chain of them from
// a JSON config.
func ExampleResidualMLP() {
	spec := nn.Spec{Arch: "residualmlp", Config: json.RawMessage(`{"in": 4, "width": 8, "hidden": 16, "blocks": 1, "out": 3}`)}
	net, err := nn.Build[float64](spec, nn.He, rng.NewNumpy(0))
	if err != nil {
		panic(err)
	}
	for _, p := range net.Params() {
		fmt.Println(p.Name, p.Value.Shape())
	}
	x := tensor.New[float64](5, 4)
	fmt.Println("scores", net.Forward(x, false).Shape())
	// Output:
	// 0.weight [4 8]
	// 0.bias [8]
	// 1.fc1.weight [8 16]
	// 1.fc1.bias [16]
	// 1.fc2.weight [16 8]
	// 1.fc2.bias [8]
	// 3.weight [8 3]
	// 3.bias [3]
	// scores [5 3]
}
