package tensor

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// im2colRef is im2colImage element by element, the reference of
// TestIm2colImage.
func im2colRef[T Float](col, x []T, c, ih, iw, kh, kw, s, pad, oh, ow int) {
	p := oh * ow
	for ch := 0; ch < c; ch++ {
		for i := 0; i < kh; i++ {
			for j := 0; j < kw; j++ {
				row := col[((ch*kh+i)*kw+j)*p:]
				for oy := 0; oy < oh; oy++ {
					for ox := 0; ox < ow; ox++ {
						y, xx := oy*s-pad+i, ox*s-pad+j
						v := T(0)
						if y >= 0 && y < ih && xx >= 0 && xx < iw {
							v = x[(ch*ih+y)*iw+xx]
						}
						row[oy*ow+ox] = v
					}
				}
			}
		}
	}
}

// TestIm2colImage checks im2colImage against the element-by-element
// definition, bit for bit, for windows with and without padding, strides
// 1 to 3, widths below and past eight, over a column buffer full of NaN.
func TestIm2colImage(t *testing.T) {
	r := rng.NewNumpy(5)
	for _, g := range []struct{ c, ih, iw, kh, kw, s, pad int }{
		{1, 28, 28, 5, 5, 1, 0}, {16, 28, 28, 3, 3, 1, 1}, {3, 14, 14, 3, 3, 1, 2},
		{2, 8, 8, 3, 3, 1, 1}, {2, 5, 7, 2, 3, 2, 1}, {1, 9, 11, 3, 2, 3, 2},
		{2, 3, 3, 3, 3, 1, 2}, {1, 1, 1, 1, 1, 1, 0}, {2, 20, 19, 4, 4, 1, 3},
	} {
		oh, ow := ConvOut(g.ih, g.kh, g.s, g.pad), ConvOut(g.iw, g.kw, g.s, g.pad)
		x := RandN[float32](r, 1, g.c*g.ih*g.iw).Data
		got, want := make([]float32, g.c*g.kh*g.kw*oh*ow), make([]float32, g.c*g.kh*g.kw*oh*ow)
		for i := range got {
			got[i] = float32(math.NaN())
		}
		im2colImage(got, x, g.c, g.ih, g.iw, g.kh, g.kw, g.s, g.pad, oh, ow)
		im2colRef(want, x, g.c, g.ih, g.iw, g.kh, g.kw, g.s, g.pad, oh, ow)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%+v: col[%d] = %v, want %v", g, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkIm2colDeepConvNet unrolls one image through each of
// DeepConvNet's six convolutions, float32.
func BenchmarkIm2colDeepConvNet(b *testing.B) {
	layers := []struct{ c, hw, pad int }{{1, 28, 1}, {16, 28, 1}, {16, 14, 1}, {32, 14, 2}, {32, 8, 1}, {64, 8, 1}}
	x := make([]float32, 16*28*28)
	col := make([]float32, 576*16*16)
	for b.Loop() {
		for _, l := range layers {
			o := ConvOut(l.hw, 3, 1, l.pad)
			im2colImage(col, x, l.c, l.hw, l.hw, 3, 3, 1, l.pad, o, o)
		}
	}
}
