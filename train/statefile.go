package train

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/internal/binenc"
	"github.com/kiso-go/kiso/nn"
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
	e := binenc.Encoder{B: append([]byte(stateMagic), stateVersion)}
	e.Bytes([]byte(s.DType))
	for _, v := range []int{s.Epoch, s.Step, s.GlobalStep, s.StepsPerEpoch, s.BatchSize} {
		e.Int(v)
	}
	e.Bytes(s.Shuffle)
	e.Int(len(s.RNGs))
	for _, r := range s.RNGs {
		e.Bytes(r)
	}
	e.Bytes(opt)
	encodeTensors(&e, s.Params)
	encodeTensors(&e, s.Buffers)
	e.Float(s.Partial.LossSum)
	e.Int(s.Partial.Correct)
	e.Int(s.Partial.Seen)
	e.Float(s.Partial.Seconds)
	e.Int(len(s.History.Epochs))
	for _, ep := range s.History.Epochs {
		e.Int(ep.Epoch)
		for _, v := range ep.figures() {
			e.Float(v)
		}
	}
	e.Floats(s.History.StepLosses)
	e.Bytes(s.Meta)
	sum := sha256.Sum256(e.B)
	return append(e.B, sum[:]...), nil
}

// ErrChecksum is wrapped by the error UnmarshalBinary and LoadState return
// when the checksum of an encoded State does not match its contents: the
// file was corrupted or truncated.
var ErrChecksum = errors.New("checksum mismatch (the file is corrupt or truncated)")

// UnmarshalBinary decodes a State written by MarshalBinary into s,
// replacing its contents. It returns an error if data is not an encoded
// State, is of another version, fails its checksum (wrapping ErrChecksum),
// is malformed, or holds a NaN or infinite parameter or buffer (named); s is
// then unchanged.
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
	d := binenc.Decoder{B: body[len(stateMagic)+1:]}
	var st State
	st.DType = string(d.Bytes())
	for _, p := range []*int{&st.Epoch, &st.Step, &st.GlobalStep, &st.StepsPerEpoch, &st.BatchSize} {
		*p = d.Int()
	}
	st.Shuffle = d.Bytes()
	if n := d.Count(1); n > 0 {
		st.RNGs = make([][]byte, n)
		for i := range st.RNGs {
			st.RNGs[i] = d.Bytes()
		}
	}
	if opt := d.Bytes(); d.Err == nil {
		if err := st.Optimizer.UnmarshalBinary(opt); err != nil {
			d.Fail("%v", err)
		}
	}
	st.Params = decodeTensors(&d)
	st.Buffers = decodeTensors(&d)
	st.Partial.LossSum = d.Float()
	st.Partial.Correct = d.Int()
	st.Partial.Seen = d.Int()
	st.Partial.Seconds = d.Float()
	if n := d.Count(1 + 6*8); n > 0 {
		st.History.Epochs = make([]EpochStats, n)
		for i := range st.History.Epochs {
			ep := &st.History.Epochs[i]
			ep.Epoch = d.Int()
			for _, p := range []*float64{&ep.TrainLoss, &ep.TrainAcc, &ep.TestLoss, &ep.TestAcc, &ep.Seconds, &ep.LR} {
				*p = d.Float()
			}
		}
	}
	st.History.StepLosses = d.Floats()
	st.Meta = d.Bytes()
	d.Done()
	if d.Err != nil {
		return st, d.Err
	}
	return st, st.checkFinite()
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

func encodeTensors(e *binenc.Encoder, ts []Tensor) {
	e.Int(len(ts))
	for _, t := range ts {
		e.String(t.Name)
		e.Int(len(t.Shape))
		for _, d := range t.Shape {
			e.Int(d)
		}
		e.Floats(t.Data)
	}
}

func decodeTensors(d *binenc.Decoder) []Tensor {
	n := d.Count(3)
	if n == 0 {
		return nil
	}
	ts := make([]Tensor, n)
	for i := range ts {
		t := &ts[i]
		t.Name = d.String()
		t.Shape = make([]int, d.Count(1))
		for j := range t.Shape {
			t.Shape[j] = d.Int()
		}
		if d.Err == nil {
			if err := checkShape(t.Shape); err != nil {
				d.Fail("tensor %q: %v", t.Name, err)
			}
		}
		t.Data = d.Floats()
		if d.Err == nil && len(t.Data) != numel(t.Shape) {
			d.Fail("tensor %q of shape %v holds %d elements", t.Name, t.Shape, len(t.Data))
		}
	}
	return ts
}

// checkShape refuses a saved tensor's shape whose product of dimensions
// overflows (2⁴⁰·2⁴⁰ wraps to 0 in 64 bits, which an empty tensor would
// then match) or passes nn.MaxParams, the most values a network may hold,
// before any data is read for it.
func checkShape(shape []int) error {
	var hi, n uint64 = 0, 1
	for _, d := range shape {
		hi, n = bits.Mul64(n, uint64(d))
		if hi != 0 || n > math.MaxInt {
			return fmt.Errorf("shape %v overflows", shape)
		}
		if n == 0 { // a zero dimension: the other dimensions' product must still not overflow
			n = 1
		}
	}
	for _, d := range shape {
		if d > nn.MaxParams {
			return fmt.Errorf("shape %v: dimension %d is more than nn.MaxParams (%d values)", shape, d, nn.MaxParams)
		}
	}
	if p := numel(shape); p > nn.MaxParams {
		return fmt.Errorf("shape %v holds %d values, more than nn.MaxParams (%d)", shape, p, nn.MaxParams)
	}
	return nil
}
