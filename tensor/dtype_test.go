package tensor

import (
	"math"
	"testing"
)

type myFloat float64 // a named type: the functions go by the underlying type

func TestDTypeHelpers(t *testing.T) {
	if DTypeName[float32]() != "float32" || DTypeName[float64]() != "float64" || DTypeName[myFloat]() != "float64" {
		t.Errorf("DTypeName: %s %s %s", DTypeName[float32](), DTypeName[float64](), DTypeName[myFloat]())
	}
	if Size[float32]() != 4 || Size[myFloat]() != 8 {
		t.Errorf("Size: %d %d", Size[float32](), Size[myFloat]())
	}
	var p PerType[int]
	*Of[float32](&p), *Of[float64](&p) = 1, 2
	if *Of[float32](&p) != 1 || *Of[myFloat](&p) != 2 {
		t.Errorf("Of: float32 %d, float64 %d", *Of[float32](&p), *Of[myFloat](&p))
	}
	nan, negZero := math.NaN(), math.Copysign(0, -1)
	for _, c := range []struct {
		a, b []float64
		want bool
	}{
		{[]float64{1, nan}, []float64{1, nan}, true},
		{[]float64{0}, []float64{negZero}, false},
		{[]float64{1, 2}, []float64{1}, false},
		{nil, []float64{}, true},
	} {
		if got := SameBits(c.a, c.b); got != c.want {
			t.Errorf("SameBits(%v, %v) = %v", c.a, c.b, got)
		}
		a32, b32 := Convert[float32](FromSlice(c.a, len(c.a))).Data, Convert[float32](FromSlice(c.b, len(c.b))).Data
		if got := SameBits(a32, b32); got != c.want {
			t.Errorf("SameBits(float32 %v, %v) = %v", c.a, c.b, got)
		}
	}
	x := []myFloat{1.5, -2}
	v := AsFloat64(x)
	v[0] = 3
	if x[0] != 3 || len(v) != 2 {
		t.Errorf("AsFloat64 is not a view: %v %v", x, v)
	}
	if b := Bytes([]float32{1}); len(b) != 4 || b[3] != 0x3f || b[2] != 0x80 {
		t.Errorf("Bytes(float32 1) = %x", b)
	}
	defer func() {
		if r := recover(); r != "tensor: AsFloat64 of a float32 slice" {
			t.Errorf("AsFloat64 of float32: recovered %v", r)
		}
	}()
	AsFloat64([]float32{1})
}
