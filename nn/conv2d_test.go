package nn_test

import (
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// naiveConv is the convolution written from its definition:
// y[n,f,oy,ox] = b[f] + Σ_c,i,j w[f,c,i,j]·x[n,c,oy·s-p+i,ox·s-p+j], with x
// zero outside the image.
func naiveConv(x, w, b *tensor.Tensor[float64], stride, pad int) *tensor.Tensor[float64] {
	n, c, h, wd := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	f, kh, kw := w.Dim(0), w.Dim(2), w.Dim(3)
	oh, ow := (h+2*pad-kh)/stride+1, (wd+2*pad-kw)/stride+1
	y := tensor.New[float64](n, f, oh, ow)
	for in := 0; in < n; in++ {
		for k := 0; k < f; k++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					s := 0.0
					if b != nil {
						s = b.At(k)
					}
					for ch := 0; ch < c; ch++ {
						for i := 0; i < kh; i++ {
							for j := 0; j < kw; j++ {
								iy, ix := oy*stride-pad+i, ox*stride-pad+j
								if iy >= 0 && iy < h && ix >= 0 && ix < wd {
									s += w.At(k, ch, i, j) * x.At(in, ch, iy, ix)
								}
							}
						}
					}
					y.Set(s, in, k, oy, ox)
				}
			}
		}
	}
	return y
}

func TestConv2DMatchesDirectConvolution(t *testing.T) {
	r := rng.NewNumpy(29)
	for _, tt := range []struct {
		in, out int
		g       nn.Window
		bias    bool
		h, w    int
	}{
		{1, 1, nn.Window{H: 1, W: 1, Stride: 1}, true, 3, 3},
		{3, 4, nn.Window{H: 3, W: 3, Stride: 1, Pad: 1}, true, 5, 6},
		{2, 3, nn.Window{H: 5, W: 5, Stride: 2, Pad: 2}, true, 9, 8},
		{2, 2, nn.Window{H: 2, W: 4, Stride: 3, Pad: 1}, false, 7, 10},
		{1, 30, nn.Window{H: 5, W: 5, Stride: 1}, true, 28, 28},
		{1, 2, nn.Window{H: 3, W: 3, Stride: 1, Pad: 3}, true, 2, 2}, // rows and columns of padding only
	} {
		c := conv(r, tt.in, tt.out, tt.g, tt.bias)
		x := tensor.RandN[float64](r, 1, 2, tt.in, tt.h, tt.w)
		var b *tensor.Tensor[float64]
		if tt.bias {
			b = c.B.Value
		}
		want := naiveConv(x, c.W.Value, b, tt.g.Stride, tt.g.Pad)
		got := c.Forward(x, true)
		if !tensor.SameShape(got, want) {
			t.Errorf("%v on %v: shape %v, want %v", tt.g, x.Shape(), got.Shape(), want.Shape())
			continue
		}
		if d := tensor.MaxAbsDiff(got, want); d > 1e-12 {
			t.Errorf("%v on %v: differs from the direct convolution by %v", tt.g, x.Shape(), d)
		}
	}
}

func TestConv2DFloat32MatchesFloat64(t *testing.T) {
	r := rng.NewNumpy(31)
	g := nn.Window{H: 3, W: 3, Stride: 2, Pad: 1}
	c64 := conv(r, 2, 3, g, true)
	c32 := nn.NewConv2D[float32](2, 3, g, true)
	c32.W.Value.CopyFrom(tensor.Convert[float32](c64.W.Value))
	c32.B.Value.CopyFrom(tensor.Convert[float32](c64.B.Value))
	x := tensor.RandN[float64](r, 1, 2, 2, 7, 7)
	dy := tensor.RandN[float64](r, 1, 2, 3, 4, 4)
	y64, y32 := c64.Forward(x, true), c32.Forward(tensor.Convert[float32](x), true)
	dx64, dx32 := c64.Backward(dy), c32.Backward(tensor.Convert[float32](dy))
	for _, d := range []float64{
		tensor.MaxAbsDiff(tensor.Convert[float64](y32), y64),
		tensor.MaxAbsDiff(tensor.Convert[float64](dx32), dx64),
		tensor.MaxAbsDiff(tensor.Convert[float64](c32.W.Grad), c64.W.Grad),
	} {
		if d > 1e-5 {
			t.Errorf("float32 and float64 differ by %v", d)
		}
	}
}

// TestSteadyStateAllocationsConvPoolNorm checks that a second and later
// forward and backward pass on a batch of the same shape allocates nothing.
func TestSteadyStateAllocationsConvPoolNorm(t *testing.T) {
	r := rng.NewNumpy(37)
	x := tensor.RandN[float64](r, 1, 4, 2, 9, 9)
	dropout := nn.NewDropout[float64](0.5, rng.NewNumpy(1))
	for _, tt := range []struct {
		name  string
		layer nn.Layer[float64]
	}{
		{"Conv2D", conv(r, 2, 3, nn.Window{H: 3, W: 3, Stride: 2, Pad: 1}, true)},
		{"MaxPool2D", nn.NewMaxPool2D[float64](nn.Window{H: 3, W: 3, Stride: 2})},
		{"BatchNorm", nn.NewBatchNorm[float64](2)},
		{"Dropout", dropout},
		{"Flatten", nn.NewFlatten[float64]()},
		{"SimpleConvNet-like", build(t, nn.Spec{Layers: nn.LayerSpecs{
			nn.Conv2DSpec{In: 2, Out: 3, Kernel: 3}, nn.BatchNormSpec{Features: 3}, nn.ActivationSpec{Func: nn.ReLU},
			nn.MaxPool2DSpec{Kernel: 2}, nn.FlattenSpec{}, nn.LinearSpec{In: 27, Out: 4}, nn.DropoutSpec{P: 0.5},
		}}, 5)},
	} {
		var dy *tensor.Tensor[float64]
		step := func() {
			y := tt.layer.Forward(x, true)
			if dy == nil {
				dy = tensor.RandN[float64](r, 1, y.Shape()...)
			}
			tt.layer.Backward(dy)
		}
		step()
		if n := testing.AllocsPerRun(20, step); n != 0 && !nn.RaceEnabled {
			t.Errorf("%s: a forward and backward pass allocates %v times", tt.name, n)
		}
	}
}

// TestIm2colAdjoint checks that col2im is the transpose of im2col, which is
// what makes Backward's dx right: <im2col(x), c> = <x, col2im(c)>.
func TestIm2colAdjoint(t *testing.T) {
	r := rng.NewNumpy(41)
	for _, g := range []nn.Window{
		{H: 1, W: 1, Stride: 1}, {H: 3, W: 3, Stride: 1, Pad: 1}, {H: 3, W: 2, Stride: 2, Pad: 1},
		{H: 5, W: 5, Stride: 3, Pad: 2}, {H: 2, W: 2, Stride: 1, Pad: 3},
	} {
		c := nn.NewConv2D[float64](2, 1, g, false)
		x := tensor.RandN[float64](r, 1, 1, 2, 6, 7)
		dy := tensor.RandN[float64](r, 1, c.Forward(x, true).Shape()...)
		// With one filter of weights w, y = w·im2col(x) and
		// dx = col2im(wᵀ·dy), so <y, dy> = <x, dx> for any w.
		tensor.FillNormal(c.W.Value, r, 0, 1)
		y := c.Forward(x, true)
		dx := c.Backward(dy)
		var a, b float64
		for i, v := range y.Data {
			a += v * dy.Data[i]
		}
		for i, v := range x.Data {
			b += v * dx.Data[i]
		}
		if d := a - b; d > 1e-12 || d < -1e-12 {
			t.Errorf("%v: <y, dy> = %v, <x, dx> = %v", g, a, b)
		}
	}
}

func TestConvPoolPanics(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"zero channels", func() { nn.NewConv2D[float64](0, 1, nn.Window{H: 1, W: 1, Stride: 1}, true) }},
		{"zero stride", func() { nn.NewConv2D[float64](1, 1, nn.Window{H: 1, W: 1}, true) }},
		{"pool padding over half the kernel", func() { nn.NewMaxPool2D[float64](nn.Window{H: 2, W: 2, Stride: 2, Pad: 2}) }},
		{"wrong channels", func() {
			nn.NewConv2D[float64](2, 1, nn.Window{H: 1, W: 1, Stride: 1}, true).Forward(tensor.New[float64](1, 3, 4, 4), true)
		}},
		{"kernel larger than input", func() {
			nn.NewConv2D[float64](1, 1, nn.Window{H: 5, W: 5, Stride: 1}, true).Forward(tensor.New[float64](1, 1, 4, 4), true)
		}},
		{"rank-2 input to pooling", func() {
			nn.NewMaxPool2D[float64](nn.Window{H: 2, W: 2, Stride: 2}).Forward(tensor.New[float64](1, 4), true)
		}},
	} {
		func() {
			defer func() {
				msg, ok := recover().(string)
				if !ok || len(msg) < 4 || msg[:4] != "nn: " {
					t.Errorf("%s: panic %q, want one starting with \"nn: \"", tt.name, msg)
				}
			}()
			tt.f()
		}()
	}
}
