//go:build !amd64 || purego

package tensor

// Without assembly useSIMD is false and these are never called.

func sigmoid32(dst, x *float32, blocks int) { panic("tensor: no sigmoid kernel") }
func tanh32(dst, x *float32, blocks int)    { panic("tensor: no tanh kernel") }
