package train

import (
	"bytes"
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
)

// hostileState returns the bytes of a State whose one parameter claims
// shape and holds data, with a valid checksum: what a hostile checkpoint
// looks like after the checksum is recomputed.
func hostileState(t *testing.T, shape []int, data []float64) []byte {
	t.Helper()
	s := &State{DType: "float64", Params: []Tensor{{Name: "0.weight", Shape: shape, Data: data}}}
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStateShapeOverflow: a checkpoint's tensor shape whose product of
// dimensions wraps around (2⁴⁰·2⁴⁰ is 0 modulo 2⁶⁴, 2³²·2³² too) or passes
// nn.MaxParams is refused before its data is read, and one at the limit's
// edge is judged by its data alone.
func TestStateShapeOverflow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape []int
		data  []float64
		want  string // "" means it loads
	}{
		{"2^40 x 2^40 wraps to 0", []int{1 << 40, 1 << 40}, nil, "overflows"},
		{"2^32 x 2^32 wraps to 0", []int{1 << 32, 1 << 32}, nil, "overflows"},
		{"2^62 x 4 wraps to 0", []int{1 << 62, 4}, nil, "overflows"},
		{"2^31 x 2^31 x 4 wraps to 0", []int{1 << 31, 1 << 31, 4}, nil, "overflows"},
		{"0 x 2^62 x 2^62", []int{0, 1 << 62, 1 << 62}, nil, "overflows"},
		{"past nn.MaxParams", []int{nn.MaxParams + 1}, nil, "nn.MaxParams"},
		{"2^20 x 2^20", []int{1 << 20, 1 << 20}, nil, "nn.MaxParams"},
		{"at nn.MaxParams, data short", []int{nn.MaxParams}, []float64{1, 2}, "holds 2 elements"},
		{"zero dimension", []int{0, 5}, nil, ""},
		{"2 x 3", []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}, ""},
	} {
		b := hostileState(t, tc.shape, tc.data)
		var s State
		err := s.UnmarshalBinary(b)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line containing %q", tc.name, err, tc.want)
		}
		// LoadState names the file.
		p := filepath.Join(t.TempDir(), "hostile.state")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadState(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: LoadState: %v, want an error naming the file", tc.name, err)
		}
	}
}

// FuzzStateDecode: any bytes, with a valid checksum appended (so that the
// decoder itself is reached), decode to a State or an error of one line,
// and a State that decodes survives a round trip. The seeds are a
// real state and hostile shapes: huge and wrapping dimensions, counts past
// the input, a truncated body.
func FuzzStateDecode(f *testing.F) {
	good := &State{DType: "float64", Epoch: 1, Params: []Tensor{{Name: "0.weight", Shape: []int{2, 3}, Data: []float64{1, 2, 3, 4, 5, 6}}}}
	b, _ := good.MarshalBinary()
	body := func(b []byte) []byte { return b[len(stateMagic)+1 : len(b)-sha256.Size] }
	f.Add(body(b))
	for _, shape := range [][]int{{1 << 40, 1 << 40}, {1 << 32, 1 << 32}, {1 << 62, 4}, {nn.MaxParams + 1}, {math.MaxInt}} {
		h := &State{DType: "float64", Params: []Tensor{{Name: "w", Shape: shape}}}
		hb, _ := h.MarshalBinary()
		f.Add(body(hb))
	}
	f.Add(body(b)[:len(body(b))/2])                                                                                 // truncated
	f.Add([]byte{7, 'f', 'l', 'o', 'a', 't', '6', '4', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}) // an int past MaxInt
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})                                    // a count past the input
	f.Fuzz(func(t *testing.T, body []byte) {
		in := append([]byte(stateMagic), stateVersion)
		in = append(in, body...)
		sum := sha256.Sum256(in)
		in = append(in, sum[:]...)
		var s State
		if err := s.UnmarshalBinary(in); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		for _, p := range append(slices.Clone(s.Params), s.Buffers...) {
			if len(p.Data) != numel(p.Shape) || len(p.Data) > nn.MaxParams {
				t.Fatalf("tensor %q of shape %v holds %d values", p.Name, p.Shape, len(p.Data))
			}
		}
		out, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		// Varints have more than one spelling, so out need not be in; but
		// what was decoded survives a second round trip unchanged.
		var s2 State
		if err := s2.UnmarshalBinary(out); err != nil {
			t.Fatalf("a re-encoded state does not decode: %v", err)
		}
		if out2, _ := s2.MarshalBinary(); !bytes.Equal(out2, out) {
			t.Fatal("a decoded state changes on a second round trip")
		}
	})
}
