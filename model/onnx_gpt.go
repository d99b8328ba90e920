package model

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// onnxInt64 is ONNX's element type int64.
const onnxInt64 = 7

var _ nn.ONNXInt64Graph = (*onnxGraph)(nil)

// Int64Initializer adds an int64 constant (a shape, an index) named by
// the layer's path and suffix, and returns its name: what a GPT needs to
// split its attention heads (nn.ONNXInt64Graph).
func (g *onnxGraph) Int64Initializer(suffix string, shape []int, data []int64) string {
	name := g.path + "." + suffix
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	g.inits = append(g.inits, onnxTensor(name, onnxInt64, shape, raw))
	return name
}

// ONNXOpset returns the operator set WriteONNX writes net with: 13, or
// the later one a layer needs (17 for LayerNormalization, as in a GPT). It
// returns WriteONNX's error for a network it cannot export.
func ONNXOpset[T tensor.Float](net *nn.Sequential[T]) (int, error) {
	_, plan, err := exportPlan(net)
	if err != nil {
		return 0, err
	}
	g := &onnxGraph{dtype: "F32", elem: onnxFloat, opset: onnxOpset}
	cur := "input"
	for _, l := range plan {
		if cur, err = g.export(strconv.Itoa(l.index), l.layer, cur, l.in); err != nil {
			return 0, fmt.Errorf("layer %d (%s): %w", l.index, l.typ, err)
		}
	}
	return g.opset, nil
}
