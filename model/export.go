package model

import (
	"errors"
	"fmt"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
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

// name returns the layer's state_dict name for suffix: "3.weight".
func (l exportLayer[T]) name(suffix string) string { return fmt.Sprintf("%d.%s", l.index, suffix) }

// exportPlan checks that spec describes net, as SaveWriter does (the same
// parameter and buffer names and shapes, and the same layer types in the
// same order), and returns net's layers with the shapes that one case of
// the input shape takes through them. The input shape is spec.Input or,
// if that is empty, the features of a first linear layer; a network whose
// input shape is unknown cannot be exported.
func exportPlan[T tensor.Float](net *nn.Sequential[T], spec nn.Spec) ([]exportLayer[T], error) {
	ref, err := nn.Build[T](spec, nn.Normal(0), rng.NewNumpy(0))
	if err != nil {
		return nil, fmt.Errorf("bad architecture: %w", err)
	}
	if err := restore(ref, encodeState(net), false); err != nil {
		return nil, fmt.Errorf("the network does not match its architecture: %w", err)
	}
	if len(net.Layers) != len(spec.Layers) {
		return nil, fmt.Errorf("the network has %d layers, its architecture %d", len(net.Layers), len(spec.Layers))
	}
	shape := spec.Input
	if len(shape) == 0 {
		if spec.Layers[0].Type != "linear" {
			return nil, errors.New("the architecture records no input shape")
		}
		shape = []int{spec.Layers[0].In}
	}
	plan := make([]exportLayer[T], len(spec.Layers))
	for i, ls := range spec.Layers {
		typ := layerType(net.Layers[i])
		if typ != ls.Type {
			return nil, fmt.Errorf("layer %d is %s (%T) but the architecture says %s", i, typ, net.Layers[i], ls.Type)
		}
		out, err := nn.Spec{Layers: spec.Layers[i : i+1]}.Validate(shape)
		if err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, ls.Type, err)
		}
		plan[i] = exportLayer[T]{index: i, typ: typ, layer: net.Layers[i], in: shape, out: out}
		shape = out
	}
	return plan, nil
}

// layerType returns the spec type of l: "linear", "relu", ..., or its Go
// type for a layer that no spec describes.
func layerType[T tensor.Float](l nn.Layer[T]) string {
	switch l := l.(type) {
	case *nn.Linear[T]:
		return "linear"
	case *nn.Conv2D[T]:
		return "conv2d"
	case *nn.MaxPool2D[T]:
		return "maxpool2d"
	case *nn.BatchNorm[T]:
		return "batchnorm"
	case *nn.Dropout[T]:
		return "dropout"
	case *nn.Flatten[T]:
		return "flatten"
	case *nn.Activation[T]:
		return l.Func.String()
	}
	return fmt.Sprintf("%T", l)
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
