package tensor

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestSumRowsToOrder checks that SumRowsTo gives the bits of the plain
// loop summing each column over the rows in order from 0, with and
// without the SIMD kernel, in float32 and float64, for widths around the
// kernel's blocks.
func TestSumRowsToOrder(t *testing.T) {
	defer func() { useSIMD = haveSIMD }()
	r := rng.NewNumpy(9)
	for _, cols := range []int{1, 3, 4, 7, 8, 9, 16, 21, 512} {
		a := RandN[float32](r, 100, 37, cols)
		a.Data[0] = float32(math.Inf(1))
		a64 := RandN[float64](r, 1e6, 37, cols)
		want, want64 := make([]float32, cols), make([]float64, cols)
		for i := range 37 {
			for j := range cols {
				want[j] += a.Data[i*cols+j]
				want64[j] += a64.Data[i*cols+j]
			}
		}
		for _, simd := range []bool{true, false} {
			useSIMD = simd && haveSIMD
			got, got64 := SumRowsTo(New[float32](cols), a), SumRowsTo(New[float64](cols), a64)
			for j := range cols {
				if math.Float32bits(got.Data[j]) != math.Float32bits(want[j]) || got64.Data[j] != want64[j] {
					t.Fatalf("%d columns, SIMD %v, column %d: %v and %v, want %v and %v", cols, simd, j, got.Data[j], got64.Data[j], want[j], want64[j])
				}
			}
		}
	}
}
