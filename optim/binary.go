package optim

import (
	"bytes"
	"errors"
	"maps"
	"slices"

	"github.com/kiso-go/kiso/internal/binenc"
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
	e := binenc.Encoder{B: []byte(stateMagic)}
	e.String(s.Name)
	e.Int(s.Steps)
	e.Int(len(s.Hyper))
	for _, k := range slices.Sorted(maps.Keys(s.Hyper)) {
		e.String(k)
		e.Float(s.Hyper[k])
	}
	e.Int(len(s.Slots))
	for _, k := range slices.Sorted(maps.Keys(s.Slots)) {
		e.String(k)
		e.Int(len(s.Slots[k]))
		for _, buf := range s.Slots[k] {
			e.Floats(buf)
		}
	}
	return e.B, nil
}

// UnmarshalBinary decodes a State written by MarshalBinary into s,
// replacing its contents. It returns an error if data is truncated, has
// trailing bytes, repeats a key or does not start with the magic; it does
// not check that the State suits any optimizer (LoadState does).
func (s *State) UnmarshalBinary(data []byte) error {
	if !bytes.HasPrefix(data, []byte(stateMagic)) {
		return errors.New("optim: not an encoded optimizer state (bad magic or version)")
	}
	d := binenc.Decoder{B: data[len(stateMagic):], Prefix: "optim: encoded state: "}
	var st State
	st.Name = d.String()
	st.Steps = d.Int()
	if n := d.Count(9); n > 0 {
		st.Hyper = make(map[string]float64, n)
		for range n {
			k := d.String()
			if _, dup := st.Hyper[k]; dup {
				d.Fail("hyperparameter %q repeated", k)
			}
			st.Hyper[k] = d.Float()
		}
	}
	if n := d.Count(2); n > 0 {
		st.Slots = make(map[string][][]float64, n)
		for range n {
			k := d.String()
			if _, dup := st.Slots[k]; dup {
				d.Fail("buffer %q repeated", k)
			}
			bufs := make([][]float64, d.Count(1))
			for i := range bufs {
				if bufs[i] = d.Floats(); bufs[i] == nil {
					bufs[i] = []float64{}
				}
			}
			st.Slots[k] = bufs
		}
	}
	d.Done()
	if d.Err != nil {
		return d.Err
	}
	*s = st
	return nil
}
