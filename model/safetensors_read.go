package model

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// File is the content of a safetensors file.
type File struct {
	// Tensors are in the order of their data in the file. Their Data
	// slices share one buffer.
	Tensors []Named
	// Metadata is the header's "__metadata__" map, nil if it has none.
	Metadata map[string]string
}

// Tensor returns the tensor called name and whether there is one.
func (f *File) Tensor(name string) (Named, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Named{}, false
}

// entry is a tensor as the header describes it: data_offsets [begin, end)
// relative to the start of the data section.
type entry struct {
	Named
	begin, end int
}

// ReadSafetensors reads a safetensors file of size bytes from r and checks
// everything a hostile file could get wrong before trusting it: the header
// length (at most MaxHeader and within size), the header (UTF-8, one JSON
// object, no repeated name, "__metadata__" a map of strings, each tensor a
// known dtype, a shape of non-negative integers and two data_offsets), the
// offsets (contiguous from 0, each span exactly the bytes its dtype and
// shape need) and the file length (exactly header plus data). Its buffers
// grow with what r delivers, not with the lengths the file claims, and it
// reads the header only if its length is within size and MaxHeader; r must
// hold exactly size bytes.
//
// Errors say what is wrong and where, e.g. "safetensors: header length
// 1152921504606846976 exceeds file size 1234".
func ReadSafetensors(r io.Reader, size int64) (*File, error) {
	if size < 8 {
		return nil, fmt.Errorf("safetensors: file is %d bytes, too short for the 8-byte header length", size)
	}
	var nb [8]byte
	if k, err := io.ReadFull(r, nb[:]); err != nil {
		return nil, fmt.Errorf("safetensors: file ends at byte %d inside the 8-byte header length: %w", k, unexpected(err))
	}
	n := binary.LittleEndian.Uint64(nb[:])
	switch {
	case n > uint64(size-8):
		return nil, fmt.Errorf("safetensors: header length %d exceeds file size %d", n, size)
	case n > MaxHeader:
		return nil, fmt.Errorf("safetensors: header length %d exceeds the limit of %d bytes", n, MaxHeader)
	}
	header, err := readN(r, int64(n))
	if err != nil {
		return nil, fmt.Errorf("safetensors: file ends at byte %d inside the %d-byte header: %w", 8+len(header), n, err)
	}
	entries, metadata, err := parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("safetensors: bad header: %w", err)
	}
	dataStart := 8 + int64(n)
	if err := checkLayout(entries, dataStart, size); err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	data, err := readData(r, entries, dataStart)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	f := &File{Tensors: make([]Named, len(entries)), Metadata: metadata}
	for i, e := range entries {
		f.Tensors[i] = e.Named
		f.Tensors[i].Data = data[e.begin:e.end:e.end]
	}
	return f, nil
}

// unexpected turns a clean io.EOF, which io.ReadFull returns when it read
// nothing, into io.ErrUnexpectedEOF: the reader promised more.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// checkLayout checks that the entries, in data order, tile the data
// section [0, size-dataStart) exactly, and sorts them by offset.
func checkLayout(entries []entry, dataStart, size int64) error {
	slices.SortStableFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end))
	})
	next := 0
	for _, e := range entries {
		if e.begin != next {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] start at %d, want %d (offsets must be contiguous, without gaps or overlaps)", e.Name, e.begin, e.end, e.begin, next)
		}
		next = e.end
	}
	avail := size - dataStart
	if int64(next) > avail {
		for _, e := range entries {
			if int64(e.end) > avail {
				return fmt.Errorf("file ends at byte %d, tensor %q needs bytes %d..%d", size, e.Name, dataStart+int64(e.begin), dataStart+int64(e.end))
			}
		}
	}
	if int64(next) < avail {
		return fmt.Errorf("%d bytes after the last tensor (tensor data ends at byte %d, the file at byte %d)", avail-int64(next), dataStart+int64(next), size)
	}
	return nil
}

// readData reads the data section that the sorted entries describe and
// checks that r then ends.
func readData(r io.Reader, entries []entry, dataStart int64) ([]byte, error) {
	total := 0
	if len(entries) > 0 {
		total = entries[len(entries)-1].end
	}
	data, err := readN(r, int64(total))
	if err != nil {
		k := len(data)
		for _, e := range entries {
			if e.end > k {
				return nil, fmt.Errorf("file ends at byte %d, tensor %q needs bytes %d..%d: %w", dataStart+int64(k), e.Name, dataStart+int64(e.begin), dataStart+int64(e.end), err)
			}
		}
		return nil, err
	}
	var extra [1]byte
	if m, _ := io.ReadFull(r, extra[:]); m > 0 {
		return nil, fmt.Errorf("more data after byte %d, the declared file size", dataStart+int64(total))
	}
	return data, nil
}

// readN reads n bytes from r, growing its buffer only as they arrive, so
// that a wrong n costs no more memory than r holds. If r ends early it
// returns what it read and io.ErrUnexpectedEOF.
func readN(r io.Reader, n int64) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(n, 1<<20)))
	_, err := io.CopyN(&buf, r, n)
	return buf.Bytes(), unexpected(err)
}

// tensorInfo is a header entry as JSON has it; pointers tell a missing
// field from a zero one.
type tensorInfo struct {
	DType       *string   `json:"dtype"`
	Shape       *[]uint64 `json:"shape"`
	DataOffsets *[]uint64 `json:"data_offsets"`
}

// parseHeader decodes the JSON header into entries (in header order) and
// the metadata map, checking each entry on its own.
func parseHeader(header []byte) ([]entry, map[string]string, error) {
	if !utf8.Valid(header) {
		return nil, nil, errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, fmt.Errorf("not a JSON object")
	}
	var (
		entries  []entry
		metadata map[string]string
		seen     = map[string]bool{}
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("invalid JSON: %v", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, nil, fmt.Errorf("invalid JSON: object key %v", tok)
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("name %q appears twice", name)
		}
		seen[name] = true
		if name == metadataKey {
			if err := dec.Decode(&metadata); err != nil || metadata == nil {
				return nil, nil, fmt.Errorf("%s is not a map of strings to strings", metadataKey)
			}
			continue
		}
		var info tensorInfo
		if err := dec.Decode(&info); err != nil {
			return nil, nil, fmt.Errorf("tensor %q: %v", name, err)
		}
		e, err := checkEntry(name, info)
		if err != nil {
			return nil, nil, fmt.Errorf("tensor %q: %v", name, err)
		}
		entries = append(entries, e)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("data after the JSON object")
	}
	return entries, metadata, nil
}

// checkEntry checks one header entry and converts it.
func checkEntry(name string, info tensorInfo) (entry, error) {
	switch {
	case info.DType == nil:
		return entry{}, errors.New("no dtype")
	case info.Shape == nil:
		return entry{}, errors.New("no shape")
	case info.DataOffsets == nil:
		return entry{}, errors.New("no data_offsets")
	case len(*info.DataOffsets) != 2:
		return entry{}, fmt.Errorf("data_offsets %v, want [begin, end]", *info.DataOffsets)
	}
	off := *info.DataOffsets
	if off[0] > off[1] || off[1] > uint64(maxInt) {
		return entry{}, fmt.Errorf("data_offsets [%d, %d] are not a byte range", off[0], off[1])
	}
	shape := make([]int, len(*info.Shape))
	for i, d := range *info.Shape {
		if d > uint64(maxInt) {
			return entry{}, fmt.Errorf("shape %v overflows", *info.Shape)
		}
		shape[i] = int(d)
	}
	n, err := byteLen(*info.DType, shape)
	if err != nil {
		return entry{}, err
	}
	e := entry{Named: Named{Name: name, DType: *info.DType, Shape: shape}, begin: int(off[0]), end: int(off[1])}
	if n != e.end-e.begin {
		return entry{}, fmt.Errorf("shape %v of %s needs %d bytes but data_offsets [%d, %d] span %d", shape, e.DType, n, e.begin, e.end, e.end-e.begin)
	}
	return e, nil
}
