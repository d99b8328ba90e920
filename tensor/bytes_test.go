package tensor

import (
	"fmt"
	"math"
	"testing"
)

// TestBytesTo checks BytesTo against T(b)/div computed one byte at a time,
// bit for bit: every byte value, divisors 1, 255 and two others, lengths
// that leave tails of every size after the kernel's blocks of 8, float32
// and float64, with and without the SIMD kernel.
func TestBytesTo(t *testing.T) {
	defer func() { useSIMD = haveSIMD }()
	for _, simd := range []bool{false, true} {
		useSIMD = simd && haveSIMD
		t.Run(fmt.Sprintf("float32/simd=%v", useSIMD), func(t *testing.T) { testBytesTo[float32](t) })
		t.Run(fmt.Sprintf("float64/simd=%v", useSIMD), func(t *testing.T) { testBytesTo[float64](t) })
	}
}

func testBytesTo[T Float](t *testing.T) {
	src := make([]uint8, 256+15)
	for i := range src {
		src[i] = uint8(i * 7) // every value in the first 256
	}
	for _, div := range []T{1, 255, 3, 0.7} {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 256, 256 + 15} {
			dst := make([]T, n+1)
			dst[n] = 42 // past len(src): untouched
			BytesTo(dst, src[:n], div)
			for i, b := range src[:n] {
				want := T(b) / div
				if math.Float64bits(float64(dst[i])) != math.Float64bits(float64(want)) {
					t.Fatalf("div %v, n %d: dst[%d] = %v for byte %d, want %v", div, n, i, dst[i], b, want)
				}
			}
			if dst[n] != 42 {
				t.Fatalf("div %v, n %d: BytesTo wrote past len(src)", div, n)
			}
		}
	}
	mustPanic(t, "shorter", func() { BytesTo(make([]T, 3), src[:4], 1) })
}
