package tensor

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestRowNormMatchesPlainLoops checks RowNormalize and RowNormGrad bit for
// bit against the plain row loops, with and without beta, in one piece and
// in chunks (1 and 2 goroutines).
func TestRowNormMatchesPlainLoops(t *testing.T) {
	testRowNorm[float32](t)
	testRowNorm[float64](t)
}

func testRowNorm[T Float](t *testing.T) {
	r := rng.NewNumpy(6)
	for _, sh := range [][2]int{{1, 1}, {3, 5}, {768, 128}, {100, 1000}} {
		rows, f := sh[0], sh[1]
		x, dy := RandN[T](r, 1, rows*f).Data, RandN[T](r, 1, rows*f).Data
		gamma, beta := RandN[T](r, 1, f).Data, RandN[T](r, 1, f).Data
		for _, withBeta := range []bool{false, true} {
			b := beta
			if !withBeta {
				b = nil
			}
			const eps = 1e-5
			// The reference: nn.LayerNorm's loops before RowNormalize.
			wy, wh, wdx, winv := make([]T, len(x)), make([]T, len(x)), make([]T, len(x)), make([]float64, rows)
			for q := range rows {
				xr, hr, yr := x[q*f:(q+1)*f], wh[q*f:(q+1)*f], wy[q*f:(q+1)*f]
				mean := 0.0
				for _, v := range xr {
					mean += float64(v)
				}
				mean /= float64(f)
				variance := 0.0
				for _, v := range xr {
					d := float64(v) - mean
					variance += d * d
				}
				variance /= float64(f)
				winv[q] = 1 / math.Sqrt(variance+eps)
				for i, v := range xr {
					h := (float64(v) - mean) * winv[q]
					hr[i] = T(h)
					yr[i] = T(h * float64(gamma[i]))
				}
				for i := range b {
					yr[i] += b[i]
				}
				dyr, dxr := dy[q*f:(q+1)*f], wdx[q*f:(q+1)*f]
				sumG, sumGH := 0.0, 0.0
				for i, d := range dyr {
					g := float64(d) * float64(gamma[i])
					sumG += g
					sumGH += g * float64(hr[i])
				}
				meanG, meanGH := sumG/float64(f), sumGH/float64(f)
				for i, d := range dyr {
					g := float64(d) * float64(gamma[i])
					dxr[i] = T((g - meanG - float64(hr[i])*meanGH) * winv[q])
				}
			}
			for _, procs := range []int{1, 2} {
				old := runtime.GOMAXPROCS(procs)
				y, h, dx, inv := make([]T, len(x)), make([]T, len(x)), make([]T, len(x)), make([]float64, rows)
				RowNormalize(y, h, x, inv, f, gamma, b, eps)
				RowNormGrad(dx, dy, h, inv, f, gamma)
				runtime.GOMAXPROCS(old)
				for i := range x {
					if y[i] != wy[i] || h[i] != wh[i] || dx[i] != wdx[i] {
						t.Fatalf("%T %v beta %v procs %d: element %d: y, xhat, dx = %v %v %v, want %v %v %v", T(0), sh, withBeta, procs, i, y[i], h[i], dx[i], wy[i], wh[i], wdx[i])
					}
				}
				for q := range inv {
					if inv[q] != winv[q] {
						t.Fatalf("%T %v procs %d: inv[%d] = %v, want %v", T(0), sh, procs, q, inv[q], winv[q])
					}
				}
			}
		}
	}
}
