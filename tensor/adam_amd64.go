//go:build amd64 && !purego

package tensor

// The AVX2 kernels of AdamUpdate and AdamWUpdate over float32
// (adam_amd64.s), blocks of eight; blocks must be at least 1.
//
//go:noescape
func adam32(w, grad, m, v *float32, lr, c1, c2, eps float32, blocks int)

//go:noescape
func adamw32(w, grad, m, v *float32, step, b1, c1, b2, c2, bc2, eps float32, blocks int)
