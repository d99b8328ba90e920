//go:build amd64 && !purego

package tensor

// The float32 kernels of Sigmoid and Tanh in gates_amd64.s over blocks of
// eight elements; blocks must be at least 1.
//
//go:noescape
func sigmoid32(dst, x *float32, blocks int)

//go:noescape
func tanh32(dst, x *float32, blocks int)
