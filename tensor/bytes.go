package tensor

import "unsafe"

// BytesTo sets dst[i] = T(src[i]) / div for each byte of src, the quotient
// rounded to T as Go rounds it (div 1 converts the bytes, div 255 scales
// them into [0, 1] as image loaders do): the same bits on every CPU, with
// the AVX2 kernel or without. It panics if dst is shorter than src.
func BytesTo[T Float](dst []T, src []uint8, div T) {
	if len(dst) < len(src) {
		panic("tensor: BytesTo: dst is shorter than src")
	}
	done := 0
	if useSIMD && unsafe.Sizeof(div) == 4 && len(src) >= 8 {
		done = len(src) &^ 7
		bytesDiv32(&as[float32](dst)[0], &src[0], float32(div), done/8)
	}
	for i := done; i < len(src); i++ {
		dst[i] = T(src[i]) / div
	}
}
