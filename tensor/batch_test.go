package tensor_test

import (
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestBatchGemm checks every layout against Gemm on each slice, bit for
// bit, for a small product (gemm's plain loop) and a large one (blocked).
func TestBatchGemm(t *testing.T) {
	r := rng.NewNumpy(3)
	for _, size := range [][3]int{{3, 4, 5}, {64, 64, 32}} {
		m, n, k := size[0], size[1], size[2]
		for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			const batch = 5
			as, bs := []int{batch, m, k}, []int{batch, k, n}
			if tr[0] {
				as = []int{batch, k, m}
			}
			if tr[1] {
				bs = []int{batch, n, k}
			}
			a, b := tensor.RandN[float32](r, 1, as...), tensor.RandN[float32](r, 1, bs...)
			c := tensor.RandN[float32](r, 1, batch, m, n)
			want := c.Clone()
			tensor.BatchGemm(tr[0], tr[1], 0.5, a, b, 1, c)
			for i := 0; i < batch; i++ {
				ai := tensor.FromSlice(a.Data[i*m*k:(i+1)*m*k], as[1:]...)
				bi := tensor.FromSlice(b.Data[i*k*n:(i+1)*k*n], bs[1:]...)
				ci := tensor.FromSlice(want.Data[i*m*n:(i+1)*m*n], m, n)
				tensor.Gemm(tr[0], tr[1], 0.5, ai, bi, 1, ci)
			}
			if !tensor.SameBits(c.Data, want.Data) {
				t.Errorf("%v trans %v: batched product differs from Gemm per slice by %g", size, tr, tensor.MaxAbsDiff(c, want))
			}
		}
	}
}

func TestBatchGemmShapePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("mismatched batches did not panic")
		}
	}()
	tensor.BatchGemm(false, false, 1, tensor.New[float64](2, 3, 4), tensor.New[float64](3, 4, 5), 0, tensor.New[float64](2, 3, 5))
}
