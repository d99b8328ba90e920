package tensor

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

func TestGemmSparseMatchesDense(t *testing.T) {
	// Products whose a is mostly zeros (+0 and -0, a NaN among them),
	// plain or transposed, take the sparse path and give the bits of the
	// dense one: blocks of 64 columns and the masked ones after, runs past
	// blockKC, op(a)'s rows not a multiple of eight long, beta 0 and 1, one
	// goroutine or two. With
	// an infinite element in b, the dense path is taken (its 0·Inf terms
	// make NaNs the sparse path would leave out).
	if !haveSIMD {
		t.Skip("no SIMD kernels on this machine: no sparse path")
	}
	defer func() { sparseOn = true }()
	r := rng.NewNumpy(12)
	for _, sz := range [][3]int{{100, 50, 784}, {3, 17, 9}, {40, 64, 257}, {33, 100, 600}, {64, 128, 5}, {10, 81, 1}, {7, 50, 8}, {12, 20, 1000}, {5, 30, 77}, {6, 45, 300}} {
		m, n, k := sz[0], sz[1], sz[2]
		for l := range 4 {
			density, ta := []float64{0, 1.0 / 7}[l%2], l >= 2
			ash, rowLen := []int{m, k}, k
			if ta {
				ash, rowLen = []int{k, m}, m
			}
			a, b := RandN[float32](r, 1, ash...), RandN[float32](r, 1, k, n)
			for i := range a.Data {
				// One element in seven kept (density 1/7) but in the
				// first and last rows (which decide), or none; the others
				// +0 and -0 in turn.
				if row := i / rowLen; density == 0 || i%7 != 3 || row == 0 || row == len(a.Data)/rowLen-1 {
					a.Data[i] = float32(math.Copysign(0, float64(i%2*2-1)))
				}
			}
			if len(a.Data) >= 2*rowLen {
				a.Data[rowLen+rowLen/2] = float32(math.NaN()) // in the second row
			}
			first, last := a.Data[:rowLen], a.Data[len(a.Data)-rowLen:]
			if !sparseOK(m, n, k, first, last, b.Data, n) {
				t.Fatalf("%dx%dx%d transA=%v density %v: the sparse path is not taken", m, n, k, ta, density)
			}
			for _, inf := range []bool{false, true} {
				if inf {
					b.Data[len(b.Data)/2] = float32(math.Inf(1))
					if sparseOK(m, n, k, first, last, b.Data, n) {
						t.Fatalf("%dx%dx%d: the sparse path is taken with an infinite element in b", m, n, k)
					}
				}
				for _, beta := range []float32{0, 1} {
					for _, procs := range []int{1, 2} {
						c0 := RandN[float32](r, 1, m, n)
						var got [2]*Tensor[float32]
						func() {
							defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
							defer func() { sparseOn = true }()
							for j, on := range []bool{true, false} {
								sparseOn = on
								got[j] = c0.Clone()
								Gemm(ta, false, 1, a, b, beta, got[j])
							}
						}()
						for e := range got[0].Data {
							if math.Float32bits(got[0].Data[e]) != math.Float32bits(got[1].Data[e]) {
								t.Fatalf("%dx%dx%d transA=%v density %v inf=%v beta %v procs %d: element %d is %v sparse, %v dense", m, n, k, ta, density, inf, beta, procs, e, got[0].Data[e], got[1].Data[e])
							}
						}
					}
				}
			}
		}
	}
}

func TestGemmSparseNeedsSparseRows(t *testing.T) {
	// Dense data (no zeros), a causal attention's probabilities (row i
	// with i+1 nonzero elements: the first row sparse, the last dense),
	// too few columns, or too many in the last block of 64, keep the
	// dense path.
	if !haveSIMD {
		t.Skip("no SIMD kernels on this machine: no sparse path")
	}
	r := rng.NewNumpy(13)
	a, b := RandN[float32](r, 1, 10, 30), RandN[float32](r, 1, 30, 80)
	if sparseOK(10, 50, 30, a.Data[:30], a.Data[270:], b.Data, 80) {
		t.Error("a dense a takes the sparse path")
	}
	att := New[float32](64, 64)
	for i := range 64 {
		for j := 0; j <= i; j++ {
			att.Data[i*64+j] = 1 / float32(i+1)
		}
	}
	v := RandN[float32](r, 1, 64, 32)
	for _, ta := range []bool{false, true} {
		first, last := att.Data[:64], att.Data[63*64:]
		if ta { // attᵀ·dy: a's rows are att's rows all the same
			first, last = att.Data[:64], att.Data[63*64:]
		}
		if sparseOK(64, 32, 64, first, last, v.Data, 32) {
			t.Errorf("transA=%v: a causal attention's probabilities take the sparse path", ta)
		}
	}
	clear(a.Data)
	for _, n := range []int{16, 65, 80} {
		if sparseOK(10, n, 30, a.Data[:30], a.Data[270:], b.Data, 80) {
			t.Errorf("%d columns take the sparse path", n)
		}
	}
	if !sparseOK(10, 50, 30, a.Data[:30], a.Data[270:], b.Data, 80) {
		t.Error("a zero a with 50 columns does not take the sparse path")
	}
}

// BenchmarkGemmSparse times an MNIST MLP's x·W1 (100x784x50, float32)
// with x's elements zero but for a fraction (the density; MNIST's pixels:
// 0.19), on the sparse path (sparse) and the dense one (dense), and
// reports the multiply-adds of the nonzero terms as GFLOP/s (2 a term).
func BenchmarkGemmSparse(b *testing.B) {
	for _, density := range []float64{0.1, 0.2, 0.3, 0.4} {
		r := rng.NewNumpy(3)
		x, w, c := RandN[float32](r, 1, 100, 784), RandN[float32](r, 1, 784, 50), New[float32](100, 50)
		nz := 0
		for i := range x.Data {
			if r.Float64() >= density {
				x.Data[i] = 0
			} else {
				nz++
			}
		}
		for _, on := range []bool{true, false} {
			name := fmt.Sprintf("density%.1f/dense", density)
			if on {
				name = fmt.Sprintf("density%.1f/sparse", density)
			}
			b.Run(name, func(b *testing.B) {
				defer func() { sparseOn = true }()
				sparseOn = on
				for b.Loop() {
					MatMulTo(c, x, w, false, false)
				}
				b.ReportMetric(2*float64(nz)*50*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
