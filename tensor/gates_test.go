package tensor

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// gateInputs returns float32 inputs for the gate tests: [-30, 30] in steps
// of 1e-3, the clamps' edges, zeros, infinities and NaN.
func gateInputs() []float32 {
	xs := []float32{0, float32(math.Copysign(0, -1)), -1000, -90, -87.5, -87, -43.5, -44, 43.5, 44, 87.5, 88, 90, 1000,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-30, -1e-30, 3e-8}
	for i := -30000; i <= 30000; i++ {
		xs = append(xs, float32(i)/1000)
	}
	return xs
}

// TestGates32Kernels checks that the assembly kernels of Sigmoid and Tanh
// give the bits of the pure-Go loop (NaN for NaN), on every length from 0
// to 40 of random inputs and on gateInputs.
func TestGates32Kernels(t *testing.T) {
	if !haveSIMD {
		t.Skip("no AVX2: only the pure-Go loop runs")
	}
	defer func() { useSIMD = haveSIMD }()
	r := rng.NewNumpy(7)
	inputs := [][]float32{gateInputs()}
	for n := range 41 {
		inputs = append(inputs, RandN[float32](r, 5, n+1).Data[:n])
	}
	for _, x := range inputs {
		for _, f := range []struct {
			name string
			fn   func(dst, x []float32)
		}{{"Sigmoid", Sigmoid[float32]}, {"Tanh", Tanh[float32]}} {
			var y [2][]float32
			for k, simd := range []bool{true, false} {
				useSIMD = simd
				y[k] = make([]float32, len(x))
				f.fn(y[k], x)
			}
			for i := range x {
				a, b := y[0][i], y[1][i]
				if math.Float32bits(a) != math.Float32bits(b) && !(a != a && b != b) {
					t.Fatalf("%s, %d elements, x[%d] = %v: assembly %v, Go %v", f.name, len(x), i, x[i], a, b)
				}
			}
		}
	}
}

// TestGates32Accuracy compares the float32 Sigmoid and Tanh with float64's
// on gateInputs: σ within 3 float32 ulp relative (3.6e-7; 1e-7 absolute
// where σ is under 1e-7), tanh within 2.4e-7 absolute (2/(1 + e^-2x) − 1
// loses the low bits near 0); NaN gives NaN. The float64 forms are checked
// against the formulas at a few points.
func TestGates32Accuracy(t *testing.T) {
	x := gateInputs()
	s, th := make([]float32, len(x)), make([]float32, len(x))
	Sigmoid(s, x)
	Tanh(th, x)
	x64 := make([]float64, len(x))
	for i, v := range x {
		x64[i] = float64(v)
	}
	s64, th64 := make([]float64, len(x)), make([]float64, len(x))
	Sigmoid(s64, x64)
	Tanh(th64, x64)
	var worstS, worstT float64
	for i, v := range x {
		if v != v {
			if s[i] == s[i] || th[i] == th[i] || s64[i] == s64[i] || th64[i] == th64[i] {
				t.Fatalf("NaN gives σ %v, tanh %v (float64 %v, %v)", s[i], th[i], s64[i], th64[i])
			}
			continue
		}
		es := math.Abs(float64(s[i])-s64[i]) / max(s64[i], 1e-7)
		et := math.Abs(float64(th[i]) - th64[i])
		worstS, worstT = max(worstS, es), max(worstT, et)
		if !(es <= 3.6e-7) || !(et <= 2.4e-7) {
			t.Fatalf("x = %v: σ %v (float64 %v), tanh %v (float64 %v)", v, s[i], s64[i], th[i], th64[i])
		}
	}
	t.Logf("largest errors: σ %.3g relative, tanh %.3g absolute", worstS, worstT)
	for _, v := range []float64{-800, -2, 0, 0.5, 800} {
		y := []float64{v}
		Sigmoid(y, y)
		if want := 1 / (1 + math.Exp(-v)); math.Abs(y[0]-want) > 1e-16 {
			t.Errorf("float64 σ(%v) = %v, want %v", v, y[0], want)
		}
	}
}

// TestGatesPanic checks the length checks.
func TestGatesPanic(t *testing.T) {
	for name, f := range map[string]func(){
		"Sigmoid": func() { Sigmoid(make([]float32, 2), make([]float32, 3)) },
		"Tanh":    func() { Tanh(make([]float64, 2), make([]float64, 1)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s of different lengths did not panic", name)
				}
			}()
			f()
		}()
	}
}
