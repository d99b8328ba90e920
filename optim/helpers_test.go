package optim

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// testParams returns a weight [3, 4] (decayed) and a bias [4] (not decayed)
// with values drawn from N(0, 1) by a numpy-compatible generator seeded
// with seed.
func testParams[T tensor.Float](seed uint32) []*nn.Param[T] {
	r := rng.NewNumpy(seed)
	return []*nn.Param[T]{
		nn.NewParam("weight", tensor.RandN[T](r, 1, 3, 4), true),
		nn.NewParam("bias", tensor.RandN[T](r, 1, 4), false),
	}
}

// quadGrad sets each gradient to that of f(w) = Σ (w − c)², 2(w − c), with
// the target c[j] = j/10 − 0.3 for element j of each parameter.
func quadGrad[T tensor.Float](params []*nn.Param[T]) {
	for _, p := range params {
		for j, w := range p.Value.Data {
			p.Grad.Data[j] = 2 * (w - target[T](j))
		}
	}
}

func target[T tensor.Float](j int) T { return T(float64(j)/10 - 0.3) }

// eachType runs f as subtests for float32 and float64.
func eachType(t *testing.T, f32 func(t *testing.T), f64 func(t *testing.T)) {
	t.Run("float32", f32)
	t.Run("float64", f64)
}

// close reports whether got is within tol of want, relative to 1 + |want|.
func close(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*(1+math.Abs(want))
}

// mustPanic fails t unless f panics with a message containing "optim:".
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic", what)
			return
		}
		if msg, ok := r.(string); !ok || len(msg) < 6 || msg[:6] != "optim:" {
			t.Errorf("%s: panic %v, want a message starting with \"optim:\"", what, r)
		}
	}()
	f()
}
