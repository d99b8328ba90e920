package tensor

// packT32 writes the transpose of a w×kc block of a float32 matrix (row j
// at src[j·ss:], kc elements) into dst as kc rows of stride ds: dst[q·ds +
// j] = src[j·ss + q]. It copies, so the packed panel is the same whatever
// path wrote it; with AVX2, 8×8 blocks go through packT8x8 (a transposed
// op(b) of the float32 GEMM, as a convolution's weight gradient has, packed
// 5-8x faster than element by element) and the rest element by element.
func packT32(dst []float32, ds int, src []float32, ss, w, kc int) {
	j0 := 0
	if useSIMD && kc >= 8 {
		kb := kc / 8
		for ; j0+8 <= w; j0 += 8 {
			_, _ = src[(j0+7)*ss+kb*8-1], dst[(kb*8-1)*ds+j0+7] // bounds, checked once per strip
			packT8x8(&dst[j0], ds, &src[j0*ss], ss, kb)
		}
		for j := 0; j < j0; j++ {
			for q := kb * 8; q < kc; q++ {
				dst[q*ds+j] = src[j*ss+q]
			}
		}
	}
	for j := j0; j < w; j++ {
		s := src[j*ss : j*ss+kc]
		for q, v := range s {
			dst[q*ds+j] = v
		}
	}
}
