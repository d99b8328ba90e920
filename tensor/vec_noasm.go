//go:build !amd64 || purego

package tensor

// Without assembly useSIMD is false and these are never called.

func relu32(dst, x *float32, blocks int)         { panic("tensor: no ReLU kernel") }
func relu64(dst, x *float64, blocks int)         { panic("tensor: no ReLU kernel") }
func reluGrad32(dst, x, dy *float32, blocks int) { panic("tensor: no ReLU kernel") }
func reluGrad64(dst, x, dy *float64, blocks int) { panic("tensor: no ReLU kernel") }
