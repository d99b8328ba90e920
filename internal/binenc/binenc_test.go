package binenc

import (
	"math"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var e Encoder
	e.Int(300)
	e.Float(math.Inf(-1))
	e.String("weight")
	e.Bytes(nil)
	e.Floats([]float64{1.5, math.NaN(), math.Copysign(0, -1)})
	d := Decoder{B: e.B}
	if d.Int() != 300 || !math.IsInf(d.Float(), -1) || d.String() != "weight" || d.Bytes() != nil {
		t.Fatal("values read back differ")
	}
	f := d.Floats()
	if len(f) != 3 || f[0] != 1.5 || !math.IsNaN(f[1]) || math.Signbit(f[2]) != true {
		t.Errorf("floats %v", f)
	}
	d.Done()
	if d.Err != nil {
		t.Error(d.Err)
	}
}

func TestHostileInput(t *testing.T) {
	var e Encoder
	e.Uint(1 << 60) // a count no input of this size can hold
	d := Decoder{B: e.B, Prefix: "state: "}
	if n := d.Count(8); n != 0 || d.Err == nil || !strings.HasPrefix(d.Err.Error(), "state: truncated") {
		t.Errorf("count %d, error %v", n, d.Err)
	}
	if d.Float() != 0 || d.String() != "" {
		t.Error("reads after an error must return zero values")
	}
	d = Decoder{B: []byte{1, 2}}
	d.Int()
	d.Done()
	if d.Err == nil || !strings.Contains(d.Err.Error(), "trailing") {
		t.Errorf("trailing bytes: %v", d.Err)
	}
}
