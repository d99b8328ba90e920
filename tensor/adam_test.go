package tensor

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestAdamUpdatesMatchPlainLoops checks AdamUpdate and AdamWUpdate bit for
// bit against optim's plain loops, over lengths around the AVX2 block of
// eight and one long enough for Parallel, with and without the kernels
// and with 1 and 2 goroutines, for several steps (so that m and v are not
// zero).
func TestAdamUpdatesMatchPlainLoops(t *testing.T) {
	testAdamUpdates[float32](t)
	testAdamUpdates[float64](t)
}

func testAdamUpdates[T Float](t *testing.T) {
	defer func() { useSIMD = haveSIMD }()
	r := rng.NewNumpy(5)
	for _, n := range []int{0, 1, 7, 8, 9, 23, 64, parallelAdam + 5} {
		for _, simd := range []bool{false, true} {
			for _, procs := range []int{1, 2} {
				useSIMD = simd && haveSIMD
				old := runtime.GOMAXPROCS(procs)
				for _, decoupled := range []bool{false, true} {
					w, g, m, v := make([]T, n), make([]T, n), make([]T, n), make([]T, n)
					for j := range w {
						w[j] = T(r.Normal(0, 1))
					}
					ww, wm, wv := append([]T(nil), w...), make([]T, n), make([]T, n)
					const b1, b2, eps = 0.9, 0.99, 1e-8
					for step := 1; step <= 3; step++ {
						for j := range g {
							g[j] = T(r.Normal(0, 1) * math.Pow(10, float64(j%7-3)))
						}
						c1, c2 := T(1-b1), T(1-b2)
						if decoupled {
							st, bc2 := T(1e-3/(1-math.Pow(b1, float64(step)))), T(math.Sqrt(1-math.Pow(b2, float64(step))))
							AdamWUpdate(w, g, m, v, st, b1, c1, b2, c2, bc2, eps)
							for j, gj := range g {
								wm[j] = T(b1*wm[j]) + T(c1*gj)
								wv[j] = T(b2*wv[j]) + T(T(c2*gj)*gj)
								ww[j] -= T(st * (wm[j] / (T(math.Sqrt(float64(wv[j])))/bc2 + eps)))
							}
						} else {
							lr := T(1e-3 * math.Sqrt(1-math.Pow(b2, float64(step))) / (1 - math.Pow(b1, float64(step))))
							AdamUpdate(w, g, m, v, lr, c1, c2, eps)
							for j, gj := range g {
								wm[j] += T(c1 * (gj - wm[j]))
								wv[j] += T(c2 * (T(gj*gj) - wv[j]))
								ww[j] -= T(lr * wm[j] / (T(math.Sqrt(float64(wv[j]))) + eps))
							}
						}
					}
					for j := range w {
						if w[j] != ww[j] || m[j] != wm[j] || v[j] != wv[j] {
							t.Fatalf("%T n %d simd %v procs %d decoupled %v: element %d: w, m, v = %v %v %v, want %v %v %v",
								T(0), n, simd, procs, decoupled, j, w[j], m[j], v[j], ww[j], wm[j], wv[j])
						}
					}
				}
				runtime.GOMAXPROCS(old)
			}
		}
	}
}

func TestAdamUpdatePanicsOnLengths(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	AdamUpdate(make([]float32, 3), make([]float32, 3), make([]float32, 2), make([]float32, 3), 1, 0.1, 0.01, 1e-8)
}
