//go:build !amd64 || purego

package tensor

// Without assembly useSIMD is false and these are never called.

func geluErf32(dst, x *float32, blocks int)          { panic("tensor: no GELU kernel") }
func geluErfGrad32(dst, x, dy *float32, blocks int)  { panic("tensor: no GELU kernel") }
func geluTanh32(dst, x *float32, blocks int)         { panic("tensor: no GELU kernel") }
func geluTanhGrad32(dst, x, dy *float32, blocks int) { panic("tensor: no GELU kernel") }

func expSub32(dst, x *float32, m float32, blocks int, acc *[8]float32) {
	panic("tensor: no exp kernel")
}
