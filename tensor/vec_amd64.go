//go:build amd64 && !purego

package tensor

// The ReLU kernels of vec_amd64.s over blocks of 32 bytes; blocks must be
// at least 1.
//
//go:noescape
func relu32(dst, x *float32, blocks int)

//go:noescape
func relu64(dst, x *float64, blocks int)

//go:noescape
func reluGrad32(dst, x, dy *float32, blocks int)

//go:noescape
func reluGrad64(dst, x, dy *float64, blocks int)

// The AddScaled kernels of vec_amd64.s over blocks of 32 bytes; blocks
// must be at least 1.
//
//go:noescape
func axpy32(y, x *float32, alpha float32, blocks int)

//go:noescape
func axpy64(y, x *float64, alpha float64, blocks int)

// The AddTo kernels of vec_amd64.s over blocks of 32 bytes; blocks must
// be at least 1.
//
//go:noescape
func add32(dst, a, b *float32, blocks int)

//go:noescape
func add64(dst, a, b *float64, blocks int)

// spinPause is a few PAUSE instructions, for the team's spin loops.
func spinPause()

// bytesDiv32 is BytesTo's kernel of vec_amd64.s for float32 over blocks
// of 8 bytes; blocks must be at least 1.
//
//go:noescape
func bytesDiv32(dst *float32, src *uint8, div float32, blocks int)
