package tensor

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestReLUMatchesDefinition compares ReLU and ReLUGrad, with the SIMD
// kernels and without, with their definitions (Go's max(x, 0), and dy
// where x > 0 else +0), bit for bit, on special values and on every length
// up to 40 (the kernels' tails).
func TestReLUMatchesDefinition(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		testReLU[float32](t)
		testReLU[float64](t)
	})
}

func testReLU[T Float](t *testing.T) {
	r := rng.NewNumpy(1)
	special := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-40, -1e-40}
	var x, dy []T
	for _, a := range special {
		for _, g := range []float64{2.5, math.Inf(-1), math.NaN(), math.Copysign(0, -1)} {
			x, dy = append(x, T(a)), append(dy, T(g))
		}
	}
	for range 40 {
		x, dy = append(x, T(r.Norm())), append(dy, T(r.Norm()))
	}
	same := func(a, b T) bool {
		return math.Float64bits(float64(a)) == math.Float64bits(float64(b)) || (a != a && b != b)
	}
	for n := 0; n <= len(x); n += 1 + n/8 {
		xs, dys := x[len(x)-n:], dy[len(x)-n:] // different alignments too
		y, g := make([]T, n), make([]T, n)
		ReLU(y, xs)
		ReLUGrad(g, xs, dys)
		for i := range xs {
			wantG := T(0)
			if xs[i] > 0 {
				wantG = dys[i]
			}
			if want := max(xs[i], 0); !same(y[i], want) {
				t.Fatalf("%T n=%d: ReLU(%v) = %v, want %v", xs[i], n, xs[i], y[i], want)
			}
			if !same(g[i], wantG) {
				t.Fatalf("%T n=%d: ReLUGrad(%v, %v) = %v, want %v", xs[i], n, xs[i], dys[i], g[i], wantG)
			}
		}
	}
	in := append([]T(nil), x...) // in place
	ReLU(in, in)
	for i := range in {
		if !same(in[i], max(x[i], 0)) {
			t.Fatalf("%T: ReLU in place: element %d is %v, want %v", x[i], i, in[i], max(x[i], 0))
		}
	}
}
