package model

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/kiso-go/kiso/nn"
)

// This file writes the few ONNX messages that an exported network needs,
// field by field with protowire. The field numbers and enum values are
// those of onnx.proto (ONNX 1.12, IR version 8, as Debian's libonnx-dev
// ships it in /usr/include/onnx/onnx.proto); every field is proto2
// "optional" or unpacked "repeated", written in that encoding.

// ONNX IR and operator set versions of exported models: IR version 8
// (ONNX 1.10 and later read it) and the default-domain operator set 13,
// or a later one that a layer asks for (nn.ONNXGraph.Opset).
const (
	onnxIRVersion = 8
	onnxOpset     = 13
)

// Field numbers of onnx.proto's messages.
const (
	// ModelProto
	modelIRVersion     = 1
	modelProducerName  = 2
	modelDocString     = 6
	modelGraph         = 7
	modelOpsetImport   = 8
	modelMetadataProps = 14

	// OperatorSetIdProto
	opsetDomain  = 1
	opsetVersion = 2

	// StringStringEntryProto
	entryKey   = 1
	entryValue = 2

	// GraphProto
	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphDocString   = 10
	graphInput       = 11
	graphOutput      = 12

	// NodeProto
	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	// AttributeProto
	attrName = 1
	attrF    = 2
	attrI    = 3
	attrInts = 8
	attrType = 20

	// TensorProto
	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	// ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto and
	// TensorShapeProto.Dimension
	valueName      = 1
	valueType      = 2
	typeTensorType = 1
	tensorElemType = 1
	tensorShape    = 2
	shapeDim       = 1
	dimValue       = 1
	dimParam       = 2
)

// TensorProto.DataType values of the element types kiso exports.
const (
	onnxFloat  = 1  // float32
	onnxDouble = 11 // float64
)

// pb is a protocol buffers message being written: each method appends one
// field and returns the longer message.
type pb []byte

func (m pb) bytes(n protowire.Number, b []byte) pb {
	m = protowire.AppendTag(m, n, protowire.BytesType)
	return protowire.AppendBytes(m, b)
}

func (m pb) str(n protowire.Number, s string) pb {
	m = protowire.AppendTag(m, n, protowire.BytesType)
	return protowire.AppendString(m, s)
}

func (m pb) int(n protowire.Number, v int64) pb {
	m = protowire.AppendTag(m, n, protowire.VarintType)
	return protowire.AppendVarint(m, uint64(v))
}

func (m pb) float(n protowire.Number, v float32) pb {
	m = protowire.AppendTag(m, n, protowire.Fixed32Type)
	return protowire.AppendFixed32(m, math.Float32bits(v))
}

// marshalAttr returns the AttributeProto of a.
func marshalAttr(a nn.ONNXAttr) pb {
	m := pb(nil).str(attrName, a.Name).int(attrType, int64(a.Kind))
	switch a.Kind {
	case nn.ONNXInt:
		m = m.int(attrI, a.Int)
	case nn.ONNXFloat:
		m = m.float(attrF, a.Float)
	case nn.ONNXInts:
		for _, v := range a.Ints {
			m = m.int(attrInts, v)
		}
	}
	return m
}

// onnxNode is a NodeProto of the default domain.
type onnxNode struct {
	op, name string
	in, out  []string
	attrs    []nn.ONNXAttr
}

func (n onnxNode) marshal() pb {
	var m pb
	for _, s := range n.in {
		m = m.str(nodeInput, s)
	}
	for _, s := range n.out {
		m = m.str(nodeOutput, s)
	}
	m = m.str(nodeName, n.name).str(nodeOpType, n.op)
	for _, a := range n.attrs {
		m = m.bytes(nodeAttribute, marshalAttr(a))
	}
	return m
}

// onnxTensor returns a TensorProto called name of the given element type
// and dims, holding raw, its little-endian data.
func onnxTensor(name string, elem int64, dims []int, raw []byte) pb {
	var m pb
	for _, d := range dims {
		m = m.int(tensorDims, int64(d))
	}
	return m.int(tensorDataType, elem).str(tensorName, name).bytes(tensorRawData, raw)
}

// onnxValueInfo returns a ValueInfoProto for a tensor called name of the
// given element type and shape [batch, shape...], whose first dimension is
// the symbolic "batch".
func onnxValueInfo(name string, elem int64, shape []int) pb {
	dims := pb(nil).bytes(shapeDim, pb(nil).str(dimParam, "batch"))
	for _, d := range shape {
		dims = dims.bytes(shapeDim, pb(nil).int(dimValue, int64(d)))
	}
	tensor := pb(nil).int(tensorElemType, elem).bytes(tensorShape, dims)
	typ := pb(nil).bytes(typeTensorType, tensor)
	return pb(nil).str(valueName, name).bytes(valueType, typ)
}
