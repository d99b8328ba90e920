package model

import (
	"encoding/binary"

	"github.com/kiso-go/kiso/nn"
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
