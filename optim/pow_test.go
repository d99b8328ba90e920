package optim

import (
	"math/big"
	"testing"
)

// TestPowInt compares powInt with x^n computed exactly in big.Float
// arithmetic and rounded once to float64, for Adam's usual betas and step
// counts up to 10⁶.
func TestPowInt(t *testing.T) {
	for _, x := range []float64{0.9, 0.999, 0.99, 0.5, 0.8, 0} {
		for _, n := range []int{0, 1, 2, 3, 7, 30, 100, 1000, 12345, 1000000} {
			want := exactPow(x, n)
			if got := powInt(x, n); got != want {
				t.Errorf("powInt(%v, %d) = %v, want %v", x, n, got, want)
			}
		}
	}
}

// exactPow returns x^n rounded once to float64, from big.Float products
// with enough precision to be exact (53·n bits) up to n = 1000 and with
// 4096 bits (error far below an ulp) above.
func exactPow(x float64, n int) float64 {
	prec := uint(min(53*n+53, 4096))
	r := new(big.Float).SetPrec(prec).SetFloat64(1)
	b := new(big.Float).SetPrec(prec).SetFloat64(x)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r.Mul(r, b)
		}
		b.Mul(b, b)
	}
	f, _ := r.Float64()
	return f
}
