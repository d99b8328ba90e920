package tensor

import "github.com/kiso-go/kiso/rng"

// RandN returns a tensor of the given shape filled with std times standard
// normal deviates drawn from r in row-major order, as numpy's
// std * np.random.randn(*shape) does (element for element, when r was
// seeded with rng.NewNumpy).
func RandN[T Float](r *rng.MT, std float64, shape ...int) *Tensor[T] {
	t := New[T](shape...)
	FillNormal(t, r, 0, std)
	return t
}

// FillNormal fills t with mean + std * (standard normal) drawn from r in
// row-major order. The deviate is computed in float64 and then rounded to T.
func FillNormal[T Float](t *Tensor[T], r *rng.MT, mean, std float64) {
	for i := range t.Data {
		t.Data[i] = T(mean + float64(std*r.Norm())) // no fused multiply-add: same bits on every platform
	}
}

// FillUniform fills t with uniform values in [lo, hi) drawn from r in
// row-major order.
func FillUniform[T Float](t *Tensor[T], r *rng.MT, lo, hi float64) {
	for i := range t.Data {
		t.Data[i] = T(lo + (hi-lo)*r.Float64())
	}
}
