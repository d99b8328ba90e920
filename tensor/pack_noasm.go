//go:build !amd64 || purego

package tensor

// Without assembly useSIMD is false and this is never called.

func packT8x8(dst *float32, ds int, src *float32, ss int, blocks int) {
	panic("tensor: no transpose kernel")
}
