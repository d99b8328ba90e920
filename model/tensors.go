package model

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"

	"github.com/kiso-go/kiso/tensor"
)

// DType returns the safetensors element type of T: "F32" for float32,
// "F64" for float64.
func DType[T tensor.Float]() string {
	if reflect.TypeFor[T]().Kind() == reflect.Float32 {
		return "F32"
	}
	return "F64"
}

// FromTensor returns t as a Named tensor of dtype DType[T](), its data
// encoded little-endian (a copy; t is not retained).
func FromTensor[T tensor.Float](name string, t *tensor.Tensor[T]) Named {
	return Named{Name: name, DType: DType[T](), Shape: append([]int{}, t.Shape()...), Data: encode(t.Data)}
}

// encode returns v as little-endian bytes of its own width.
func encode[T tensor.Float](v []T) []byte {
	if DType[T]() == "F32" {
		b := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(x)))
		}
		return b
	}
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(float64(x)))
	}
	return b
}

// ToTensor decodes n, of dtype F32 or F64, into a new tensor of n's shape,
// converting to T if the widths differ (float64 to float32 rounds to
// nearest). It returns an error for any other dtype or a data length that
// does not match the shape.
func ToTensor[T tensor.Float](n Named) (*tensor.Tensor[T], error) {
	size, err := byteLen(n.DType, n.Shape)
	if err != nil {
		return nil, fmt.Errorf("tensor %q: %v", n.Name, err)
	}
	if len(n.Data) != size {
		return nil, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes, has %d", n.Name, n.Shape, n.DType, size, len(n.Data))
	}
	t := tensor.New[T](n.Shape...)
	switch n.DType {
	case "F32":
		for i := range t.Data {
			t.Data[i] = T(math.Float32frombits(binary.LittleEndian.Uint32(n.Data[4*i:])))
		}
	case "F64":
		for i := range t.Data {
			t.Data[i] = T(math.Float64frombits(binary.LittleEndian.Uint64(n.Data[8*i:])))
		}
	default:
		return nil, fmt.Errorf("tensor %q: dtype %s, want F32 or F64", n.Name, n.DType)
	}
	return t, nil
}
