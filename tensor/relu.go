package tensor

import (
	"fmt"
	"unsafe"
)

// ReLU sets dst[i] = max(x[i], 0) for every i, as Go's max does it: a NaN
// stays NaN and -0 becomes +0. dst and x must have the same length (dst
// may be x); it panics otherwise. On CPUs with AVX2 it runs eight (float32)
// or four (float64) elements at a time.
func ReLU[T Float](dst, x []T) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("tensor: ReLU: lengths %d and %d differ", len(dst), len(x)))
	}
	done := 0
	if useSIMD && len(x) >= 8 {
		done = reluSIMD(dst, x)
	}
	for i := done; i < len(x); i++ {
		dst[i] = max(x[i], 0)
	}
}

// ReLUGrad sets dst[i] = dy[i] where x[i] > 0 and +0 elsewhere (NaN
// included): the gradient of ReLU at x times dy. The three slices must
// have the same length (dst may be dy); it panics otherwise.
func ReLUGrad[T Float](dst, x, dy []T) {
	if len(dst) != len(x) || len(dy) != len(x) {
		panic(fmt.Sprintf("tensor: ReLUGrad: lengths %d, %d and %d differ", len(dst), len(x), len(dy)))
	}
	done := 0
	if useSIMD && len(x) >= 8 {
		done = reluGradSIMD(dst, x, dy)
	}
	for i := done; i < len(x); i++ {
		if x[i] > 0 {
			dst[i] = dy[i]
		} else {
			dst[i] = 0
		}
	}
}

// reluSIMD runs the assembly kernel on the longest prefix of 32-byte blocks
// and returns its length in elements.
func reluSIMD[T Float](dst, x []T) int {
	if unsafe.Sizeof(T(0)) == 4 {
		n := len(x) &^ 7
		relu32(&as[float32](dst)[0], &as[float32](x)[0], n/8)
		return n
	}
	n := len(x) &^ 3
	relu64(&as[float64](dst)[0], &as[float64](x)[0], n/4)
	return n
}

func reluGradSIMD[T Float](dst, x, dy []T) int {
	if unsafe.Sizeof(T(0)) == 4 {
		n := len(x) &^ 7
		reluGrad32(&as[float32](dst)[0], &as[float32](x)[0], &as[float32](dy)[0], n/8)
		return n
	}
	n := len(x) &^ 3
	reluGrad64(&as[float64](dst)[0], &as[float64](x)[0], &as[float64](dy)[0], n/4)
	return n
}
