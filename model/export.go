package model

import (
	"errors"
	"fmt"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// exportLayer is one layer of a network being exported: its index in the
// Sequential (the prefix of its state_dict names), its spec type
// ("linear", "relu", ...) and the shapes of one case going in and coming
// out, without the batch dimension.
type exportLayer[T tensor.Float] struct {
	index   int
	typ     string
	layer   nn.Layer[T]
	in, out []int
}

// exportPlan returns the architecture of net (nn.SpecOf) and its layers
// with the shapes that one case of the input shape takes through them. The
// input shape is the spec's Input or, if that is empty, the features of a
// first linear layer; a network whose input shape is unknown cannot be
// exported.
func exportPlan[T tensor.Float](net *nn.Sequential[T]) (nn.Spec, []exportLayer[T], error) {
	spec, err := nn.SpecOf(net)
	if err != nil {
		return nn.Spec{}, nil, err
	}
	chain, err := spec.Chain()
	if err != nil {
		return nn.Spec{}, nil, fmt.Errorf("bad architecture: %w", err)
	}
	if len(chain.Layers) != len(net.Layers) {
		return nn.Spec{}, nil, fmt.Errorf("the network has %d layers, its architecture %d", len(net.Layers), len(chain.Layers))
	}
	if len(chain.Layers) == 0 {
		return nn.Spec{}, nil, errors.New("bad architecture: spec has no layers")
	}
	shape := chain.Input
	if len(shape) == 0 {
		lin, ok := chain.Layers[0].(nn.LinearSpec)
		if !ok {
			return nn.Spec{}, nil, errors.New("the architecture records no input shape")
		}
		shape = []int{lin.In}
	}
	plan := make([]exportLayer[T], len(chain.Layers))
	for i, ls := range chain.Layers {
		out, err := ls.OutShape(shape)
		if err != nil {
			return nn.Spec{}, nil, fmt.Errorf("bad architecture: layer %d (%s): %w", i, ls.Type(), err)
		}
		plan[i] = exportLayer[T]{index: i, typ: ls.Type(), layer: net.Layers[i], in: shape, out: out}
		shape = out
	}
	return spec, plan, nil
}

// exportDType returns the dtype an exporter writes, "F32" for an empty
// one, or an error for anything but F32 and F64.
func exportDType(dtype string) (string, error) {
	switch dtype {
	case "", "F32":
		return "F32", nil
	case "F64":
		return "F64", nil
	}
	return "", fmt.Errorf("dtype %q: want F32 or F64", dtype)
}

// encodeAs returns v converted to dtype ("F32" or "F64") as little-endian
// bytes; converting float64 to float32 rounds to nearest.
func encodeAs[T tensor.Float](dtype string, v []T) []byte {
	if dtype == "F32" {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return encode(f)
	}
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return encode(f)
}
