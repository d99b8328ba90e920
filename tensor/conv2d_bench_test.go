package tensor

import (
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
