package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// stateMagic starts every encoded State; the byte after it is the format
// version.
const (
	stateMagic   = "kiso-train\x00"
	stateVersion = 1
)

// MarshalBinary encodes s: the magic "kiso-train\0" and a version byte,
// the fields of s in order (unsigned varints for integers and lengths,
// little-endian IEEE 754 float64 bits for numbers, length-prefixed bytes
// for the generator and optimizer states, the latter as
// optim.State.MarshalBinary writes it), and last the SHA-256 of everything
// before it. Equal States encode to equal bytes.
func (s *State) MarshalBinary() ([]byte, error) {
	opt, err := s.Optimizer.MarshalBinary()
	if err != nil {
		return nil, err
	}
	e := encoder{b: append([]byte(stateMagic), stateVersion)}
	e.bytes([]byte(s.DType))
	for _, v := range []int{s.Epoch, s.Step, s.GlobalStep, s.StepsPerEpoch, s.BatchSize} {
		e.int(v)
	}
	e.bytes(s.Shuffle)
	e.int(len(s.RNGs))
	for _, r := range s.RNGs {
		e.bytes(r)
	}
	e.bytes(opt)
	e.tensors(s.Params)
	e.tensors(s.Buffers)
	e.float(s.Partial.LossSum)
	e.int(s.Partial.Correct)
	e.int(s.Partial.Seen)
	e.float(s.Partial.Seconds)
	e.int(len(s.History.Epochs))
	for _, ep := range s.History.Epochs {
		e.int(ep.Epoch)
		for _, v := range ep.figures() {
			e.float(v)
		}
	}
	e.floats(s.History.StepLosses)
	e.bytes(s.Meta)
	sum := sha256.Sum256(e.b)
	return append(e.b, sum[:]...), nil
}

// ErrChecksum is wrapped by the error UnmarshalBinary and LoadState return
// when the checksum of an encoded State does not match its contents: the
// file was corrupted or truncated.
var ErrChecksum = errors.New("checksum mismatch (the file is corrupt or truncated)")

// UnmarshalBinary decodes a State written by MarshalBinary into s,
// replacing its contents. It returns an error if data is not an encoded
// State, is of another version, fails its checksum (wrapping ErrChecksum)
// or is malformed; s is then unchanged.
func (s *State) UnmarshalBinary(data []byte) error {
	st, err := decodeState(data)
	if err != nil {
		return fmt.Errorf("train: training state: %w", err)
	}
	*s = st
	return nil
}

// decodeState decodes data; its errors name no file.
func decodeState(data []byte) (State, error) {
	if !bytes.HasPrefix(data, []byte(stateMagic)) || len(data) < len(stateMagic)+1+sha256.Size {
		return State{}, errors.New("not a kiso training state")
	}
	if v := data[len(stateMagic)]; v != stateVersion {
		return State{}, fmt.Errorf("format version %d, this kiso reads version %d", v, stateVersion)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return State{}, ErrChecksum
	}
	d := decoder{b: body[len(stateMagic)+1:]}
	var st State
	st.DType = string(d.bytes())
	for _, p := range []*int{&st.Epoch, &st.Step, &st.GlobalStep, &st.StepsPerEpoch, &st.BatchSize} {
		*p = d.int()
	}
	st.Shuffle = d.bytes()
	if n := d.count(1); n > 0 {
		st.RNGs = make([][]byte, n)
		for i := range st.RNGs {
			st.RNGs[i] = d.bytes()
		}
	}
	if opt := d.bytes(); d.err == nil {
		if err := st.Optimizer.UnmarshalBinary(opt); err != nil {
			d.fail("%v", err)
		}
	}
	st.Params = d.tensors()
	st.Buffers = d.tensors()
	st.Partial.LossSum = d.float()
	st.Partial.Correct = d.int()
	st.Partial.Seen = d.int()
	st.Partial.Seconds = d.float()
	if n := d.count(1 + 6*8); n > 0 {
		st.History.Epochs = make([]EpochStats, n)
		for i := range st.History.Epochs {
			ep := &st.History.Epochs[i]
			ep.Epoch = d.int()
			for _, p := range []*float64{&ep.TrainLoss, &ep.TrainAcc, &ep.TestLoss, &ep.TestAcc, &ep.Seconds, &ep.LR} {
				*p = d.float()
			}
		}
	}
	st.History.StepLosses = d.floats()
	st.Meta = d.bytes()
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	return st, d.err
}

// SaveState writes s to path atomically (internal/atomicfile): a crash
// while writing leaves any earlier file at path intact.
func SaveState(path string, s *State) error {
	b, err := s.MarshalBinary()
	if err != nil {
		return fmt.Errorf("train: %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, b)
}

// LoadState reads a State written by SaveState. Errors name the file, as
// in "train: run.state: checksum mismatch (the file is corrupt or
// truncated)"; a corrupt file gives an error wrapping ErrChecksum.
func LoadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := decodeState(b)
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", path, err)
	}
	return &s, nil
}

type encoder struct{ b []byte }

func (e *encoder) int(v int)       { e.b = binary.AppendUvarint(e.b, uint64(v)) }
func (e *encoder) float(v float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }

func (e *encoder) bytes(b []byte) {
	e.int(len(b))
	e.b = append(e.b, b...)
}

func (e *encoder) floats(v []float64) {
	e.int(len(v))
	for _, x := range v {
		e.float(x)
	}
}

func (e *encoder) tensors(ts []Tensor) {
	e.int(len(ts))
	for _, t := range ts {
		e.bytes([]byte(t.Name))
		e.int(len(t.Shape))
		for _, d := range t.Shape {
			e.int(d)
		}
		e.floats(t.Data)
	}
}

// decoder reads an encoded State, remembering the first error; after an
// error every read returns a zero value.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
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

func (d *decoder) int() int {
	v := d.uvarint()
	if v > math.MaxInt {
		d.fail("number %d out of range", v)
		return 0
	}
	return int(v)
}

// count reads a count of items that take at least size bytes each,
// failing if the remaining data cannot hold them (so malformed input
// cannot make the decoder allocate more than its own size).
func (d *decoder) count(size int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/size) {
		d.fail("truncated (count %d)", n)
		return 0
	}
	return int(n)
}

func (d *decoder) bytes() []byte {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	b := bytes.Clone(d.b[:n])
	d.b = d.b[n:]
	return b
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

func (d *decoder) floats() []float64 {
	n := d.count(8)
	if n == 0 {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = d.float()
	}
	return v
}

func (d *decoder) tensors() []Tensor {
	n := d.count(3)
	if n == 0 {
		return nil
	}
	ts := make([]Tensor, n)
	for i := range ts {
		t := &ts[i]
		t.Name = string(d.bytes())
		t.Shape = make([]int, d.count(1))
		for j := range t.Shape {
			t.Shape[j] = d.int()
		}
		t.Data = d.floats()
		if d.err == nil && len(t.Data) != numel(t.Shape) {
			d.fail("tensor %q of shape %v holds %d elements", t.Name, t.Shape, len(t.Data))
		}
	}
	return ts
}
