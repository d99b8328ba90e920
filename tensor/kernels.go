package tensor

// Kernels names the matrix-product kernels this process runs, chosen at
// start-up from the CPU's features: "avx2+fma" (the assembly micro-kernels:
// 6×8 tiles for float64, 6×16 for float32) or "portable" (the pure-Go 4×4
// kernel, on CPUs without AVX2 and FMA, other architectures, or a build
// with -tags purego).
func Kernels() string {
	if haveSIMD {
		return "avx2+fma"
	}
	return "portable"
}
