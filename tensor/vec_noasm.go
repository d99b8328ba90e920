//go:build !amd64 || purego

package tensor

// Without assembly useSIMD is false and these are never called.

func relu32(dst, x *float32, blocks int)              { panic("tensor: no ReLU kernel") }
func relu64(dst, x *float64, blocks int)              { panic("tensor: no ReLU kernel") }
func reluGrad32(dst, x, dy *float32, blocks int)      { panic("tensor: no ReLU kernel") }
func reluGrad64(dst, x, dy *float64, blocks int)      { panic("tensor: no ReLU kernel") }
func axpy32(y, x *float32, alpha float32, blocks int) { panic("tensor: no AddScaled kernel") }
func axpy64(y, x *float64, alpha float64, blocks int) { panic("tensor: no AddScaled kernel") }

func add32(dst, a, b *float32, blocks int) { panic("tensor: no AddTo kernel") }
func add64(dst, a, b *float64, blocks int) { panic("tensor: no AddTo kernel") }

func spinPause() {}

func pool2x2f32(y *float32, arg *int, top *float32, w, base, blocks int) int {
	panic("tensor: no pooling kernel")
}

func bnNormalize32(y, xhat, x *float32, mean, inv, gamma, beta float64, blocks int) {
	panic("tensor: no batch-norm kernel")
}

func bnNormGrad32(dx, dy, xhat *float32, km, m, sdy, sdyx float64, blocks int) {
	panic("tensor: no batch-norm kernel")
}

func adam32(w, grad, m, v *float32, lr, c1, c2, eps float32, blocks int) {
	panic("tensor: no Adam kernel")
}

func adamw32(w, grad, m, v *float32, step, b1, c1, b2, c2, bc2, eps float32, blocks int) {
	panic("tensor: no Adam kernel")
}

func pool2x2f32x4(y *float32, arg *int, top *float32, w, base int) int {
	panic("tensor: no pooling kernel")
}

func bytesDiv32(dst *float32, src *uint8, div float32, blocks int) {
	panic("tensor: no BytesTo kernel")
}
