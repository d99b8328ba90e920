//go:build !amd64 || purego

package tensor

// Without assembly (another architecture, or the purego build tag) the
// portable kernel is the only one.
const haveSIMD = false

var (
	simdKernel64 kernel[float64]
	simdKernel32 kernel[float32]
)
