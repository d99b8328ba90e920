package tensor

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// poolSpecials are inputs where bit tricks go wrong first.
var poolSpecials = []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1),
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1e-40, -1e-40, math.MaxFloat32, -math.MaxFloat32}

// TestMaxPoolFastMatchesReference runs the branch-free pooling and the
// reference loop on inputs full of ties (small integers), signed zeros and
// infinities, for several windows, and compares outputs and routes; with a
// NaN in the input the fast path must decline.
func TestMaxPoolFastMatchesReference(t *testing.T) {
	testPoolFast[float32](t)
	testPoolFast[float64](t)
}

// poolWith returns a MaxPool2D over x [n, c, h, w] with window kh×kw and
// stride s (no padding), ready for pool and poolFast, and its output.
func poolWith[T Float](x *Tensor[T], kh, kw, s int) (*MaxPool2D[T], *Tensor[T]) {
	m := &MaxPool2D[T]{KH: kh, KW: kw, Stride: s}
	oh, ow, _ := m.Out(x.Dim(2), x.Dim(3))
	y := New[T](x.Dim(0), x.Dim(1), oh, ow)
	m.Forward(y, x) // sizes arg
	m.x, m.y = x.Data, y.Data
	return m, y
}

func testPoolFast[T Float](t *testing.T) {
	finite := poolSpecials[:0:0] // the fast path declines windows with both infinities
	for _, v := range poolSpecials {
		if !math.IsInf(v, 0) {
			finite = append(finite, v)
		}
	}
	// Widths from 8 (4 windows a row: one AVX2 block of four) to 33 (16
	// windows, two blocks of eight, and a column no window reads), 24 and
	// 14 (blocks of eight and four, and a scalar tail), 9 (four windows and
	// a column no window reads).
	for _, hw := range [][2]int{{7, 8}, {6, 16}, {5, 28}, {4, 33}, {3, 24}, {4, 14}, {3, 9}} {
		r := rng.NewNumpy(3)
		x := New[T](2, 3, hw[0], hw[1])
		for i := range x.Data {
			if i%5 == 0 {
				x.Data[i] = T(finite[r.Below(len(finite))])
			} else {
				x.Data[i] = T(int(r.Below(5)) - 2)
			}
		}
		for _, g := range [][3]int{{2, 2, 2}, {3, 3, 1}, {2, 3, 2}, {3, 2, 3}} {
			fast, y := poolWith(x, g[0], g[1], g[2])
			ref, want := poolWith(x, g[0], g[1], g[2])
			if !fast.poolFast(0, 6) {
				t.Fatalf("%T %v window %v: the fast path declined finite input", x.Data[0], hw, g)
			}
			ref.pool(0, 6)
			for i := range y.Data {
				if math.Float64bits(float64(y.Data[i])) != math.Float64bits(float64(want.Data[i])) || fast.arg[i] != ref.arg[i] {
					t.Fatalf("%T %v window %v, output %d: %v at %d, want %v at %d", x.Data[0], hw, g, i, y.Data[i], fast.arg[i], want.Data[i], ref.arg[i])
				}
			}
			// A NaN in any cell a window reads (the reference's output then
			// holds it) must make the fast path decline; elsewhere not.
			for i := range x.Data {
				old := x.Data[i]
				x.Data[i] = T(math.NaN())
				ref.pool(0, 6)
				read := false
				for _, v := range want.Data {
					read = read || v != v
				}
				if got := fast.poolFast(0, 6); got == read {
					t.Fatalf("%T %v window %v: NaN at %d: fast path accepted %v, want %v", x.Data[0], hw, g, i, got, !read)
				}
				x.Data[i] = old
			}
		}
	}
}

// TestMaxPoolSplitMatchesReference pools a batch large enough to be split
// between two goroutines and compares the output, the routes and the
// input gradient with the reference loop's, for 2×2 windows (unrolled) and
// 3×3 (general).
func TestMaxPoolSplitMatchesReference(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	r := rng.NewNumpy(5)
	x := RandN[float32](r, 1, 5, 8, 64, 66)
	if x.Len() < HalvesMin {
		t.Fatalf("input of %d elements is not split", x.Len())
	}
	for _, g := range [][3]int{{2, 2, 2}, {3, 3, 2}} {
		m := &MaxPool2D[float32]{KH: g[0], KW: g[1], Stride: g[2]}
		oh, ow, _ := m.Out(64, 66)
		y := New[float32](5, 8, oh, ow)
		m.Forward(y, x)
		ref, want := poolWith(x, g[0], g[1], g[2])
		ref.pool(0, 40)
		dy := RandN[float32](r, 1, y.Shape()...)
		dx := New[float32](x.Shape()...)
		m.Backward(dx, dy)
		wantDx := make([]float32, x.Len())
		for o, v := range dy.Data {
			wantDx[ref.arg[o]] += v
		}
		for i := range y.Data {
			if y.Data[i] != want.Data[i] || m.arg[i] != ref.arg[i] {
				t.Fatalf("window %v, output %d: %v at %d, want %v at %d", g, i, y.Data[i], m.arg[i], want.Data[i], ref.arg[i])
			}
		}
		for i, v := range dx.Data {
			if v != wantDx[i] {
				t.Fatalf("window %v: dx[%d] = %v, want %v", g, i, v, wantDx[i])
			}
		}
	}
}

// TestMaxPoolPanics checks the kernel's own shape checks.
func TestMaxPoolPanics(t *testing.T) {
	m := &MaxPool2D[float64]{KH: 2, KW: 2, Stride: 2}
	mustPanic(t, "needs input", func() { m.Forward(New[float64](2, 2), New[float64](4, 4)) })
	mustPanic(t, "does not fit", func() { m.Forward(New[float64](1, 1, 3, 3), New[float64](1, 1, 4, 4)) })
	mustPanic(t, "invalid window", func() {
		(&MaxPool2D[float64]{KH: 2, KW: 2, Stride: 2, Pad: 2}).Out(4, 4)
	})
}
