package nn_test

import (
	"encoding/json"
	"fmt"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// This file is docs/layers.md's worked example: a layer kind added in one
// file, outside package nn, touching nothing else. Scale multiplies each
// feature by a learned factor, y = x ⊙ w.

// ScaleSpec is the kind's config: {"type": "scale", "features": 3}.
type ScaleSpec struct {
	Features int `json:"features"`
}

// The registration: the kind's name, its config's zero value, and the
// function that builds the layer, in float32 and float64.
func init() { nn.Register("scale", ScaleSpec{}, buildScale[float32], buildScale[float64]) }

func (ScaleSpec) Type() string { return "scale" }

// OutShape checks the config and an input case [features]; a nil input
// (rank unknown) checks the config alone.
func (s ScaleSpec) OutShape(in []int) ([]int, error) {
	if s.Features < 1 || s.Features > nn.MaxSize {
		return nil, fmt.Errorf("features %d: want 1 to %d", s.Features, nn.MaxSize)
	}
	if in != nil && (len(in) != 1 || in[0] >= 0 && in[0] != s.Features) {
		return nil, fmt.Errorf("input %v: want [%d]", in, s.Features)
	}
	return []int{s.Features}, nil
}

// Footprint counts the weights, and the output of one case (-1: unknown).
func (s ScaleSpec) Footprint(_, out []int) (int, int) {
	if out == nil {
		return s.Features, -1
	}
	return s.Features, s.Features
}

func buildScale[T tensor.Float](s ScaleSpec, _ *nn.Builder) (nn.Layer[T], error) {
	w := tensor.New[T](s.Features)
	w.Fill(1)
	return &Scale[T]{W: nn.NewParam("weight", w, false)}, nil
}

// Scale is the layer: x and y [batch, features], W [features].
type Scale[T tensor.Float] struct {
	W        *nn.Param[T]
	x, y, dx *tensor.Tensor[T]
}

// Forward returns x ⊙ W, row by row.
func (l *Scale[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	l.x, l.y = x, tensor.Reuse(l.y, x.Shape()...)
	f := len(l.W.Value.Data)
	for i, v := range x.Data {
		l.y.Data[i] = v * l.W.Value.Data[i%f]
	}
	return l.y
}

// Backward stores dW = Σ_batch dy ⊙ x and returns dx = dy ⊙ W.
func (l *Scale[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	l.dx = tensor.Reuse(l.dx, dy.Shape()...)
	f := len(l.W.Value.Data)
	l.W.Grad.Zero()
	for i, g := range dy.Data {
		l.W.Grad.Data[i%f] += g * l.x.Data[i]
		l.dx.Data[i] = g * l.W.Value.Data[i%f]
	}
	return l.dx
}

func (l *Scale[T]) Params() []*nn.Param[T] { return []*nn.Param[T]{l.W} }

// Spec describes the layer, so that model.Save can store it.
func (l *Scale[T]) Spec() nn.LayerSpec { return ScaleSpec{Features: len(l.W.Value.Data)} }

// ExportONNX writes Mul by an initializer named "<path>.weight".
func (l *Scale[T]) ExportONNX(g nn.ONNXGraph) (string, error) {
	w := make([]float64, len(l.W.Value.Data))
	for i, v := range l.W.Value.Data {
		w[i] = float64(v)
	}
	return g.Node("Mul", "scale", []string{g.Input(), g.Initializer("weight", []int{len(w)}, w)}), nil
}

// TorchModule defines a Scale class in the exported script, whose
// parameter weight gets the state_dict name "<path>.weight".
func (l *Scale[T]) TorchModule(g nn.TorchGraph) (string, error) {
	g.Define("Scale", `class Scale(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(features))

    def forward(self, x):
        return x * self.weight`)
	return fmt.Sprintf("Scale(%d)", len(l.W.Value.Data)), nil
}

var (
	_ nn.Layer[float64] = (*Scale[float64])(nil)
	_ nn.Specced        = (*Scale[float64])(nil)
	_ nn.ONNXExporter   = (*Scale[float64])(nil)
	_ nn.TorchExporter  = (*Scale[float64])(nil)
)

// A layer kind registered in its own file is at once a part of specs read
// from JSON (and so of model files), named by path, and checked against
// central differences like every other.
func Example_layerKind() {
	var spec nn.Spec
	js := `{"input": [3], "layers": [{"type": "linear", "in": 3, "out": 2}, {"type": "scale", "features": 2}]}`
	if err := json.Unmarshal([]byte(js), &spec); err != nil {
		panic(err)
	}
	net, err := nn.Build[float64](spec, nn.Xavier, rng.NewNumpy(0))
	if err != nil {
		panic(err)
	}
	for _, p := range net.Params() {
		fmt.Println(p.Name, p.Value.Shape())
	}
	r := rng.NewNumpy(1)
	tensor.FillNormal(net.Params()[2].Value, r, 1, 0.5) // the scale's weight, away from 1
	x, target := tensor.RandN[float64](r, 1, 4, 3), tensor.RandN[float64](r, 1, 4, 2)
	for _, res := range numgrad.Check(net, &loss.MSE[float64]{}, x, target, true, numgrad.H) {
		fmt.Printf("%s: relative error below 1e-7: %v\n", res.Name, res.MaxRelErr < 1e-7)
	}
	// Output:
	// 0.weight [3 2]
	// 0.bias [2]
	// 1.weight [2]
	// 0.weight: relative error below 1e-7: true
	// 0.bias: relative error below 1e-7: true
	// 1.weight: relative error below 1e-7: true
}
