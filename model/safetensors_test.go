package model

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// rawFile returns the safetensors bytes for a header given as JSON text,
// followed by data, with no padding.
func rawFile(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func f32bytes(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

func f64bytes(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func read(b []byte) (*File, error) { return ReadSafetensors(bytes.NewReader(b), int64(len(b))) }

func write(t testing.TB, tensors []Named, meta map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSafetensors(&b, tensors, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReferenceBytes checks WriteSafetensors against the byte-exact outputs
// that the reference implementation's own tests expect
// (huggingface/safetensors, safetensors/src/tensor.rs: test_serialization,
// test_serialization_forced_alignement and test_empty).
func TestReferenceBytes(t *testing.T) {
	data := f32bytes(0, 1, 2, 3, 4, 5)
	tests := []struct {
		name    string
		tensors []Named
		meta    map[string]string
		want    []byte
	}{
		{"serialization", []Named{{"attn.0", "F32", []int{1, 2, 3}, data}}, nil,
			rawFile(`{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}`, data)},
		{"forced alignment", []Named{{"attn0", "F32", []int{1, 1, 2, 3}, data}}, nil,
			rawFile(`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       `, data)},
		{"empty", nil, nil, rawFile(`{}      `, nil)},
		{"empty with metadata", nil, map[string]string{"framework": "pt"},
			rawFile(`{"__metadata__":{"framework":"pt"}}     `, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := write(t, tt.tensors, tt.meta)
			if !bytes.Equal(got, tt.want) {
				t.Errorf("wrote\n%q\nwant\n%q", got, tt.want)
			}
			if _, err := read(got); err != nil {
				t.Errorf("cannot read it back: %v", err)
			}
		})
	}
}

// TestReadHandcrafted reads a file built by hand the way Python's
// safetensors lays one out: metadata first, F64 before F32, each group by
// name, offsets contiguous, header padded with spaces.
func TestReadHandcrafted(t *testing.T) {
	header := `{"__metadata__":{"format":"pt","note":"<&>"},` +
		`"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},` +
		`"a.bias":{"dtype":"F32","shape":[3],"data_offsets":[16,28]},` +
		`"b":{"dtype":"F32","shape":[],"data_offsets":[28,32]},` +
		`"empty":{"dtype":"F32","shape":[0,4],"data_offsets":[32,32]}}`
	for len(header)%8 != 0 {
		header += " "
	}
	data := append(append(f64bytes(1.5, -2), f32bytes(0.25, 3, -7)...), f32bytes(42)...)
	file := rawFile(header, data)
	f, err := read(file)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"format": "pt", "note": "<&>"}; !reflect.DeepEqual(f.Metadata, want) {
		t.Errorf("metadata %v, want %v", f.Metadata, want)
	}
	var names []string
	for _, n := range f.Tensors {
		names = append(names, n.Name)
	}
	if want := []string{"w", "a.bias", "b", "empty"}; !reflect.DeepEqual(names, want) {
		t.Errorf("tensors %v, want %v in data order", names, want)
	}
	w, _ := f.Tensor("w")
	if got, err := ToTensor[float64](w); err != nil || !reflect.DeepEqual(got.Data, []float64{1.5, -2}) {
		t.Errorf("w = %v, %v", got, err)
	}
	bias, _ := f.Tensor("a.bias")
	if got, err := ToTensor[float32](bias); err != nil || !reflect.DeepEqual(got.Data, []float32{0.25, 3, -7}) {
		t.Errorf("a.bias = %v, %v", got, err)
	}
	if b, _ := f.Tensor("b"); len(b.Shape) != 0 || !bytes.Equal(b.Data, f32bytes(42)) {
		t.Errorf("scalar b = %+v", b)
	}
	if e, ok := f.Tensor("empty"); !ok || len(e.Data) != 0 || !reflect.DeepEqual(e.Shape, []int{0, 4}) {
		t.Errorf("empty = %+v", e)
	}
	// The writer lays the same content out byte for byte the same way.
	if got := write(t, f.Tensors, f.Metadata); !bytes.Equal(got, file) {
		t.Errorf("rewritten\n%q\nwant\n%q", got, file)
	}
}

func TestWriteRejects(t *testing.T) {
	ok := Named{"a", "F32", []int{2}, f32bytes(1, 2)}
	tests := []struct {
		name    string
		tensors []Named
		want    string
	}{
		{"no name", []Named{{"", "F32", nil, f32bytes(1)}}, "no name"},
		{"metadata name", []Named{{"__metadata__", "F32", nil, f32bytes(1)}}, "cannot be named"},
		{"repeated name", []Named{ok, {"a", "F64", nil, f64bytes(1)}}, "appears twice"},
		{"unknown dtype", []Named{{"x", "F128", nil, nil}}, "unknown dtype"},
		{"short data", []Named{{"x", "F32", []int{3}, f32bytes(1, 2)}}, "needs 12 bytes, data has 8"},
		{"negative dim", []Named{{"x", "F32", []int{-1}, nil}}, "negative"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := WriteSafetensors(&b, tt.tensors, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tt.name, b.Len())
		}
	}
}

func TestRoundTripDTypes(t *testing.T) {
	var tensors []Named
	for i, d := range dtypes {
		n := 1
		for range i % 3 {
			n *= 2
		}
		data := make([]byte, n*d.size)
		for j := range data {
			data[j] = byte(i*31 + j)
		}
		shape := []int{n}
		if i%4 == 0 {
			shape = []int{1, n}
		}
		tensors = append(tensors, Named{"t" + d.name, d.name, shape, data})
	}
	file := write(t, tensors, map[string]string{"k": "v"})
	f, err := read(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tensors) != len(tensors) {
		t.Fatalf("read %d tensors, wrote %d", len(f.Tensors), len(tensors))
	}
	pos := 8 + int(binary.LittleEndian.Uint64(file))
	for _, got := range f.Tensors {
		// Data is aligned to its element size within the file.
		if pos%DTypeSize(got.DType) != 0 {
			t.Errorf("tensor %s at byte %d is misaligned", got.Name, pos)
		}
		pos += len(got.Data)
		want := tensors[dtypeRank(got.DType)]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read %+v, wrote %+v", got, want)
		}
	}
}

// setHeaderLen returns a copy of file with its header length replaced.
func setHeaderLen(file []byte, n uint64) []byte {
	b := bytes.Clone(file)
	binary.LittleEndian.PutUint64(b, n)
	return b
}

func TestReadRejects(t *testing.T) {
	two := f32bytes(1, 2)
	tensor := func(name, dtype, shape, offsets string) string {
		return `"` + name + `":{"dtype":"` + dtype + `","shape":` + shape + `,"data_offsets":` + offsets + `}`
	}
	good := rawFile(`{`+tensor("a", "F32", "[2]", "[0,8]")+`}`, two)
	if _, err := read(good); err != nil {
		t.Fatalf("the base file is rejected: %v", err)
	}
	one := func(entry string, data []byte) []byte { return rawFile("{"+entry+"}", data) }
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty file", nil, "too short"},
		{"7 bytes", good[:7], "too short"},
		{"header length 2^60", setHeaderLen(good, 1<<60), fmt.Sprintf("header length 1152921504606846976 exceeds file size %d", len(good))},
		{"header length 2^64-1", setHeaderLen(good, math.MaxUint64), "exceeds file size"},
		{"header length past end", setHeaderLen(good, uint64(len(good)-7)), "exceeds file size"},
		{"header cut short", setHeaderLen(good, 10), "bad header"},
		{"empty header", rawFile("", nil), "not a JSON object"},
		{"not UTF-8", rawFile("{\"\xff\":1}", nil), "UTF-8"},
		{"not JSON", rawFile("hello", nil), "not a JSON object"},
		{"JSON array", rawFile("[]", nil), "not a JSON object"},
		{"truncated JSON", rawFile(`{"a":{"dtype":"F32"`, nil), "bad header"},
		{"trailing data", rawFile(`{} x`, nil), "after the JSON object"},
		{"two objects", rawFile(`{}{}`, nil), "after the JSON object"},
		{"null padding", rawFile("{}\x00\x00", nil), "bad header"},
		{"duplicate name", rawFile(`{`+tensor("a", "F32", "[1]", "[0,4]")+`,`+tensor("a", "F32", "[1]", "[4,8]")+`}`, two), `name "a" appears twice`},
		{"duplicate metadata", rawFile(`{"__metadata__":{},"__metadata__":{}}`, nil), "appears twice"},
		{"metadata not strings", rawFile(`{"__metadata__":{"a":1}}`, nil), "map of strings"},
		{"metadata null", rawFile(`{"__metadata__":null}`, nil), "map of strings"},
		{"tensor not object", rawFile(`{"a":[1]}`, nil), `tensor "a"`},
		{"unknown dtype", one(tensor("a", "F128", "[2]", "[0,8]"), two), `unknown dtype "F128"`},
		{"no dtype", one(`"a":{"shape":[2],"data_offsets":[0,8]}`, two), "no dtype"},
		{"no shape", one(`"a":{"dtype":"F32","data_offsets":[0,8]}`, two), "no shape"},
		{"no offsets", one(`"a":{"dtype":"F32","shape":[2]}`, two), "no data_offsets"},
		{"three offsets", one(tensor("a", "F32", "[2]", "[0,8,8]"), two), "want [begin, end]"},
		{"negative dim", one(tensor("a", "F32", "[-2]", "[0,8]"), two), `tensor "a"`},
		{"fractional dim", one(tensor("a", "F32", "[2.0]", "[0,8]"), two), `tensor "a"`},
		{"negative offset", one(tensor("a", "F32", "[2]", "[-8,0]"), two), `tensor "a"`},
		{"reversed offsets", one(tensor("a", "F32", "[0]", "[8,0]"), two), "not a byte range"},
		{"huge offsets", one(tensor("a", "U8", "[2]", "[18446744073709551614,18446744073709551615]"), two), "not a byte range"},
		{"shape overflow", one(tensor("a", "F32", "[4294967296,4294967296]", "[0,8]"), two), "overflows"},
		{"shape too big for dim", one(tensor("a", "F32", "[18446744073709551615]", "[0,8]"), two), "overflows"},
		{"span wrong for shape", one(tensor("a", "F32", "[3]", "[0,8]"), two), "needs 12 bytes but data_offsets [0, 8] span 8"},
		{"not from zero", one(tensor("a", "F32", "[1]", "[4,8]"), two), "start at 4, want 0"},
		{"gap", rawFile(`{`+tensor("a", "F32", "[1]", "[0,4]")+`,`+tensor("b", "U8", "[2]", "[6,8]")+`}`, two), `"b": data_offsets [6, 8] start at 6, want 4`},
		{"overlap", rawFile(`{`+tensor("a", "F32", "[2]", "[0,8]")+`,`+tensor("b", "F32", "[1]", "[4,8]")+`}`, two), "start at 4, want 8"},
		{"truncated data", good[:len(good)-3], fmt.Sprintf("file ends at byte %d, tensor \"a\" needs bytes %d..%d", len(good)-3, len(good)-8, len(good))},
		{"extra data", append(bytes.Clone(good), 0), "1 bytes after the last tensor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := read(tt.file)
			if err == nil {
				t.Fatalf("accepted: %+v", f)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one containing %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "safetensors: ") {
				t.Errorf("error %q does not start with safetensors:", err)
			}
		})
	}
}

// TestReadDishonestReader covers a reader that does not hold the size it
// was announced with: the reader must not trust size for allocation, and
// must report where the data ran out.
func TestReadDishonestReader(t *testing.T) {
	good := rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, f32bytes(1, 2))
	tests := []struct {
		name string
		r    []byte
		size int64
		want string
	}{
		{"header limit", setHeaderLen(good, MaxHeader+1), 1 << 40, "exceeds the limit of 100000000 bytes"},
		{"header ends early", setHeaderLen(good, MaxHeader), 1 << 40, "inside the 100000000-byte header"},
		{"data ends early", good[:len(good)-2], int64(len(good)), fmt.Sprintf(`file ends at byte %d, tensor "a" needs bytes %d..%d`, len(good)-2, len(good)-8, len(good))},
		{"more than size", append(bytes.Clone(good), 1, 2), int64(len(good)), fmt.Sprintf("more data after byte %d", len(good))},
		{"length ends early", good[:5], int64(len(good)), "file ends at byte 5 inside the 8-byte header length"},
	}
	for _, tt := range tests {
		_, err := ReadSafetensors(bytes.NewReader(tt.r), tt.size)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	// A reader that returns one byte at a time is read completely.
	if _, err := ReadSafetensors(iotest.OneByteReader(bytes.NewReader(good)), int64(len(good))); err != nil {
		t.Errorf("one byte at a time: %v", err)
	}
}

func TestToTensorConverts(t *testing.T) {
	n := Named{"x", "F64", []int{2, 2}, f64bytes(0.1, -1, 1e300, 3)}
	got, err := ToTensor[float32](n)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{0.1, -1, float32(math.Inf(1)), 3}; !reflect.DeepEqual(got.Data, want) || !reflect.DeepEqual(got.Shape(), []int{2, 2}) {
		t.Errorf("F64 to float32: %v %v", got.Shape(), got.Data)
	}
	for _, bad := range []Named{
		{"x", "I32", []int{1}, make([]byte, 4)},
		{"x", "F32", []int{2}, make([]byte, 4)},
		{"x", "F32", []int{-2}, nil},
	} {
		if _, err := ToTensor[float64](bad); err == nil {
			t.Errorf("ToTensor accepted %+v", bad)
		}
	}
	back := FromTensor("y", got)
	if back.DType != "F32" || !bytes.Equal(back.Data, f32bytes(0.1, -1, float32(math.Inf(1)), 3)) {
		t.Errorf("FromTensor = %+v", back)
	}
}

func FuzzReadSafetensors(f *testing.F) {
	good := rawFile(`{"__metadata__":{"a":"b"},"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}`, append(f64bytes(1), f32bytes(2, 3)...))
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(setHeaderLen(good, 1<<62))
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`, nil))
	f.Add(rawFile(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}`, nil))
	f.Add([]byte{})
	// Hostile shapes (issue 12): products that wrap to 0 bytes, negative
	// and overflowing dimensions and offsets, truncated headers.
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,0]}}`, nil))
	f.Add(rawFile(`{"a":{"dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,0]}}`, nil))
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,16]}}`, make([]byte, 16)))
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[18446744073709551612,18446744073709551615]}}`, nil))
	f.Add(rawFile(`{"a":{"dtype":"F32","shape":[1e30],"data_offsets":[0,4]}}`, make([]byte, 4)))
	f.Add(good[:5])
	f.Add(good[:12])
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := read(in)
		if err != nil {
			return
		}
		// What is accepted is consistent and all there is.
		total := 0
		for _, n := range file.Tensors {
			size, err := byteLen(n.DType, n.Shape)
			if err != nil || size != len(n.Data) {
				t.Fatalf("accepted tensor %+v: %v", n, err)
			}
			total += size
		}
		if hl := binary.LittleEndian.Uint64(in); uint64(len(in)) != 8+hl+uint64(total) {
			t.Fatalf("accepted %d bytes with a %d-byte header and %d bytes of data", len(in), hl, total)
		}
		// And it survives a round trip.
		var b bytes.Buffer
		if err := WriteSafetensors(&b, file.Tensors, file.Metadata); err != nil {
			t.Fatalf("cannot rewrite an accepted file: %v", err)
		}
		again, err := read(b.Bytes())
		if err != nil {
			t.Fatalf("cannot reread a rewritten file: %v", err)
		}
		for _, n := range file.Tensors {
			if m, ok := again.Tensor(n.Name); !ok || !reflect.DeepEqual(m.Shape, n.Shape) || !bytes.Equal(m.Data, n.Data) || m.DType != n.DType {
				t.Fatalf("tensor %q changed in a round trip", n.Name)
			}
		}
	})
}
