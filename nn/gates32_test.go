package nn

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/tensor"
)

// TestGates32 compares the float32 σ, tanh and exp with float64's over
// [-30, 30] in steps of 1e-4 and at the extremes: exp and σ within 3
// float32 ulp relative (3.6e-7; 1e-7 absolute where the value is under
// 1e-7), tanh within 2.4e-7 absolute. Largest seen: see the log.
func TestGates32(t *testing.T) {
	const rel, abs = 3.6e-7, 2.4e-7
	worst := map[string]float64{}
	check := func(name string, got float32, want float64, x float32, absolute bool) {
		d := math.Abs(float64(got) - want)
		e, tol := d/max(math.Abs(want), 1e-7), rel
		if absolute {
			e, tol = d, abs
		}
		worst[name] = max(worst[name], e)
		if !(e <= tol) {
			t.Fatalf("%s(%v) = %v, want %v (error %.3g)", name, x, got, want, e)
		}
	}
	xs := []float32{-1000, -90, -87.5, 87.5, 90, 1000, float32(math.Inf(1)), float32(math.Inf(-1))}
	for i := -300000; i <= 300000; i++ {
		xs = append(xs, float32(i)/10000)
	}
	for _, x := range xs {
		check("sigm", sigm(x), 1/(1+math.Exp(-float64(x))), x, false)
		check("tanh", tanh(x), math.Tanh(float64(x)), x, true)
		if x > -80 && x < 80 {
			check("exp", expf(x), math.Exp(float64(x)), x, false)
		}
	}
	t.Logf("largest errors: %v", worst)
}

// TestGatesMatchTensor checks that the cells' σ and tanh give the bits of
// tensor.Sigmoid and tensor.Tanh, which the LSTM runs over whole blocks,
// in float32 and float64, on [-30, 30] in steps of 1e-3 and at the
// clamps' edges, the infinities and NaN.
func TestGatesMatchTensor(t *testing.T) {
	xs := []float32{-1000, -90, -87.5, -87, -44, 44, 87.5, 88, 90, 1000, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for i := -30000; i <= 30000; i++ {
		xs = append(xs, float32(i)/1000)
	}
	checkGates(t, xs)
	x64 := make([]float64, len(xs))
	for i, v := range xs {
		x64[i] = float64(v) * 1.0000001
	}
	checkGates(t, x64)
}

func checkGates[T tensor.Float](t *testing.T, x []T) {
	s, th := make([]T, len(x)), make([]T, len(x))
	tensor.Sigmoid(s, x)
	tensor.Tanh(th, x)
	same := func(a, b T) bool {
		return a == b && math.Signbit(float64(a)) == math.Signbit(float64(b)) || a != a && b != b
	}
	for i, v := range x {
		if !same(sigm(v), s[i]) || !same(tanh(v), th[i]) {
			t.Fatalf("%T x = %v: σ %v, tanh %v; tensor's %v, %v", v, v, sigm(v), tanh(v), s[i], th[i])
		}
	}
}
