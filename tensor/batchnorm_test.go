package tensor

import (
	"math"
	"runtime"
	"testing"
)

// naiveChannels computes what the Channel functions compute, one feature
// at a time, in the plain order, as reference.
func naiveChannels[T Float](x, dy []T, n, c, s int, gamma, beta []float64) (mean, vr, inv []float64, y, xhat, dx, dxEval []T, sdy, sdyx []float64) {
	mean, vr, inv = make([]float64, c), make([]float64, c), make([]float64, c)
	sdy, sdyx = make([]float64, c), make([]float64, c)
	y, xhat, dx, dxEval = make([]T, len(x)), make([]T, len(x)), make([]T, len(x)), make([]T, len(x))
	m := float64(n * s)
	for f := 0; f < c; f++ {
		for i := 0; i < n; i++ {
			for j := 0; j < s; j++ {
				mean[f] += float64(x[(i*c+f)*s+j])
			}
		}
		mean[f] /= m
		for i := 0; i < n; i++ {
			for j := 0; j < s; j++ {
				d := float64(x[(i*c+f)*s+j]) - mean[f]
				vr[f] += d * d
			}
		}
		vr[f] /= m
		inv[f] = 1 / math.Sqrt(vr[f]+1e-5)
		for i := 0; i < n; i++ {
			for j := 0; j < s; j++ {
				o := (i*c+f)*s + j
				xh := (float64(x[o]) - mean[f]) * inv[f]
				xhat[o] = T(xh)
				y[o] = T(gamma[f]*xh + beta[f])
			}
		}
		for i := 0; i < n; i++ {
			for j := 0; j < s; j++ {
				o := (i*c+f)*s + j
				sdy[f] += float64(dy[o])
				sdyx[f] += float64(dy[o]) * float64(xhat[o])
			}
		}
		k := gamma[f] * inv[f]
		for i := 0; i < n; i++ {
			for j := 0; j < s; j++ {
				o := (i*c+f)*s + j
				dx[o] = T(k / m * (m*float64(dy[o]) - sdy[f] - float64(xhat[o])*sdyx[f]))
				dxEval[o] = T(k * float64(dy[o]))
			}
		}
	}
	return
}

// TestChannelsMatchPlainOrder checks the Channel functions bit for bit
// against the plain per-feature loops, on shapes that run in one piece and
// in chunks, with feature counts that leave remainders to the four- and
// two-feature groups, and with 1 and 2 goroutines.
func TestChannelsMatchPlainOrder(t *testing.T) {
	for _, sh := range [][3]int{{3, 5, 7}, {100, 7, 1}, {100, 256, 1}, {20, 13, 49}, {8, 32, 784}} {
		for _, procs := range []int{1, 2} {
			checkChannels[float32](t, sh, procs)
			checkChannels[float64](t, sh, procs)
		}
	}
}

func checkChannels[T Float](t *testing.T, sh [3]int, procs int) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	n, c, s := sh[0], sh[1], sh[2]
	x, dy := make([]T, n*c*s), make([]T, n*c*s)
	for i := range x {
		x[i] = T(math.Sin(float64(i)*0.37)*3 + float64(i%c)*0.25)
		dy[i] = T(math.Cos(float64(i) * 0.91))
	}
	gamma, beta := make([]float64, c), make([]float64, c)
	for f := range gamma {
		gamma[f], beta[f] = 1+0.1*float64(f), -0.05*float64(f)
	}
	wMean, wVr, wInv, wY, wXhat, wDx, wDxEval, wSdy, wSdyx := naiveChannels(x, dy, n, c, s, gamma, beta)

	mean, vr := make([]float64, c), make([]float64, c)
	ChannelMoments(mean, vr, x, n, c, s)
	inv := make([]float64, c)
	for f := range inv {
		inv[f] = 1 / math.Sqrt(vr[f]+1e-5)
	}
	y, xhat := make([]T, len(x)), make([]T, len(x))
	ChannelNormalize(y, xhat, x, n, c, s, mean, inv, gamma, beta)
	sdy, sdyx := make([]float64, c), make([]float64, c)
	ChannelGradSums(sdy, sdyx, dy, xhat, n, c, s)
	k := make([]float64, c)
	for f := range k {
		k[f] = gamma[f] * inv[f]
	}
	dx, dxEval := make([]T, len(x)), make([]T, len(x))
	ChannelNormGrad(dx, dy, xhat, n, c, s, k, sdy, sdyx)
	ChannelScale(dxEval, dy, n, c, s, k)

	same64 := func(name string, got, want []float64) {
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%v procs %d %T: %s[%d] = %v, want %v", sh, procs, T(0), name, i, got[i], want[i])
			}
		}
	}
	sameT := func(name string, got, want []T) {
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%v procs %d %T: %s[%d] = %v, want %v", sh, procs, T(0), name, i, got[i], want[i])
			}
		}
	}
	same64("mean", mean, wMean)
	same64("var", vr, wVr)
	same64("inv", inv, wInv)
	sameT("y", y, wY)
	sameT("xhat", xhat, wXhat)
	same64("sdy", sdy, wSdy)
	same64("sdyx", sdyx, wSdyx)
	sameT("dx", dx, wDx)
	sameT("dx (evaluation)", dxEval, wDxEval)
}

func TestChannelsPanicOnBadShapes(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", name)
			}
		}()
		f()
	}
	x := make([]float32, 12)
	mustPanic("size", func() { ChannelMoments(make([]float64, 3), make([]float64, 3), x, 2, 3, 3) })
	mustPanic("per-feature", func() { ChannelMoments(make([]float64, 2), make([]float64, 3), x, 2, 3, 2) })
	mustPanic("empty", func() { ChannelMoments(make([]float64, 3), make([]float64, 3), x[:0], 0, 3, 2) })
	mustPanic("outputs", func() {
		ChannelNormalize(make([]float32, 11), x, x, 2, 3, 2, make([]float64, 3), make([]float64, 3), make([]float64, 3), make([]float64, 3))
	})
}

func BenchmarkChannelNorm(b *testing.B) {
	n, c, s := 100, 32, 784
	x, dy := make([]float32, n*c*s), make([]float32, n*c*s)
	for i := range x {
		x[i] = float32(i%97) * 0.01
		dy[i] = float32(i%89) * 0.01
	}
	y, xhat, dx := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
	mean, vr, inv, g, bt, k := make([]float64, c), make([]float64, c), make([]float64, c), make([]float64, c), make([]float64, c), make([]float64, c)
	for f := range g {
		g[f], inv[f], k[f] = 1, 1, 1
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		ChannelMoments(mean, vr, x, n, c, s)
		ChannelNormalize(y, xhat, x, n, c, s, mean, inv, g, bt)
		ChannelGradSums(mean, vr, dy, xhat, n, c, s)
		ChannelNormGrad(dx, dy, xhat, n, c, s, k, mean, vr)
	}
}
