package tensor

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestAddScaledMatchesDefinition compares AddScaled, with the SIMD kernels
// and without, with its definition (the product rounded, then the sum: no
// fused multiply-add), bit for bit, on special values and on every length
// up to 60 (the kernels' tails).
func TestAddScaledMatchesDefinition(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		testAddScaled[float32](t)
		testAddScaled[float64](t)
	})
}

func testAddScaled[T Float](t *testing.T) {
	r := rng.NewNumpy(2)
	special := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 1e-40, -1e-310, 3e38, 1e308}
	var x, y []T
	for _, a := range special {
		for _, b := range special {
			x, y = append(x, T(a)), append(y, T(b))
		}
	}
	for range 60 {
		x, y = append(x, T(r.Norm())), append(y, T(r.Norm()))
	}
	same := func(a, b T) bool {
		return math.Float64bits(float64(a)) == math.Float64bits(float64(b)) || (a != a && b != b)
	}
	for _, alpha := range []T{-0.1, 3, T(math.Copysign(0, -1)), T(math.Inf(1))} {
		for n := 0; n <= len(x); n += 1 + n/16 {
			xs, ys := x[len(x)-n:], y[:n] // different alignments too
			got := AddScaled(FromSlice(append([]T(nil), ys...), n), alpha, FromSlice(xs, n))
			for i, v := range got.Data {
				p := alpha * xs[i]
				p = T(p) // rounded before the sum
				want := ys[i] + p
				if !same(v, want) {
					t.Fatalf("%T n=%d alpha=%v: element %d is %v, want %v", v, n, alpha, i, v, want)
				}
			}
		}
	}
}

func TestAddScaledLongInChunks(t *testing.T) {
	// From parallelAXPY elements on, AddScaled runs in chunks on Parallel:
	// the same bits as the definition, and nothing allocated.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	r := rng.NewNumpy(3)
	for _, n := range []int{parallelAXPY, 39200, 100003} {
		x, y := RandN[float32](r, 1, n), RandN[float32](r, 1, n)
		got := AddScaled(y.Clone(), -0.1, x)
		for i, v := range got.Data {
			if want := y.Data[i] + float32(-0.1*x.Data[i]); math.Float32bits(v) != math.Float32bits(want) {
				t.Fatalf("n=%d: element %d is %v, want %v", n, i, v, want)
			}
		}
		if allocs := testing.AllocsPerRun(20, func() { AddScaled(got, -0.1, x) }); allocs != 0 && !raceEnabled {
			t.Errorf("n=%d: %v allocations", n, allocs)
		}
	}
}

// TestAddToMatchesDefinition compares AddTo, with the SIMD kernels and
// without, short and long enough for Parallel (1 and 2 goroutines), with
// dst apart from and equal to an operand, with a + b bit for bit.
func TestAddToMatchesDefinition(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		testAddTo[float32](t)
		testAddTo[float64](t)
	})
}

func testAddTo[T Float](t *testing.T) {
	r := rng.NewNumpy(4)
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 3, 4, 7, 8, 9, 31, 33, parallelAXPY + 3} {
			a, b := RandN[T](r, 1, n), RandN[T](r, 1, n)
			if n > 2 {
				a.Data[1], b.Data[2] = T(math.NaN()), T(math.Inf(-1))
			}
			want := make([]T, n)
			for i := range want {
				want[i] = a.Data[i] + b.Data[i]
			}
			for alias := range 3 {
				dst := New[T](n)
				switch alias {
				case 1:
					dst = a.Clone()
					AddTo(dst, dst, b)
				case 2:
					dst = b.Clone()
					AddTo(dst, a, dst)
				default:
					AddTo(dst, a, b)
				}
				for i, v := range dst.Data {
					if math.Float64bits(float64(v)) != math.Float64bits(float64(want[i])) && !(v != v && want[i] != want[i]) {
						t.Fatalf("%T n=%d procs=%d alias=%d: element %d is %v, want %v", v, n, procs, alias, i, v, want[i])
					}
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}
