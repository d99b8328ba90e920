package tensor

import (
	"fmt"
	"unsafe"
)

// Conv2D is the kernel of a 2-D convolution (strictly a cross-correlation,
// as in every framework) of a batch of images x [batch, in, h, w] with
// filters w [out, in, kh, kw] (PyTorch's layout) moved by Stride cells
// along both axes over the input padded with Pad zeros on every side. Set
// Stride (at least 1) and Pad (at least 0) before the first call; a Conv2D
// keeps working memory between calls and is not safe for concurrent use.
//
// Each image is unrolled with im2col into columns [in·kh·kw, oh·ow] and
// multiplied by w viewed as [out, in·kh·kw] (the forward pass at stride 1
// from four input channels reads the windows in a zero-padded copy of the
// image instead, with the same bits: see forwardImplicit); Backward runs the same
// products transposed and folds the columns back with col2im, rebuilding
// the columns rather than keeping them for the whole batch (a cheap copy
// traded for memory). Each pass splits the batch into two halves, images
// [0, n/2) and [n/2, n), which run on two goroutines when the pass is
// large; dw and db are the sums of the halves' sums, added in that order,
// so the bits do not depend on GOMAXPROCS.
type Conv2D[T Float] struct {
	Stride, Pad int

	half [2]convHalf[T] // working memory of each half of a batch
	pass Halves         // runs passRange on both halves

	// The operands of the current pass.
	x, y, w, b, dx, dy *Tensor[T]
	bwd                bool // the pass passRange runs
	kh, kw, oh, ow     int
}

// convParallelMin is the number of multiply-adds of a Conv2D pass from
// which its two halves run on two goroutines.
const convParallelMin = 1 << 20

// Out returns the output height and width for an input of h×w and
// filters of kh×kw, and false if the filter does not fit the padded input.
func (c *Conv2D[T]) Out(h, w, kh, kw int) (oh, ow int, ok bool) {
	if c.Stride < 1 || c.Pad < 0 {
		panic(fmt.Sprintf("tensor: Conv2D: stride %d must be at least 1 and padding %d at least 0", c.Stride, c.Pad))
	}
	if h+2*c.Pad < kh || w+2*c.Pad < kw {
		return 0, 0, false
	}
	return (h+2*c.Pad-kh)/c.Stride + 1, (w+2*c.Pad-kw)/c.Stride + 1, true
}

// check panics unless x [n, in, h, w], w [out, in, kh, kw] and y
// [n, out, oh, ow] fit together (y may be the output gradient), and sets
// the geometry of the pass.
func (c *Conv2D[T]) check(op string, x, w, y *Tensor[T]) {
	if x.Rank() != 4 || w.Rank() != 4 || x.Dim(1) != w.Dim(1) {
		panic(fmt.Sprintf("tensor: Conv2D %s: input %v does not fit filters %v", op, x.Shape(), w.Shape()))
	}
	c.kh, c.kw = w.Dim(2), w.Dim(3)
	oh, ow, ok := c.Out(x.Dim(2), x.Dim(3), c.kh, c.kw)
	if !ok || y.Rank() != 4 || y.Dim(0) != x.Dim(0) || y.Dim(1) != w.Dim(0) || y.Dim(2) != oh || y.Dim(3) != ow {
		panic(fmt.Sprintf("tensor: Conv2D %s: output %v does not fit input %v and filters %v with stride %d, pad %d",
			op, y.Shape(), x.Shape(), w.Shape(), c.Stride, c.Pad))
	}
	c.oh, c.ow = oh, ow
}

// Forward sets y [batch, out, oh, ow] to the convolution of x with w plus
// the bias b [out] of each filter (b nil: no bias). It panics if the
// shapes do not fit.
func (c *Conv2D[T]) Forward(y, x, w, b *Tensor[T]) {
	c.check("Forward", x, w, y)
	if b != nil && b.Len() != w.Dim(0) {
		panic(fmt.Sprintf("tensor: Conv2D Forward: bias %v for %d filters", b.Shape(), w.Dim(0)))
	}
	c.x, c.y, c.w, c.b = x, y, w, b
	c.run(false)
	c.x, c.y, c.w, c.b = nil, nil, nil, nil // hold no tensor
}

// Backward sets dw (w's shape) to Σ_images dy·colᵀ and db (if not nil,
// [out]) to the sum of dy over the batch and positions, and, if dx is not
// nil, dx (x's shape) to col2im(wᵀ·dy): the gradients of the convolution
// of x with w for the output gradient dy. It panics if the shapes do not
// fit.
func (c *Conv2D[T]) Backward(dx, dw, db, x, w, dy *Tensor[T]) {
	c.check("Backward", x, w, dy)
	if !SameShape(dw, w) || (db != nil && db.Len() != w.Dim(0)) || (dx != nil && !SameShape(dx, x)) {
		panic(fmt.Sprintf("tensor: Conv2D Backward: gradients do not fit input %v and filters %v", x.Shape(), w.Shape()))
	}
	c.x, c.w, c.dx, c.dy = x, w, dx, dy
	c.run(true)
	c.x, c.w, c.dx, c.dy = nil, nil, nil, nil
	// The halves' sums, added in a fixed order.
	d := dw.Data
	copy(d, c.half[0].dw.Data)
	for j, v := range c.half[1].dw.Data {
		d[j] += v
	}
	if db != nil {
		for f := range db.Data {
			db.Data[f] = c.half[0].db[f] + c.half[1].db[f]
		}
	}
}

// fanIn is the length of a filter and of a column, in·kh·kw.
func (c *Conv2D[T]) fanIn() int { return c.w.Dim(1) * c.kh * c.kw }

// run runs a pass (forward, or backward if bwd) on the two halves of the
// batch (see Halves), at once when the pass is large.
func (c *Conv2D[T]) run(bwd bool) {
	for i := range c.half {
		c.half[i].prepare(c)
	}
	if c.pass.F == nil {
		c.pass.F = c.passRange
	}
	c.bwd = bwd
	n, out := c.x.Dim(0), c.w.Dim(0)
	c.pass.Run(n, n*out*c.fanIn()*c.oh*c.ow >= convParallelMin)
}

// passRange runs the current pass of half i on images lo..hi-1.
func (c *Conv2D[T]) passRange(i, lo, hi int) {
	if c.bwd {
		c.half[i].backward(c, lo, hi)
	} else {
		c.half[i].forward(c, lo, hi)
	}
}

// convHalf is the working memory of one half of a batch.
type convHalf[T Float] struct {
	col, dcol *Tensor[T] // [in·kh·kw, oh·ow], one image at a time
	dw        *Tensor[T] // this half's dw, [out, in·kh·kw]
	db        []T        // this half's db
	w, img    *Tensor[T] // views: w as a matrix, one image's output or gradient
	xp, yw    []T        // forwardImplicit's padded frame and wide output
	off       []int      // forwardImplicit's offsets of the windows' rows
}

func (h *convHalf[T]) prepare(c *Conv2D[T]) {
	k := c.fanIn()
	h.col = Reuse(h.col, k, c.oh*c.ow)
	h.w = viewMatrix(h.w, c.w.Data, c.w.Dim(0), k)
}

// forward computes the output of images lo..hi-1.
func (h *convHalf[T]) forward(c *Conv2D[T], lo, hi int) {
	x, y := c.x, c.y
	in, ih, iw, out := x.Dim(1), x.Dim(2), x.Dim(3), y.Dim(1)
	p := c.oh * c.ow
	if c.implicit() {
		h.forwardImplicit(c, lo, hi)
		return
	}
	for i := lo; i < hi; i++ {
		im2colImage(h.col.Data, x.Data[i*in*ih*iw:], in, ih, iw, c.kh, c.kw, c.Stride, c.Pad, c.oh, c.ow)
		h.img = viewMatrix(h.img, y.Data[i*out*p:(i+1)*out*p], out, p)
		if c.b == nil {
			MatMulTo(h.img, h.w, h.col, false, false)
			continue
		}
		// The bias first, then the product added to it: one pass over the
		// output fewer than clearing it for the product.
		for f, b := range c.b.Data {
			fill(h.img.Data[f*p:(f+1)*p], b)
		}
		Gemm(false, false, 1, h.w, h.col, 1, h.img)
	}
}

// implicit reports whether the forward pass reads the windows in the
// padded image instead of unrolling them (forwardImplicit): for stride 1,
// where a window's row is a run of the padded image's row, from
// implicitMinIn input channels, and where the product is one gemmOffB
// gives the bits of.
func (c *Conv2D[T]) implicit() bool {
	var z T
	return c.Stride == 1 && implicitOK && c.w.Dim(1) >= implicitMinIn && !small(c.oh*c.ow, c.fanIn()) &&
		(unsafe.Sizeof(z) == 8 || c.w.Dim(0) > rowsMax)
}

// implicitMinIn is the fewest input channels for which forwardImplicit
// pays. Measured on Zen 4 (CPU time, GOMAXPROCS=1, five interleaved runs):
// DeepConvNet's six forward convolutions 15% faster; SimpleConvNet's
// training step (one input channel, a 5×5 kernel, 4 wasted columns of 28)
// 15% slower, its columns being few (25 rows) for the wasted products.
const implicitMinIn = 4

// implicitOK lets Conv2D's forward pass read windows in place (see
// implicit); tests clear it to compare with the columns of im2col.
var implicitOK = true

// forwardImplicit computes the output of images lo..hi-1 without columns.
// Each image is copied into a zero-padded frame xp [in, ih+2·pad, wp] (wp
// = iw+2·pad, and kw-1 zeros after it), in which the input cells of the
// windows at output positions (oy, 0..ow-1) for kernel offset (ch, i, j)
// are the run xp[ch][oy+i][j : j+ow]: across all output rows, the column
// row (ch, i, j) of im2colImage is the frame read from offset
// ch·plane + i·wp + j in rows of wp cells, of which the first ow count.
// gemmOffB multiplies the filters by those rows, packed straight from the
// frame, into a wide output [out, oh·wp] (the bias first, as forward
// does), whose first ow cells of each row are the output's: the same
// operations on every output cell as forward's, so the same bits, with
// wp-ow wasted columns in each row instead of writing the columns.
func (h *convHalf[T]) forwardImplicit(c *Conv2D[T], lo, hi int) {
	x, y := c.x, c.y
	in, ih, iw, out := x.Dim(1), x.Dim(2), x.Dim(3), y.Dim(1)
	pad, kh, kw, oh, ow := c.Pad, c.kh, c.kw, c.oh, c.ow
	hp, wp := ih+2*pad, iw+2*pad
	plane, nw := hp*wp, oh*wp
	if n := in*plane + kw - 1; cap(h.xp) < n {
		h.xp = make([]T, n)
	} else {
		h.xp = h.xp[:n]
	}
	clear(h.xp) // the frame's border stays zero; the inside is overwritten
	if cap(h.yw) < out*nw {
		h.yw = make([]T, out*nw)
	}
	h.yw = h.yw[:out*nw]
	if k := c.fanIn(); cap(h.off) < k {
		h.off = make([]int, k)
	}
	h.off = h.off[:c.fanIn()]
	q := 0
	for ch := range in {
		for i := range kh {
			for j := range kw {
				h.off[q] = ch*plane + i*wp + j
				q++
			}
		}
	}
	for img := lo; img < hi; img++ {
		src := x.Data[img*in*ih*iw : (img+1)*in*ih*iw]
		for ch := range in {
			for r := range ih {
				copy(h.xp[ch*plane+(r+pad)*wp+pad:][:iw], src[(ch*ih+r)*iw:][:iw])
			}
		}
		if c.b == nil {
			clear(h.yw)
		} else {
			for f, b := range c.b.Data {
				fill(h.yw[f*nw:(f+1)*nw], b)
			}
		}
		gemmOffB(out, nw, c.fanIn(), c.w.Data, c.fanIn(), h.xp, h.off, h.yw, nw)
		dst := y.Data[img*out*oh*ow : (img+1)*out*oh*ow]
		for f := range out {
			for oy := range oh {
				copy(dst[(f*oh+oy)*ow:][:ow], h.yw[f*nw+oy*wp:][:ow])
			}
		}
	}
}

// backward computes this half's dw and db over images lo..hi-1 and, if
// c.dx is set, their dx.
func (h *convHalf[T]) backward(c *Conv2D[T], lo, hi int) {
	x, dy := c.x, c.dy
	in, ih, iw, out := x.Dim(1), x.Dim(2), x.Dim(3), dy.Dim(1)
	k, p := c.fanIn(), c.oh*c.ow
	h.dw = Reuse(h.dw, out, k)
	if len(h.db) != out {
		h.db = make([]T, out)
	}
	if lo == hi {
		h.dw.Zero()
	}
	clear(h.db)
	if c.dx != nil {
		h.dcol = Reuse(h.dcol, k, p)
	}
	for i := lo; i < hi; i++ {
		size := in * ih * iw
		im2colImage(h.col.Data, x.Data[i*size:], in, ih, iw, c.kh, c.kw, c.Stride, c.Pad, c.oh, c.ow)
		h.img = viewMatrix(h.img, dy.Data[i*out*p:(i+1)*out*p], out, p)
		beta := T(1)
		if i == lo {
			beta = 0
		}
		Gemm(false, true, 1, h.img, h.col, beta, h.dw)
		for f := range h.db {
			h.db[f] += sum4(h.img.Data[f*p : (f+1)*p])
		}
		if c.dx != nil {
			MatMulTo(h.dcol, h.w, h.img, true, false)
			col2imImage(c.dx.Data[i*size:(i+1)*size], h.dcol.Data, in, ih, iw, c.kh, c.kw, c.Stride, c.Pad, c.oh, c.ow)
		}
	}
}

// viewMatrix returns data viewed as a [rows, cols] tensor, reusing v when
// it already has that shape, so that a kernel can look at part of a batch
// (one image) as a matrix without allocating at every step. Only for a
// kernel's private working views: reusing v points it at other storage.
func viewMatrix[T Float](v *Tensor[T], data []T, rows, cols int) *Tensor[T] {
	if v != nil && v.Rank() == 2 && v.Dim(0) == rows && v.Dim(1) == cols && len(data) == len(v.Data) {
		v.Data = data
		return v
	}
	return FromSlice(data, rows, cols)
}

// sum4 returns the sum of v, accumulated in four interleaved partial sums
// (elements 4i, 4i+1, ... each into its own) that are then added in a
// fixed order: four independent chains of additions instead of one, which
// a CPU runs about four times as fast.
func sum4[T Float](v []T) T {
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(v); i += 4 {
		s0 += v[i]
		s1 += v[i+1]
		s2 += v[i+2]
		s3 += v[i+3]
	}
	for ; i < len(v); i++ {
		s0 += v[i]
	}
	return (s0 + s1) + (s2 + s3)
}
