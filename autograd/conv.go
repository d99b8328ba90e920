package autograd

import "github.com/kiso-go/kiso/tensor"

// Window is the geometry of a convolution or pooling window: kernel size,
// stride and zero padding on every side.
type Window struct{ KH, KW, Stride, Pad int }

type im2colFn[T tensor.Float] struct {
	Node[T]
	g Window
}

// Im2col returns the windows of x [N, C, H, W] unrolled one output
// position per row, [N·OH·OW, C·KH·KW] (the book's im2col with
// to_matrix=True; see tensor.Im2col). Its gradient is Col2im.
func Im2col[T tensor.Float](x *Variable[T], g Window) *Variable[T] {
	checkWindow("Im2col", x.Shape(), g)
	return Apply(&im2colFn[T]{g: g}, tensor.Im2col(x.Data, g.KH, g.KW, g.Stride, g.Pad), x)
}

func (f *im2colFn[T]) Name() string { return "Im2col" }

func (f *im2colFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = Col2im(gy, f.Inputs()[0].Shape(), f.g)
}

type col2imFn[T tensor.Float] struct {
	Node[T]
	g Window
}

// Col2im returns images of shape [N, C, H, W] summed from columns laid
// out as Im2col makes them; its gradient is Im2col.
func Col2im[T tensor.Float](col *Variable[T], shape []int, g Window) *Variable[T] {
	checkWindow("Col2im", shape, g)
	n, c, oh, ow := shape[0], shape[1], tensor.ConvOut(shape[2], g.KH, g.Stride, g.Pad), tensor.ConvOut(shape[3], g.KW, g.Stride, g.Pad)
	if !tensor.EqualShape(col.Shape(), []int{n * oh * ow, c * g.KH * g.KW}) {
		panicf("Col2im", "columns %v do not fit images %v with window %+v", col.Shape(), shape, g)
	}
	return Apply(&col2imFn[T]{g: g}, tensor.Col2im(col.Data, shape, g.KH, g.KW, g.Stride, g.Pad), col)
}

func (f *col2imFn[T]) Name() string { return "Col2im" }

func (f *col2imFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = Im2col(gy, f.g)
}

func checkWindow(op string, s []int, g Window) {
	if len(s) != 4 || g.KH < 1 || g.KW < 1 || g.Stride < 1 || g.Pad < 0 ||
		s[2]+2*g.Pad < g.KH || s[3]+2*g.Pad < g.KW {
		panicf(op, "input %v does not fit window %+v (needs [N, C, H, W] at least as large as the kernel)", s, g)
	}
}

// Conv2D returns the convolution of x [N, C, H, W] with the filters
// W [OC, C, KH, KW] plus the bias b [OC] (nil for none): [N, OC, OH, OW],
// OH = (H + 2·Pad - KH)/Stride + 1. It is composed as the book's
// conv2d_simple (Im2col, one matrix product, a transpose), so its
// derivatives of every order come from those functions'.
func Conv2D[T tensor.Float](x, W, b *Variable[T], stride, pad int) *Variable[T] {
	if x.Rank() != 4 || W.Rank() != 4 || x.Shape()[1] != W.Shape()[1] {
		panicf("Conv2D", "needs x [N, C, H, W] and W [OC, C, KH, KW], got %s", shapesOf(x, W))
	}
	ws := W.Shape()
	g := Window{KH: ws[2], KW: ws[3], Stride: stride, Pad: pad}
	checkWindow("Conv2D", x.Shape(), g)
	n := x.Shape()[0]
	oh, ow := tensor.ConvOut(x.Shape()[2], g.KH, stride, pad), tensor.ConvOut(x.Shape()[3], g.KW, stride, pad)
	col := Im2col(x, g)
	Wm := Reshape(W, ws[0], -1)
	var y *Variable[T]
	if b == nil {
		y = matmulT(col, Wm, false, true)
	} else {
		if b.Len() != ws[0] {
			panicf("Conv2D", "bias of shape %v for %d filters", b.Shape(), ws[0])
		}
		y = Add(matmulT(col, Wm, false, true), Reshape(b, ws[0]))
	}
	return Transpose(Reshape(y, n, oh, ow, ws[0]), 0, 3, 1, 2)
}

// MaxPool2D returns the largest element of every window of x
// [N, C, H, W]: [N, C, OH, OW]. The gradient goes to the first largest
// element of each window, as DeZero's pooling (argmax) sends it.
func MaxPool2D[T tensor.Float](x *Variable[T], g Window) *Variable[T] {
	checkWindow("MaxPool2D", x.Shape(), g)
	s := x.Shape()
	n, c := s[0], s[1]
	oh, ow := tensor.ConvOut(s[2], g.KH, g.Stride, g.Pad), tensor.ConvOut(s[3], g.KW, g.Stride, g.Pad)
	col := Im2col(x, g) // [N·OH·OW, C·KH·KW]
	k := g.KH * g.KW
	rows := col.Shape()[0]
	src := make([]int, 0, rows*c)
	d := col.Data.Data
	for r := 0; r < rows; r++ {
		for ch := 0; ch < c; ch++ {
			base := r*c*k + ch*k
			best := base
			for i := base + 1; i < base+k; i++ {
				if d[i] > d[best] {
					best = i
				}
			}
			src = append(src, best)
		}
	}
	y := gather(col, src, 1, []int{n, oh, ow, c})
	return Transpose(y, 0, 3, 1, 2)
}

// AveragePool2D returns the mean of every window of x [N, C, H, W]
// (padding counted as zeros): [N, C, OH, OW].
func AveragePool2D[T tensor.Float](x *Variable[T], g Window) *Variable[T] {
	checkWindow("AveragePool2D", x.Shape(), g)
	s := x.Shape()
	n, c := s[0], s[1]
	oh, ow := tensor.ConvOut(s[2], g.KH, g.Stride, g.Pad), tensor.ConvOut(s[3], g.KW, g.Stride, g.Pad)
	col := Reshape(Im2col(x, g), -1, g.KH*g.KW)
	y := Mean(col, false, 1)
	return Transpose(Reshape(y, n, oh, ow, c), 0, 3, 1, 2)
}
