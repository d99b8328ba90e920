//go:build !amd64 || purego

package tensor

const haveSparse = false

func sparseRow(k int, a, b []float32, ldb int, c []float32, n int, list []int32) {
	panic("tensor: no sparse kernel")
}

func finite32(x []float32) bool { panic("tensor: no sparse kernel") }
