//go:build amd64 && !purego

package tensor

// The float32 GELU kernels of gelu_amd64.s over blocks of eight elements;
// blocks must be at least 1.
//
//go:noescape
func geluErf32(dst, x *float32, blocks int)

//go:noescape
func geluErfGrad32(dst, x, dy *float32, blocks int)

//go:noescape
func geluTanh32(dst, x *float32, blocks int)

//go:noescape
func geluTanhGrad32(dst, x, dy *float32, blocks int)

// expSub32 is ExpSum's float32 kernel (in gelu_amd64.s, beside GELU's,
// whose exp it shares): dst = exp(x − m) over blocks of eight elements,
// their sums lane by lane added to acc; blocks must be at least 1.
//
//go:noescape
func expSub32(dst, x *float32, m float32, blocks int, acc *[8]float32)
