package tensor

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestExpSum32 checks the float32 exponentials against math.Exp (8.3e-8
// relative measured over [-87, 0]; held to 1e-7), the sum against the
// float64 sum (to 1e-6 relative for rows of up to 200), and that the
// assembly kernel gives the pure-Go loop's bits, sums included.
func TestExpSum32(t *testing.T) {
	defer func() { useSIMD = haveSIMD }()
	r := rng.NewNumpy(7)
	for n := 0; n <= 200; n += 1 + n/8 {
		x := RandN[float32](r, 4, n+1).Data[:n]
		m := float32(0)
		for _, v := range x {
			m = max(m, v)
		}
		var dst [2][]float32
		var sum [2]float32
		for k, simd := range []bool{haveSIMD, false} {
			useSIMD = simd
			dst[k] = make([]float32, n)
			sum[k] = ExpSum(dst[k], x, m)
		}
		var ref float64
		for i, v := range x {
			e := math.Exp(float64(v - m))
			ref += e
			if d := math.Abs(float64(dst[0][i])-e) / e; d > 1e-7 {
				t.Errorf("n %d: exp(%v) = %v, want %v (relative error %.3g)", n, v-m, dst[0][i], e, d)
			}
			if math.Float32bits(dst[0][i]) != math.Float32bits(dst[1][i]) {
				t.Fatalf("n %d, element %d: assembly %v, Go %v", n, i, dst[0][i], dst[1][i])
			}
		}
		if math.Float32bits(sum[0]) != math.Float32bits(sum[1]) {
			t.Fatalf("n %d: sum %v with assembly, %v in Go", n, sum[0], sum[1])
		}
		if d := math.Abs(float64(sum[0])-ref) / max(ref, 1e-30); n > 0 && d > 1e-6 {
			t.Errorf("n %d: sum %v, want %v", n, sum[0], ref)
		}
	}
	// Over the whole range of arguments, 2^20 points of [-87, 0].
	const n = 1 << 20
	x := make([]float32, n)
	for i := range x {
		x[i] = -87 * float32(i) / n
	}
	dst := make([]float32, n)
	ExpSum(dst, x, 0)
	worst := 0.0
	for i, v := range x {
		e := math.Exp(float64(v))
		worst = max(worst, math.Abs(float64(dst[i])-e)/e)
	}
	if worst > 1e-7 {
		t.Errorf("exp over [-87, 0]: relative error %.3g, want at most 1e-7", worst)
	}
}

// TestExpSumSpecial checks -Inf and arguments far below zero (0), NaN
// (NaN), and that float64 uses Exp.
func TestExpSumSpecial(t *testing.T) {
	x := []float32{0, float32(math.Inf(-1)), -100, -87.5, float32(math.NaN()), -1, -2, -3, -1e30}
	for _, simd := range []bool{false, haveSIMD} {
		useSIMD = simd
		d := make([]float32, len(x))
		ExpSum(d, x, 0)
		want := []float32{1, 0, 0, 0, float32(math.NaN()), float32(math.Exp(-1)), float32(math.Exp(-2)), float32(math.Exp(-3)), 0}
		for i := range d {
			if !(d[i] == want[i] || math.IsNaN(float64(want[i])) && math.IsNaN(float64(d[i]))) {
				t.Errorf("simd %v: exp(%v) = %v, want %v", simd, x[i], d[i], want[i])
			}
		}
	}
	useSIMD = haveSIMD
	x64 := []float64{0.5, -1, -700}
	d64 := make([]float64, 3)
	if s := ExpSum(d64, x64, 0.5); d64[1] != Exp(-1.5) || s != (1+Exp(-1.5))+Exp(-700.5) {
		t.Errorf("float64: %v, sum %v", d64, s)
	}
}

// BenchmarkExpSum times the exponentials of a softmax over rows of 64.
func BenchmarkExpSum(b *testing.B) {
	b.Run("float32", func(b *testing.B) { benchExpSum[float32](b) })
	b.Run("float64", func(b *testing.B) { benchExpSum[float64](b) })
}

func benchExpSum[T Float](b *testing.B) {
	x := RandN[T](rng.NewNumpy(1), 2, 1<<12).Data
	dst := make([]T, len(x))
	for b.Loop() {
		for i := 0; i < len(x); i += 64 {
			ExpSum(dst[i:i+64], x[i:i+64], 3)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(x)), "ns/elem")
}
