package model

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// MaxHeader is the largest safetensors header ReadSafetensors accepts, in
// bytes: the limit of the reference implementation (100 MB), which keeps a
// hostile length from making the reader parse or allocate without bound.
const MaxHeader = 100_000_000

// metadataKey is the header key of the free-form string-to-string map.
const metadataKey = "__metadata__"

// Named is one tensor of a safetensors file: its name, element type
// ("F32", "F64", ...; see DTypeSize), shape (row-major, outermost first) and
// raw little-endian bytes, len(Data) == product(Shape) × DTypeSize(DType).
// A rank-0 tensor (empty Shape) is a scalar; a tensor with a zero dimension
// has no data.
type Named struct {
	Name  string
	DType string
	Shape []int
	Data  []byte
}

// dtypes lists the element types of the safetensors format and their
// sizes in bytes, in the order of the reference implementation's Dtype enum
// (increasing alignment), which fixes the order in which the reference
// writer lays tensors out.
var dtypes = []struct {
	name string
	size int
}{
	{"BOOL", 1}, {"U8", 1}, {"I8", 1}, {"F8_E5M2", 1}, {"F8_E4M3", 1},
	{"I16", 2}, {"U16", 2}, {"F16", 2}, {"BF16", 2},
	{"I32", 4}, {"U32", 4}, {"F32", 4},
	{"F64", 8}, {"I64", 8}, {"U64", 8},
}

// dtypeRank returns the position of dtype in dtypes, or -1 if it is unknown.
func dtypeRank(dtype string) int {
	for i, d := range dtypes {
		if d.name == dtype {
			return i
		}
	}
	return -1
}

// DTypeSize returns the size in bytes of one element of dtype, or 0 if
// dtype is not a safetensors element type this package knows.
func DTypeSize(dtype string) int {
	if i := dtypeRank(dtype); i >= 0 {
		return dtypes[i].size
	}
	return 0
}

// byteLen returns the number of bytes a tensor of this dtype and shape
// holds, or an error if a dimension is negative or the size overflows.
func byteLen(dtype string, shape []int) (int, error) {
	size := DTypeSize(dtype)
	if size == 0 {
		return 0, fmt.Errorf("unknown dtype %q", dtype)
	}
	n := size
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d != 0 && n > maxInt/d {
			return 0, fmt.Errorf("shape %v of %s overflows", shape, dtype)
		}
		n *= d
	}
	return n, nil
}

const maxInt = int(^uint(0) >> 1)

// WriteSafetensors writes tensors and metadata to w in the safetensors
// format, laid out as the reference writer does: tensors sorted by
// decreasing dtype alignment then by name, "__metadata__" first in the
// header (omitted when metadata is empty), the header padded with spaces to a
// multiple of 8 bytes so that every tensor's data is aligned. The order of
// tensors in the slice does not matter.
//
// It returns an error, writing nothing, if a name is empty, repeated or
// "__metadata__", a dtype is unknown, or a tensor's data does not have the
// length its dtype and shape call for; otherwise the first write error.
func WriteSafetensors(w io.Writer, tensors []Named, metadata map[string]string) error {
	sorted := slices.Clone(tensors)
	slices.SortFunc(sorted, func(a, b Named) int {
		return cmp.Or(cmp.Compare(dtypeRank(b.DType), dtypeRank(a.DType)), cmp.Compare(a.Name, b.Name))
	})
	header, err := encodeHeader(sorted, metadata)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	for _, t := range sorted {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// encodeHeader returns the JSON header for tensors in the order given,
// padded with spaces to a multiple of 8 bytes.
func encodeHeader(tensors []Named, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if len(metadata) > 0 {
		writeJSONString(&b, metadataKey)
		b.WriteByte(':')
		m, err := marshalJSON(metadata)
		if err != nil {
			return nil, err
		}
		b.Write(m)
	}
	offset := 0
	seen := make(map[string]bool, len(tensors))
	for i, t := range tensors {
		switch {
		case t.Name == "":
			return nil, fmt.Errorf("safetensors: tensor %d has no name", i)
		case t.Name == metadataKey:
			return nil, fmt.Errorf("safetensors: a tensor cannot be named %q", metadataKey)
		case seen[t.Name]:
			return nil, fmt.Errorf("safetensors: tensor name %q appears twice", t.Name)
		}
		seen[t.Name] = true
		n, err := byteLen(t.DType, t.Shape)
		if err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %v", t.Name, err)
		}
		if len(t.Data) != n {
			return nil, fmt.Errorf("safetensors: tensor %q: shape %v of %s needs %d bytes, data has %d", t.Name, t.Shape, t.DType, n, len(t.Data))
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		writeJSONString(&b, t.Name)
		b.WriteString(`:{"dtype":`)
		writeJSONString(&b, t.DType)
		b.WriteString(`,"shape":[`)
		for j, d := range t.Shape {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, offset, offset+n)
		offset += n
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	return b.Bytes(), nil
}

// marshalJSON is json.Marshal without HTML escaping, as serde_json writes.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	m, _ := marshalJSON(s) // a string always marshals
	b.Write(m)
}
