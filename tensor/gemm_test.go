package tensor

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// opAt returns element (i, j) of op(x) for a row-major x.
func opAt[T Float](x *Tensor[T], trans bool, i, j int) float64 {
	if trans {
		return float64(x.Data[j*x.shape[1]+i])
	}
	return float64(x.Data[i*x.shape[1]+j])
}

// checkGemm runs Gemm on one case and compares every element with a
// float64 reference, within the rounding bound of a k-term sum:
// |c - ref| <= 2(k+2)·u·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c0_ij|), u the
// unit roundoff of T.
func checkGemm[T Float](t *testing.T, r *rng.MT, m, n, k int, ta, tb bool, alpha, beta T) {
	t.Helper()
	ash, bsh := []int{m, k}, []int{k, n}
	if ta {
		ash = []int{k, m}
	}
	if tb {
		bsh = []int{n, k}
	}
	a, b, c := RandN[T](r, 1, ash...), RandN[T](r, 1, bsh...), RandN[T](r, 1, m, n)
	c0 := c.Clone()
	Gemm(ta, tb, alpha, a, b, beta, c)
	u := 0x1p-53
	if unsafeSize[T]() == 4 {
		u = 0x1p-24
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, mag float64
			for p := 0; p < k; p++ {
				v := opAt(a, ta, i, p) * opAt(b, tb, p, j)
				s += v
				mag += math.Abs(v)
			}
			want := float64(alpha)*s + float64(beta)*float64(c0.Data[i*n+j])
			bound := 2 * float64(k+2) * u * (math.Abs(float64(alpha))*mag + math.Abs(float64(beta)*float64(c0.Data[i*n+j])))
			if got := float64(c.Data[i*n+j]); math.Abs(got-want) > bound || math.IsNaN(got) {
				t.Fatalf("%T %dx%dx%d transA=%v transB=%v alpha=%v beta=%v simd=%v: c[%d,%d] = %v, want %v ± %.3g",
					alpha, m, n, k, ta, tb, alpha, beta, useSIMD, i, j, got, want, bound)
			}
		}
	}
}

func unsafeSize[T Float]() int {
	var z T
	switch any(z).(type) {
	case float32:
		return 4
	}
	return 8
}

// gemmShapes are m, n, k triples: every size 1..67 appears, as do sizes
// past the blocking (k > blockKC, m > blockMC).
func gemmShapes(r *rng.MT) [][3]int {
	s := [][3]int{{1, 1, 1}, {6, 8, 1}, {6, 16, 300}, {200, 9, 20}, {7, 2100, 3}, {97, 33, 513}, {67, 67, 67}}
	for i := 1; i <= 67; i++ {
		s = append(s, [3]int{i, 1 + r.Below(67), 1 + r.Below(67)}, [3]int{1 + r.Below(67), i, 1 + r.Below(67)}, [3]int{1 + r.Below(67), 1 + r.Below(67), i})
	}
	return s
}

// withKernels runs f with the SIMD micro-kernels (where the CPU has them)
// and with the portable one.
func withKernels(t *testing.T, f func(t *testing.T)) {
	saved := useSIMD
	defer func() { useSIMD = saved }()
	for _, simd := range []bool{true, false} {
		if simd && !haveSIMD {
			continue
		}
		useSIMD = simd
		t.Run(fmt.Sprintf("simd=%v", simd), f)
	}
}

func TestGemmShapesTransposesScales(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		r := rng.NewNumpy(5)
		scales := [][2]float64{{1, 0}, {-0.5, 1}, {2, -0.25}}
		for i, sz := range gemmShapes(r) {
			ta, tb := i%2 == 1, i/2%2 == 1
			ab := scales[i%3]
			checkGemm(t, r, sz[0], sz[1], sz[2], ta, tb, ab[0], ab[1])
			checkGemm(t, r, sz[0], sz[1], sz[2], !ta, !tb, float32(ab[0]), float32(ab[1]))
		}
	})
}

func TestGemmEdgeColumns(t *testing.T) {
	// Products whose last panel of columns holds one or two, as an MLP
	// of width 50 or a two-class output layer has: k past blockKC with
	// every run length, a block of columns past blockNC, one row (rows)
	// and many, b plain and transposed, beta 0 and 1.
	withKernels(t, func(t *testing.T) {
		r := rng.NewNumpy(9)
		for _, n := range []int{1, 2, 17, 18, 50, 2050} {
			for _, k := range []int{256, 257, 263, 270, 271, 784} {
				for _, m := range []int{1, 2, 7, 100} {
					if m*n*k > 1<<20 {
						continue
					}
					tb := (n+k+m)%2 == 1
					checkGemm(t, r, m, n, k, false, tb, float32(1), float32(m%2))
					checkGemm(t, r, m, n, k, false, !tb, float64(1), float64(m%2))
				}
			}
		}
	})
}

func TestGemmBlockedIgnoresNaNWithBetaZero(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		r := rng.NewNumpy(2)
		a, b := RandN[float64](r, 1, 40, 30), RandN[float64](r, 1, 30, 50)
		c := New[float64](40, 50)
		c.Fill(math.NaN())
		MatMulTo(c, a, b, false, false)
		want := MatMulTo(New[float64](40, 50), a, b, false, false)
		if d := MaxAbsDiff(c, want); d != 0 {
			t.Errorf("NaNs in dst leak into the product: difference %v", d)
		}
	})
}

func TestGemmSmallSumsInNumpyOrder(t *testing.T) {
	// Below the blocking threshold every element is ((0 + a0·b0) + a1·b1)
	// + ..., each product rounded before it is added.
	r := rng.NewNumpy(3)
	for _, sz := range [][3]int{{1, 2, 2}, {4, 3, 5}, {15, 15, 15}, {40, 16, 15}, {500, 2, 127}} {
		m, n, k := sz[0], sz[1], sz[2]
		if !small(n, k) {
			t.Fatalf("%v is not small", sz)
		}
		a, b := RandN[float64](r, 1, m, k), RandN[float64](r, 1, k, n)
		c := MatMul(a, b)
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var s float64
				for p := 0; p < k; p++ {
					s += float64(a.At(i, p) * b.At(p, j))
				}
				if c.At(i, j) != s {
					t.Fatalf("%v: c[%d,%d] = %v, want %v to the bit", sz, i, j, c.At(i, j), s)
				}
			}
		}
	}
}

func TestGemmDeterministicAcrossThreads(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		r := rng.NewNumpy(4)
		// All but the first are cut into chunks for the team (m·n·k >=
		// parallelMin), by rows or by columns, in as many chunks as
		// GOMAXPROCS and the size allow.
		for _, sz := range [][3]int{{20, 30, 40}, {100, 50, 784}, {784, 50, 100}, {100, 784, 50}, {300, 200, 150}, {130, 400, 170}} {
			m, n, k := sz[0], sz[1], sz[2]
			for _, tb := range []bool{false, true} {
				a, b := RandN[float32](r, 1, m, k), RandN[float32](r, 1, k, n)
				if tb {
					b = RandN[float32](r, 1, n, k)
				}
				one := func(procs int) *Tensor[float32] {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					return MatMulTo(New[float32](m, n), a, b, false, tb)
				}
				c1 := one(1)
				for _, procs := range []int{2, 2, 3, 4} {
					c := one(procs)
					for i := range c1.Data {
						if c1.Data[i] != c.Data[i] {
							t.Fatalf("%v transB=%v: element %d is %v with 1 thread, %v with %d", sz, tb, i, c1.Data[i], c.Data[i], procs)
						}
					}
				}
			}
		}
	})
}

func TestGemmInPlaceMatchesPacked(t *testing.T) {
	// Reading the operands in place (kernel.runS) and packing them give
	// the same bits, for every layout and for edge tiles, with alpha 1
	// and scaled (op(a) then packed, op(b) still read in place).
	if !haveSIMD {
		t.Skip("no SIMD kernels on this machine: nothing is read in place")
	}
	defer func() { directOK = true }()
	r := rng.NewNumpy(8)
	type shape struct {
		m, n, k int
		ta, tb  bool
	}
	var shapes []shape
	for i, sz := range gemmShapes(r) {
		shapes = append(shapes, shape{sz[0], sz[1], sz[2], i%2 == 1, i/2%2 == 1})
	}
	// The MNIST shapes, and edge panels of one and two columns over whole
	// blocks of rows (kernel.edgeT, and kernel.edgeN: from eight rows on,
	// runs of every length mod 4 and of fewer than four terms, panels of
	// two columns read in place), in every layout.
	for _, sz := range [][3]int{{100, 50, 784}, {784, 50, 100}, {100, 784, 50}, {97, 130, 300}, {192, 17, 33}, {300, 33, 7}, {96, 2, 300}, {100, 1000, 200},
		{24, 2, 7}, {30, 1, 9}, {48, 18, 262}, {72, 50, 5}, {100, 50, 3}, {97, 2, 258}, {23, 2, 40}, {150, 17, 4}, {8, 2, 5}, {13, 18, 4}, {9, 1, 300}, {7, 2, 40}} {
		for i := range 4 {
			shapes = append(shapes, shape{sz[0], sz[1], sz[2], i%2 == 1, i/2 == 1})
		}
	}
	for i, sh := range shapes {
		m, n, k, ta, tb := sh.m, sh.n, sh.k, sh.ta, sh.tb
		ash, bsh := []int{m, k}, []int{k, n}
		if ta {
			ash = []int{k, m}
		}
		if tb {
			bsh = []int{n, k}
		}
		a, b, c0 := RandN[float32](r, 1, ash...), RandN[float32](r, 1, bsh...), RandN[float32](r, 1, m, n)
		beta := float32(i % 2)
		alpha := float32(1)
		if i%3 == 2 {
			alpha = 0.17677669 // attention's 1/√32
		}
		var got [2]*Tensor[float32]
		for j, direct := range []bool{true, false} {
			directOK = direct
			got[j] = c0.Clone()
			Gemm(ta, tb, alpha, a, b, beta, got[j])
		}
		for e := range got[0].Data {
			if math.Float32bits(got[0].Data[e]) != math.Float32bits(got[1].Data[e]) {
				t.Fatalf("%dx%dx%d transA=%v transB=%v: element %d is %v in place, %v packed", m, n, k, ta, tb, e, got[0].Data[e], got[1].Data[e])
			}
		}
	}
}

func TestInPlaceBOK(t *testing.T) {
	// Rows up to 1 KiB apart are read in place; farther rows on every
	// cache set too, under at most 256 rows of op(a); rows whose distance
	// is a multiple of 128 bytes past 1 KiB are packed.
	for _, tt := range []struct {
		stride, m int
		want      bool
	}{
		{4, 1000, true}, {1024, 1000, true}, {1028, 100, true}, {4000, 100, true}, {3136, 16, true}, {8 * 1000, 256, true}, {4 * 1001, 1, true},
		{1028, 257, false}, {4000, 784, false},
		{1152, 100, false}, {1536, 1, false}, {2048, 100, false}, {4096, 20, false}, {4 * 3072, 1, false},
	} {
		if got := inPlaceBOK(tt.stride, tt.m); got != tt.want {
			t.Errorf("inPlaceBOK(%d, %d) = %v, want %v", tt.stride, tt.m, got, tt.want)
		}
	}
}

func TestGemmRowsDoNotDependOnBatch(t *testing.T) {
	// A layer's output for a case is the same whatever batch it is in:
	// row i of x·W, of x·Wᵀ, and of x·W + b, computed for one row alone,
	// for ten rows and for a hundred.
	withKernels(t, func(t *testing.T) {
		r := rng.NewNumpy(7)
		for _, nk := range [][2]int{{2, 2}, {10, 20}, {16, 16}, {50, 784}, {784, 50}, {33, 300}, {70, 513}, {64, 1}} {
			n, k := nk[0], nk[1]
			x, w, b := RandN[float32](r, 1, 100, k), RandN[float32](r, 1, k, n), RandN[float32](r, 1, n)
			wt := New[float32](n, k)
			for p := 0; p < k; p++ {
				for j := 0; j < n; j++ {
					wt.Data[j*k+p] = w.Data[p*n+j]
				}
			}
			full, fullT, fullA := MatMul(x, w), MatMulTo(New[float32](100, n), x, wt, false, true), AffineTo(New[float32](100, n), x, w, b)
			for _, m := range []int{1, 2, 10} { // 1 and 2 take rows with the SIMD kernels
				for i0 := 0; i0+m <= 100; i0 += 37 {
					part := FromSlice(x.Data[i0*k:(i0+m)*k], m, k)
					got, gotT, gotA := MatMul(part, w), MatMulTo(New[float32](m, n), part, wt, false, true), AffineTo(New[float32](m, n), part, w, b)
					for i, v := range got.Data {
						if j := i0*n + i; v != full.Data[j] || gotT.Data[i] != fullT.Data[j] || gotA.Data[i] != fullA.Data[j] {
							t.Fatalf("n=%d k=%d: rows %d..%d alone differ from the batch of 100 at element %d", n, k, i0, i0+m, i)
						}
					}
				}
			}
		}
	})
}

func TestAffineToMatchesMatMulThenAddRow(t *testing.T) {
	withKernels(t, func(t *testing.T) {
		r := rng.NewNumpy(6)
		for _, sz := range [][3]int{{1, 2, 2}, {3, 4, 5}, {100, 50, 784}} {
			m, n, k := sz[0], sz[1], sz[2]
			x, w, b := RandN[float64](r, 1, m, k), RandN[float64](r, 1, k, n), RandN[float64](r, 1, n)
			want := MatMul(x, w)
			AddRowTo(want, want, b)
			got := AffineTo(New[float64](m, n), x, w, b)
			if d := MaxAbsDiff(got, want); d != 0 {
				t.Errorf("%v: AffineTo differs from MatMulTo + AddRowTo by %v", sz, d)
			}
		}
	})
	mustPanic(t, "AffineTo: shape mismatch", func() { AffineTo(New[float64](2, 2), New[float64](2, 3), New[float64](2, 2), New[float64](2)) })
	mustPanic(t, "AffineTo: row of shape [3]", func() { AffineTo(New[float64](2, 2), New[float64](2, 2), New[float64](2, 2), New[float64](3)) })
}

func TestGemmBlockedAllocatesNothing(t *testing.T) {
	// Packing buffers and the team's tasks come from pools: a training
	// step's products allocate nothing, cut into chunks or not (the
	// "split" ones are, when GOMAXPROCS allows).
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	allocsPerProduct[float64](t)
	allocsPerProduct[float32](t)
}

func allocsPerProduct[T Float](t *testing.T) {
	t.Helper()
	a, b, c := New[T](16, 32), New[T](32, 32), New[T](16, 32)
	x, w, y := New[T](200, 784), New[T](784, 100), New[T](200, 100) // above parallelMin
	for _, tt := range []struct {
		name           string
		dst, x, y      *Tensor[T]
		transA, transB bool
	}{{"x·W", c, a, b, false, false}, {"xᵀ·dy", b, a, c, true, false}, {"dy·Wᵀ", a, c, b, false, true},
		{"split x·W", y, x, w, false, false}, {"split xᵀ·dy", w, x, y, true, false}, {"split dy·Wᵀ", x, y, w, false, true}} {
		if n := testing.AllocsPerRun(50, func() { MatMulTo(tt.dst, tt.x, tt.y, tt.transA, tt.transB) }); n != 0 {
			t.Errorf("%T %s: %v allocations per product", T(0), tt.name, n)
		}
	}
}

func TestGemmOverwriteMatchesClearThenAdd(t *testing.T) {
	// With beta = 0 the blocked product overwrites c in its first run
	// (kernel's over) instead of clearing it first: the bits must be those
	// of adding the product to a cleared c (beta = 1 on zeros), NaNs in c
	// ignored, for every layout, edge tiles (kernel.half, edgeT), runs past
	// blockKC, operands read in place or packed, both kernels, one thread
	// or several.
	withKernels(t, func(t *testing.T) {
		defer func() { directOK = true }()
		r := rng.NewNumpy(11)
		sizes := [][3]int{{100, 50, 784}, {784, 50, 100}, {100, 1000, 10}, {96, 2, 300}, {97, 130, 300}, {7, 2100, 3}, {192, 17, 600}, {768, 128, 128}}
		for i, sz := range gemmShapes(r) {
			if i%9 == 0 {
				sizes = append(sizes, sz)
			}
		}
		for _, sz := range sizes {
			m, n, k := sz[0], sz[1], sz[2]
			for l := range 4 {
				ta, tb := l%2 == 1, l/2 == 1
				ash, bsh := []int{m, k}, []int{k, n}
				if ta {
					ash = []int{k, m}
				}
				if tb {
					bsh = []int{n, k}
				}
				a, b := RandN[float32](r, 1, ash...), RandN[float32](r, 1, bsh...)
				a64, b64 := RandN[float64](r, 1, ash...), RandN[float64](r, 1, bsh...)
				for _, direct := range []bool{true, false} {
					directOK = direct
					for _, procs := range []int{1, 2} {
						func() {
							defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
							want := Gemm(ta, tb, 1, a, b, 1, New[float32](m, n))
							got := New[float32](m, n)
							got.Fill(float32(math.NaN()))
							Gemm(ta, tb, 1, a, b, 0, got)
							for e := range want.Data {
								if math.Float32bits(got.Data[e]) != math.Float32bits(want.Data[e]) {
									t.Fatalf("float32 %dx%dx%d transA=%v transB=%v direct=%v procs=%d: element %d is %v overwritten, %v added to zeros", m, n, k, ta, tb, direct, procs, e, got.Data[e], want.Data[e])
								}
							}
							want64 := Gemm(ta, tb, 0.5, a64, b64, 1, New[float64](m, n))
							got64 := New[float64](m, n)
							got64.Fill(math.NaN())
							Gemm(ta, tb, 0.5, a64, b64, 0, got64)
							for e := range want64.Data {
								if math.Float64bits(got64.Data[e]) != math.Float64bits(want64.Data[e]) {
									t.Fatalf("float64 %dx%dx%d transA=%v transB=%v procs=%d: element %d is %v overwritten, %v added to zeros", m, n, k, ta, tb, procs, e, got64.Data[e], want64.Data[e])
								}
							}
						}()
					}
				}
			}
		}
	})
}
