package tensor

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestConv2DMatchesIm2col compares the kernel's forward and backward
// passes in float64 with the book's formulation through Im2col and Col2im
// (y = col·Wᵀ + b, dW = dyᵀ·col, dx = Col2im(dy·W)), for several windows,
// on one goroutine and on two (a batch large enough to be split). The two
// compute the same sums in different orders: 1e-12 of the largest
// magnitude bounds their difference (about 1e-15 is seen).
func TestConv2DMatchesIm2col(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	r := rng.NewNumpy(11)
	for _, g := range []struct{ n, in, out, h, w, kh, kw, stride, pad int }{
		{3, 2, 4, 6, 7, 3, 3, 1, 1},
		{2, 1, 2, 5, 5, 2, 3, 2, 1},
		{2, 3, 5, 7, 6, 3, 3, 1, 0},    // dx through the flipped filters, no padding
		{2, 3, 5, 7, 6, 3, 2, 1, 2},    // dx through im2col: pad 2 ≥ kw
		{2, 3, 6, 5, 8, 2, 4, 1, 1},    // an even kernel, padding below kh-1 and kw-1
		{40, 3, 8, 16, 16, 5, 5, 1, 2}, // large enough to run the halves at once
	} {
		c := &Conv2D[float64]{Stride: g.stride, Pad: g.pad}
		x := RandN[float64](r, 1, g.n, g.in, g.h, g.w)
		w := RandN[float64](r, 1, g.out, g.in, g.kh, g.kw)
		b := RandN[float64](r, 1, g.out)
		oh, ow, _ := c.Out(g.h, g.w, g.kh, g.kw)
		y := New[float64](g.n, g.out, oh, ow)
		c.Forward(y, x, w, b)
		dy := RandN[float64](r, 1, y.Shape()...)
		dx, dw, db := New[float64](x.Shape()...), New[float64](w.Shape()...), New[float64](g.out)
		c.Backward(dx, dw, db, x, w, dy)

		col := Im2col(x, g.kh, g.kw, g.stride, g.pad) // [n·oh·ow, in·kh·kw]
		wm := FromSlice(w.Data, g.out, g.in*g.kh*g.kw)
		ym := MatMul(col, Transpose(wm, 1, 0)) // [n·oh·ow, out]
		dym := New[float64](g.n*oh*ow, g.out)  // dy as rows of positions
		var dbWant = make([]float64, g.out)
		for i := 0; i < g.n; i++ {
			for f := 0; f < g.out; f++ {
				for p := 0; p < oh*ow; p++ {
					got, want := y.Data[(i*g.out+f)*oh*ow+p], ym.Data[(i*oh*ow+p)*g.out+f]+b.Data[f]
					if math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
						t.Fatalf("%+v: y[%d, %d, %d] = %v, want %v", g, i, f, p, got, want)
					}
					v := dy.Data[(i*g.out+f)*oh*ow+p]
					dym.Data[(i*oh*ow+p)*g.out+f] = v
					dbWant[f] += v
				}
			}
		}
		near := func(name string, got, want []float64) {
			for j := range want {
				if math.Abs(got[j]-want[j]) > 1e-12*(1+math.Abs(want[j])) {
					t.Fatalf("%+v: %s[%d] = %v, want %v", g, name, j, got[j], want[j])
				}
			}
		}
		near("dw", dw.Data, MatMul(Transpose(dym, 1, 0), col).Data)
		near("db", db.Data, dbWant)
		near("dx", dx.Data, Col2im(MatMul(dym, wm), x.Shape(), g.kh, g.kw, g.stride, g.pad).Data)
	}
}

// TestConv2DPanics checks the kernel's shape checks.
func TestConv2DPanics(t *testing.T) {
	c := &Conv2D[float64]{Stride: 1}
	x, w := New[float64](1, 2, 4, 4), New[float64](3, 2, 3, 3)
	mustPanic(t, "does not fit filters", func() { c.Forward(New[float64](1, 3, 2, 2), New[float64](1, 1, 4, 4), w, nil) })
	mustPanic(t, "does not fit input", func() { c.Forward(New[float64](1, 3, 3, 3), x, w, nil) })
	mustPanic(t, "bias", func() { c.Forward(New[float64](1, 3, 2, 2), x, w, New[float64](2)) })
	mustPanic(t, "gradients do not fit", func() {
		c.Backward(nil, New[float64](3, 2, 2, 2), nil, x, w, New[float64](1, 3, 2, 2))
	})
	mustPanic(t, "stride", func() { (&Conv2D[float64]{}).Out(4, 4, 3, 3) })
}

// TestConv2DImplicitSameBits checks that the forward pass reading windows
// in the padded image (stride 1) gives the bits of the one through
// im2col, float32 and float64, with and without bias, on one goroutine and
// two.
func TestConv2DImplicitSameBits(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testConv2DImplicit[float32](t) })
	t.Run("float64", func(t *testing.T) { testConv2DImplicit[float64](t) })
}

func testConv2DImplicit[T Float](t *testing.T) {
	defer func(p int) { runtime.GOMAXPROCS(p); implicitOK = true }(runtime.GOMAXPROCS(0))
	r := rng.NewNumpy(12)
	for _, g := range []struct{ n, in, out, h, w, kh, kw, pad int }{
		{3, 4, 16, 28, 28, 3, 3, 1},
		{2, 16, 32, 14, 14, 3, 3, 2},
		{4, 5, 30, 12, 11, 5, 5, 0},
		{2, 4, 7, 9, 8, 2, 4, 1},
		{2, 4, 8, 7, 9, 5, 5, 2},    // rows sharing their pad, two wasted cells a row
		{2, 4, 8, 6, 7, 3, 3, 3},    // pad ≥ kw: a frame padded on both sides
		{40, 4, 8, 16, 16, 3, 3, 1}, // large enough to run the halves at once
		{2, 4, 3, 6, 6, 3, 3, 1},    // float32: three filters, the fewest gemmOffB takes
	} {
		x := RandN[T](r, 1, g.n, g.in, g.h, g.w)
		w := RandN[T](r, 1, g.out, g.in, g.kh, g.kw)
		b := RandN[T](r, 1, g.out)
		for _, bias := range []*Tensor[T]{b, nil} {
			for _, procs := range []int{1, 2} {
				runtime.GOMAXPROCS(procs)
				c := &Conv2D[T]{Stride: 1, Pad: g.pad}
				oh, ow, _ := c.Out(g.h, g.w, g.kh, g.kw)
				got, want := New[T](g.n, g.out, oh, ow), New[T](g.n, g.out, oh, ow)
				implicitOK = false
				c.Forward(want, x, w, bias)
				implicitOK = true
				c.Forward(got, x, w, bias)
				for i := range want.Data {
					if math.Float64bits(float64(got.Data[i])) != math.Float64bits(float64(want.Data[i])) {
						t.Fatalf("%+v, bias %v, GOMAXPROCS %d: y[%d] = %v, want %v", g, bias != nil, procs, i, got.Data[i], want.Data[i])
					}
				}
				if a := testing.AllocsPerRun(5, func() { c.Forward(got, x, w, bias) }); a != 0 && !raceEnabled {
					t.Errorf("%+v: Forward allocates %v times once warm", g, a)
				}
			}
		}
	}
}

// TestConv2DImplicitBackward checks the backward pass's dx through the
// flipped filters (implicitDx) and dw from the windows in the padded image
// (implicitDw) against the ones through col2im and im2col in float32,
// where the two round differently: within 1e-5 of the largest magnitude
// of each gradient, on one goroutine and two with the same bits, and that
// each is taken where expected.
func TestConv2DImplicitBackward(t *testing.T) {
	defer func(p int) { runtime.GOMAXPROCS(p); implicitOK = true }(runtime.GOMAXPROCS(0))
	r := rng.NewNumpy(13)
	for _, g := range []struct {
		n, in, out, h, w, k, pad int
		dx, dw                   bool // implicit
	}{
		{4, 16, 16, 28, 28, 3, 1, true, true},
		{2, 32, 64, 7, 7, 3, 1, true, true},
		{40, 8, 16, 16, 16, 3, 2, true, true}, // halves at once; pad kh-1
		{2, 8, 16, 9, 9, 3, 3, false, true},   // pad ≥ kh: col2im
		{2, 8, 16, 9, 11, 5, 2, true, true},   // a 5×5 kernel, its rows sharing their pad
		{2, 8, 16, 9, 10, 5, 1, true, true},   // dy's frame padded by 3
		{2, 2, 16, 9, 9, 3, 1, false, true},   // float32, two input channels: col2im
		{2, 8, 3, 9, 9, 3, 1, false, true},    // three output channels: col2im
		{3, 1, 30, 28, 28, 5, 0, false, true}, // SimpleConvNet's
		{2, 1, 2, 4, 4, 1, 0, false, false},   // one 1×1 filter: a product too small
	} {
		x := RandN[float32](r, 1, g.n, g.in, g.h, g.w)
		w := RandN[float32](r, 1, g.out, g.in, g.k, g.k)
		c := &Conv2D[float32]{Stride: 1, Pad: g.pad}
		oh, ow, _ := c.Out(g.h, g.w, g.k, g.k)
		dy := RandN[float32](r, 1, g.n, g.out, oh, ow)
		c.x, c.w = x, w
		c.check("test", x, w, dy)
		if dx, dw := c.implicitDx(), c.implicitDw(); dx != g.dx || dw != g.dw {
			t.Fatalf("%+v: implicitDx() = %v, implicitDw() = %v", g, dx, dw)
		}
		c.x, c.w = nil, nil
		var first [3]*Tensor[float32] // dx, dw, db on one goroutine
		for _, procs := range []int{1, 2} {
			runtime.GOMAXPROCS(procs)
			want := [3]*Tensor[float32]{New[float32](x.Shape()...), New[float32](w.Shape()...), New[float32](g.out)}
			got := [3]*Tensor[float32]{New[float32](x.Shape()...), New[float32](w.Shape()...), New[float32](g.out)}
			implicitOK = false
			c.Backward(want[0], want[1], want[2], x, w, dy)
			implicitOK = true
			c.Backward(got[0], got[1], got[2], x, w, dy)
			for j, name := range []string{"dx", "dw", "db"} {
				var big float64
				for _, v := range want[j].Data {
					big = max(big, math.Abs(float64(v)))
				}
				for i := range want[j].Data {
					if d := math.Abs(float64(got[j].Data[i] - want[j].Data[i])); d > 1e-5*big {
						t.Fatalf("%+v, GOMAXPROCS %d: %s[%d] = %v, want %v", g, procs, name, i, got[j].Data[i], want[j].Data[i])
					}
					if first[j] != nil && math.Float32bits(got[j].Data[i]) != math.Float32bits(first[j].Data[i]) {
						t.Fatalf("%+v: %s[%d] = %v on two goroutines, %v on one", g, name, i, got[j].Data[i], first[j].Data[i])
					}
				}
			}
			first = got
			if a := testing.AllocsPerRun(5, func() { c.Backward(got[0], got[1], got[2], x, w, dy) }); a != 0 && !raceEnabled {
				t.Errorf("%+v: Backward allocates %v times once warm", g, a)
			}
		}
	}
}
