package tensor

import (
	"fmt"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// BenchmarkConv2DDeepConvNet runs the forward pass (Forward) or the
// forward and backward passes (Step, dx included) of DeepConvNet's six
// convolutions on a batch of 20 images, float32.
func BenchmarkConv2DDeepConvNet(b *testing.B) {
	type layer struct {
		c          Conv2D[float32]
		x, w, bias *Tensor[float32]
		y, dx, dw  *Tensor[float32]
		db         *Tensor[float32]
	}
	r := rng.NewNumpy(1)
	var ls []*layer
	for _, g := range []struct{ in, out, hw, pad int }{{1, 16, 28, 1}, {16, 16, 28, 1}, {16, 32, 14, 1}, {32, 32, 14, 2}, {32, 64, 8, 1}, {64, 64, 8, 1}} {
		l := &layer{c: Conv2D[float32]{Stride: 1, Pad: g.pad}}
		l.x = RandN[float32](r, 1, 20, g.in, g.hw, g.hw)
		l.w = RandN[float32](r, 0.1, g.out, g.in, 3, 3)
		l.bias = RandN[float32](r, 0.1, g.out)
		o := ConvOut(g.hw, 3, 1, g.pad)
		l.y = New[float32](20, g.out, o, o)
		l.dx, l.dw, l.db = New[float32](l.x.Shape()...), New[float32](l.w.Shape()...), New[float32](g.out)
		ls = append(ls, l)
	}
	b.Run("Forward", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range ls {
				l.c.Forward(l.y, l.x, l.w, l.bias)
			}
		}
	})
	b.Run("Step", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range ls {
				l.c.Forward(l.y, l.x, l.w, l.bias)
				l.c.Backward(l.dx, l.dw, l.db, l.x, l.w, l.y)
			}
		}
	})
}

// BenchmarkConv2DWinograd runs the forward pass, or the backward pass
// (dw, db and dx), of each of DeepConvNet's 3×3 convolutions from 16 input
// channels on a batch of 100 images, float32, with Winograd's algorithm
// (wino=true: the forward pass and dx) or without.
func BenchmarkConv2DWinograd(b *testing.B) {
	defer func() { winogradOK = true }()
	r := rng.NewNumpy(1)
	for _, g := range []struct{ in, out, hw, pad int }{{16, 16, 28, 1}, {16, 32, 14, 1}, {32, 32, 14, 2}, {32, 64, 8, 1}, {64, 64, 8, 1}} {
		c := Conv2D[float32]{Stride: 1, Pad: g.pad}
		x := RandN[float32](r, 1, 100, g.in, g.hw, g.hw)
		w := RandN[float32](r, 0.1, g.out, g.in, 3, 3)
		bias := RandN[float32](r, 0.1, g.out)
		o := ConvOut(g.hw, 3, 1, g.pad)
		y := New[float32](100, g.out, o, o)
		dx, dw, db := New[float32](x.Shape()...), New[float32](w.Shape()...), New[float32](g.out)
		for _, wino := range []bool{false, true} {
			b.Run(fmt.Sprintf("%d-%d-%d/wino=%v", g.in, g.out, g.hw, wino), func(b *testing.B) {
				winogradOK = wino
				b.ReportAllocs()
				for b.Loop() {
					c.Forward(y, x, w, bias)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100/1e3, "µs/image")
			})
			b.Run(fmt.Sprintf("%d-%d-%d/backward/wino=%v", g.in, g.out, g.hw, wino), func(b *testing.B) {
				winogradOK = wino
				b.ReportAllocs()
				for b.Loop() {
					c.Backward(dx, dw, db, x, w, y)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100/1e3, "µs/image")
			})
		}
	}
}
