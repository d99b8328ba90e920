package autograd

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestSigmoidChunksSameBits: Sigmoid and its backward on a hidden layer's
// batch (100×1000, cut into chunks on tensor.Parallel) give, with
// GOMAXPROCS 1 and 2, the bits of the one-loop formulas (float32's
// sigmoid is tensor.Sigmoid's, 1/(1 + Exp32(-x))).
func TestSigmoidChunksSameBits(t *testing.T) {
	r := rng.NewNumpy(0)
	x := tensor.RandN[float32](r, 3, 100, 1000)
	gy := tensor.RandN[float32](r, 1, 100, 1000)
	want, wantG := make([]float32, x.Len()), make([]float32, x.Len())
	for i, v := range x.Data {
		want[i] = 1 / (1 + tensor.Exp32(-v))
	}
	for i, s := range want {
		wantG[i] = gy.Data[i] * s * (1 - s)
	}
	for _, procs := range []int{1, 2} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			xv := New(x)
			y := Sigmoid(xv)
			y.Grad = gradOf(gy)
			y.Backward()
			for i := range want {
				if math.Float32bits(y.Data.Data[i]) != math.Float32bits(want[i]) || math.Float32bits(xv.Grad.Data.Data[i]) != math.Float32bits(wantG[i]) {
					t.Fatalf("GOMAXPROCS=%d: element %d: sigmoid %v, gradient %v, want %v and %v", procs, i, y.Data.Data[i], xv.Grad.Data.Data[i], want[i], wantG[i])
				}
			}
		}()
	}
}
