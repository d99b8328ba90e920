package optim

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
)

// stateMagic starts every encoded State; the last byte is the format
// version.
const stateMagic = "kiso-optim\x00\x01"

// MarshalBinary encodes s: the magic "kiso-optim\0" and a version byte,
// then the name, the step count, the hyperparameters sorted by key and the
// buffers sorted by name, with unsigned varints for lengths and counts and
// little-endian IEEE 754 float64 bits for values. Equal States encode to
// equal bytes. The error is always nil.
func (s State) MarshalBinary() ([]byte, error) {
	b := []byte(stateMagic)
	b = appendString(b, s.Name)
	b = binary.AppendUvarint(b, uint64(s.Steps))
	b = binary.AppendUvarint(b, uint64(len(s.Hyper)))
	for _, k := range slices.Sorted(maps.Keys(s.Hyper)) {
		b = appendString(b, k)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.Hyper[k]))
	}
	b = binary.AppendUvarint(b, uint64(len(s.Slots)))
	for _, k := range slices.Sorted(maps.Keys(s.Slots)) {
		b = appendString(b, k)
		b = binary.AppendUvarint(b, uint64(len(s.Slots[k])))
		for _, buf := range s.Slots[k] {
			b = binary.AppendUvarint(b, uint64(len(buf)))
			for _, v := range buf {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			}
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// UnmarshalBinary decodes a State written by MarshalBinary into s,
// replacing its contents. It returns an error if data is truncated, has
// trailing bytes, repeats a key or does not start with the magic; it does
// not check that the State suits any optimizer (LoadState does).
func (s *State) UnmarshalBinary(data []byte) error {
	if !bytes.HasPrefix(data, []byte(stateMagic)) {
		return errors.New("optim: not an encoded optimizer state (bad magic or version)")
	}
	d := decoder{b: data[len(stateMagic):]}
	var st State
	st.Name = d.string()
	steps := d.uvarint()
	if steps > uint64(math.MaxInt) {
		d.fail("step count %d out of range", steps)
	}
	st.Steps = int(steps)
	if n := d.count(9); n > 0 {
		st.Hyper = make(map[string]float64, n)
		for range n {
			k := d.string()
			if _, dup := st.Hyper[k]; dup {
				d.fail("hyperparameter %q repeated", k)
			}
			st.Hyper[k] = d.float()
		}
	}
	if n := d.count(2); n > 0 {
		st.Slots = make(map[string][][]float64, n)
		for range n {
			k := d.string()
			if _, dup := st.Slots[k]; dup {
				d.fail("buffer %q repeated", k)
			}
			bufs := make([][]float64, d.count(1))
			for i := range bufs {
				bufs[i] = make([]float64, d.count(8))
				for j := range bufs[i] {
					bufs[i][j] = d.float()
				}
			}
			st.Slots[k] = bufs
		}
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	*s = st
	return nil
}

// decoder reads the encoding of a State, remembering the first error; after
// an error every read returns a zero value.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("optim: encoded state: "+format, args...)
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a count of items that take at least size bytes each, failing
// if the remaining data cannot hold them (so corrupt input cannot make the
// decoder allocate more than the input's size).
func (d *decoder) count(size int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/size) {
		d.fail("truncated (count %d)", n)
		return 0
	}
	return int(n)
}

func (d *decoder) string() string {
	n := d.count(1)
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.fail("truncated")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}
