//go:build !amd64 || purego

package tensor

// Without assembly (another architecture, or the purego build tag) the
// portable kernel is the only one.
const haveSIMD = false

var (
	simdKernel64 kernel[float64]
	simdKernel32 kernel[float32]
)

func rowKernel32(k int, a, b []float32, ldb int, c []float32, n int) { panic("tensor: no row kernel") }
