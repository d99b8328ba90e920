package tensor

import (
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestPackT32 checks the transposing copy against its definition for
// blocks of every width to 17 and depths to 20, with and without AVX2.
func TestPackT32(t *testing.T) {
	defer func() { useSIMD = haveSIMD }()
	r := rng.NewNumpy(6)
	for _, simd := range []bool{false, haveSIMD} {
		useSIMD = simd
		for w := 1; w <= 17; w++ {
			for kc := 1; kc <= 20; kc++ {
				ss, ds := kc+3, w+2
				src := RandN[float32](r, 1, w*ss).Data
				dst := make([]float32, kc*ds)
				packT32(dst, ds, src, ss, w, kc)
				for q := 0; q < kc; q++ {
					for j := 0; j < ds; j++ {
						want := float32(0)
						if j < w {
							want = src[j*ss+q]
						}
						if dst[q*ds+j] != want {
							t.Fatalf("simd %v, w %d, kc %d: dst[%d·%d+%d] = %v, want %v", simd, w, kc, q, ds, j, dst[q*ds+j], want)
						}
					}
				}
			}
		}
	}
}
