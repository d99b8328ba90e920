// Package binenc is the small binary encoding of kiso's saved states
// (optimizer state, training checkpoints): unsigned varints for integers,
// lengths and counts, little-endian IEEE 754 bits for float64 values, and
// length-prefixed bytes. The Decoder is made for hostile input: it remembers
// the first error, never reads past the end, and never allocates for a count
// that the remaining input could not hold.
package binenc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// Encoder appends values to B.
type Encoder struct{ B []byte }

// Uint appends v as an unsigned varint.
func (e *Encoder) Uint(v uint64) { e.B = binary.AppendUvarint(e.B, v) }

// Int appends a non-negative int as an unsigned varint.
func (e *Encoder) Int(v int) { e.Uint(uint64(v)) }

// Float appends the bits of v, little-endian.
func (e *Encoder) Float(v float64) { e.B = binary.LittleEndian.AppendUint64(e.B, math.Float64bits(v)) }

// Bytes appends len(b) and b.
func (e *Encoder) Bytes(b []byte) {
	e.Int(len(b))
	e.B = append(e.B, b...)
}

// String appends len(s) and s.
func (e *Encoder) String(s string) {
	e.Int(len(s))
	e.B = append(e.B, s...)
}

// Floats appends len(v) and every value.
func (e *Encoder) Floats(v []float64) {
	e.Int(len(v))
	for _, x := range v {
		e.Float(x)
	}
}

// Decoder reads what an Encoder wrote. After the first error, kept in Err,
// every read returns a zero value.
type Decoder struct {
	B      []byte
	Err    error
	Prefix string // starts every error message
}

// Fail records an error (the first one only) and stops reading.
func (d *Decoder) Fail(format string, args ...any) {
	if d.Err == nil {
		d.Err = fmt.Errorf(d.Prefix+format, args...)
	}
	d.B = nil
}

// Uint reads an unsigned varint.
func (d *Decoder) Uint() uint64 {
	v, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.Fail("truncated")
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Int reads an unsigned varint that must fit an int.
func (d *Decoder) Int() int {
	v := d.Uint()
	if v > math.MaxInt {
		d.Fail("number %d out of range", v)
		return 0
	}
	return int(v)
}

// Count reads a count of items that take at least size bytes each, failing
// if the remaining input cannot hold them, so that corrupt input cannot make
// a reader allocate more than the input's own size.
func (d *Decoder) Count(size int) int {
	n := d.Uint()
	if n > uint64(len(d.B)/size) {
		d.Fail("truncated (count %d)", n)
		return 0
	}
	return int(n)
}

// Bytes reads length-prefixed bytes (a copy; nil when empty).
func (d *Decoder) Bytes() []byte {
	n := d.Count(1)
	if n == 0 {
		return nil
	}
	b := bytes.Clone(d.B[:n])
	d.B = d.B[n:]
	return b
}

// String reads a length-prefixed string.
func (d *Decoder) String() string {
	n := d.Count(1)
	s := string(d.B[:n])
	d.B = d.B[n:]
	return s
}

// Float reads float64 bits.
func (d *Decoder) Float() float64 {
	if len(d.B) < 8 {
		d.Fail("truncated")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.B))
	d.B = d.B[8:]
	return v
}

// Floats reads what Encoder.Floats wrote (nil when empty).
func (d *Decoder) Floats() []float64 {
	n := d.Count(8)
	if n == 0 {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = d.Float()
	}
	return v
}

// Done fails if input is left over.
func (d *Decoder) Done() {
	if d.Err == nil && len(d.B) > 0 {
		d.Fail("%d trailing bytes", len(d.B))
	}
}
