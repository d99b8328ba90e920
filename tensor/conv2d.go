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
// multiplied by w viewed as [out, in·kh·kw]; Backward runs the same
// products transposed and folds the columns back with col2im, rebuilding
// the columns rather than keeping them for the whole batch (a cheap copy
// traded for memory). At stride 1 the passes read the windows in place,
// in a zero-padded copy of the image, instead of unrolling them: the
// forward pass from four input channels, with the same bits
// (forwardImplicit); dw (dwImplicit); and dx as the convolution of dy
// with the flipped filters, from four output channels (dxImplicit). Each
// pass splits the batch into two halves, images [0, n/2) and [n/2, n),
// which run on two goroutines when the pass is large; dw and db are the
// sums of the halves' sums, added in that order, so the bits do not
// depend on GOMAXPROCS. float32 3×3 convolutions at stride 1 from 8
// channels take Winograd's F(2×2, 3×3) instead, forward and for dx
// (conv2d_winograd.go): 2.25 times fewer multiply-adds, results within a
// few units in the last place of the windows' sums.
type Conv2D[T Float] struct {
	Stride, Pad int

	half [2]convHalf[T] // working memory of each half of a batch
	pass Halves         // runs passRange on both halves

	// The operands of the current pass.
	x, y, w, b, dx, dy *Tensor[T]
	bwd                bool // the pass passRange runs
	kh, kw, oh, ow     int

	// The filters of the implicit passes, as matrices of whole tiles of
	// rows (see padRows): w [out, in·kh·kw] for forwardImplicit, and
	// flipped and transposed, [in, out·kh·kw], for dxImplicit.
	wpad, wf []T

	// The filters' transforms of forwardWinograd, 16 matrices U_ξ
	// [padRows(out), in], and of dxWinograd, [padRows(in), out].
	u, uf []float32
}

// tileRows is the number of rows of the SIMD micro-kernels' tiles (mr).
// The implicit passes multiply matrices of whole tiles of rows, zero rows
// added, whose products' extra rows are dropped: as fast as the edge tile
// they replace, without its copies and the packing of its rows.
const tileRows = 6

// frameWidth returns the width of the rows of a frame that holds planes w
// cells wide padded by pad zeros on both sides, for windows k cells wide:
// w+pad when pad < k, the pad after each row doubling as the pad before
// the next, else w+2·pad. A window that runs past a row's end by up to
// pad cells (the most a window of an output position does when pad < k)
// reads the next row's leading zeros, or those of the pad row below the
// last one. The implicit passes compute a wide output of as many cells a
// row, of which the first w+2·pad-k+1 count: with pad < k, pad fewer
// wasted cells a row than in a frame padded on both sides (none for
// pad = k-1, as in a 3×3 convolution padded by 2).
func frameWidth(w, pad, k int) int {
	if pad < k {
		return w + pad
	}
	return w + 2*pad
}

// padRows returns m rounded up to whole tiles of rows.
func padRows(m int) int { return roundUp(m, tileRows) }

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
	if c.winograd() {
		c.u = transformFilters(c.u, w.Data, w.Dim(0), w.Dim(1), false)
	} else if c.implicit() {
		c.padFilters()
	}
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
	if dx != nil && c.winogradDx() {
		c.uf = transformFilters(c.uf, w.Data, w.Dim(0), w.Dim(1), true)
	} else if dx != nil && c.implicitDx() {
		c.flipFilters()
	}
	c.run(true)
	// The halves' sums, added in a fixed order.
	d := dw.Data
	if !c.winograd() && c.implicitDw() { // the halves hold dwᵀ, with padRows(k) rows
		out, k := w.Dim(0), c.fanIn()
		d0, d1 := c.half[0].dw.Data, c.half[1].dw.Data
		for q := range k {
			for f := range out {
				d[f*k+q] = d0[q*out+f] + d1[q*out+f]
			}
		}
	} else {
		copy(d, c.half[0].dw.Data)
		for j, v := range c.half[1].dw.Data {
			d[j] += v
		}
	}
	c.x, c.w, c.dx, c.dy = nil, nil, nil, nil
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
	dyp, dxw  []T        // dxImplicit's padded gradient frame and wide dx
	dyw       []T        // dwImplicit's wide output gradient
	offd      []int      // dxImplicit's offsets of the windows' rows

	wx, wv, wm, wy []float32 // winoPass's frames, V, M and wide output (dwWinograd: frames, V, D, dy's frame)
	wg, wq         []float32 // dwWinograd's sums M_ξ and packed panel of V_ξᵀ
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
	if c.winograd() {
		h.forwardWinograd(c, lo, hi)
		return
	}
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
// implicitDx takes the same bound on output channels, whose product has
// out·kh·kw rows (not measured apart: DeepConvNet's have 16 to 64).
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
// gemmOffB multiplies the filters (c.wpad, zero rows added) by those rows,
// read straight from the frame, into a wide output [padRows(out), oh·wp]
// (the bias first, as forward does), whose first ow cells of each of the
// first out rows are the output's: the same operations on every output
// cell as forward's, so the same bits, with wp-ow wasted columns in each
// row instead of writing the columns.
func (h *convHalf[T]) forwardImplicit(c *Conv2D[T], lo, hi int) {
	y := c.y
	out := y.Dim(1)
	oh, ow := c.oh, c.ow
	wp := frameWidth(c.x.Dim(3), c.Pad, c.kw)
	nw := oh * wp
	h.frame(c)
	m := padRows(out)
	if cap(h.yw) < m*nw {
		h.yw = make([]T, m*nw)
	}
	h.yw = h.yw[:m*nw]
	k := c.fanIn()
	for img := lo; img < hi; img++ {
		h.fill(c, img)
		if c.b == nil {
			clear(h.yw)
		} else {
			for f, b := range c.b.Data {
				fill(h.yw[f*nw:(f+1)*nw], b)
			}
			clear(h.yw[out*nw:])
		}
		gemmOffB(m, nw, k, c.wpad, k, h.xp, h.off[:k], h.yw, nw)
		fromWide(y.Data[img*out*oh*ow:(img+1)*out*oh*ow], h.yw, out, oh, ow, wp)
	}
}

// frame sizes the padded frame xp [in, ih+2·pad, wp] (wp = frameWidth(iw, pad, kw), and
// kw-1 zeros after it) and clears it, and sets off to the offsets of the
// columns' rows (ch, i, j) in it: ch·plane + i·wp + j.
func (h *convHalf[T]) frame(c *Conv2D[T]) {
	in, ih, iw := c.x.Dim(1), c.x.Dim(2), c.x.Dim(3)
	pad, kh, kw := c.Pad, c.kh, c.kw
	hp, wp := ih+2*pad, frameWidth(iw, pad, kw)
	plane := hp * wp
	if n := in*plane + kw - 1; cap(h.xp) < n {
		h.xp = make([]T, n)
	} else {
		h.xp = h.xp[:n]
	}
	clear(h.xp) // the frame's border stays zero; the inside is overwritten
	k := padRows(c.fanIn())
	if cap(h.off) < k {
		h.off = make([]int, k)
	}
	h.off = h.off[:k]
	clear(h.off) // the rows past the columns' read the frame from its start
	windowOffsets(h.off, in, plane, wp, kh, kw)
}

// windowOffsets sets off[(ch, i, j)] = ch·plane + i·width + j for channels
// planes of a frame with rows of width cells and a kh×kw window: where the
// row of the columns for kernel offset (ch, i, j) starts in the frame.
func windowOffsets(off []int, channels, plane, width, kh, kw int) {
	q := 0
	for ch := range channels {
		for i := range kh {
			for j := range kw {
				off[q] = ch*plane + i*width + j
				q++
			}
		}
	}
}

// padFilters sets c.wpad to the filters as a matrix [padRows(out),
// in·kh·kw], the rows past out zero.
func (c *Conv2D[T]) padFilters() {
	out, k := c.w.Dim(0), c.fanIn()
	n := padRows(out) * k
	if cap(c.wpad) < n {
		c.wpad = make([]T, n)
	}
	c.wpad = c.wpad[:n]
	copy(c.wpad, c.w.Data)
	clear(c.wpad[out*k:])
}

// fill copies image img of c.x into the inside of the padded frame.
func (h *convHalf[T]) fill(c *Conv2D[T], img int) {
	in, ih, iw := c.x.Dim(1), c.x.Dim(2), c.x.Dim(3)
	pad := c.Pad
	wp := frameWidth(iw, pad, c.kw)
	plane := (ih + 2*pad) * wp
	toFrame(h.xp, c.x.Data[img*in*ih*iw:(img+1)*in*ih*iw], in, ih, iw, plane, wp, pad, pad)
}

// toFrame copies src, channels planes of rows×cols cells, into the frame
// dst, planes of plane cells in rows of width cells, each plane's cells
// from row top and column left on: the inside of a padded frame, or a
// plane widened to rows of width cells.
func toFrame[T Float](dst, src []T, channels, rows, cols, plane, width, top, left int) {
	for ch := range channels {
		for r := range rows {
			copy(dst[ch*plane+(r+top)*width+left:][:cols], src[(ch*rows+r)*cols:][:cols])
		}
	}
}

// fromWide copies the first cols cells of each row of width cells of src,
// channels planes of rows rows, into dst, planes of rows×cols cells: a
// wide product's result without its wasted columns.
func fromWide[T Float](dst, src []T, channels, rows, cols, width int) {
	for ch := range channels {
		for r := range rows {
			copy(dst[(ch*rows+r)*cols:][:cols], src[(ch*rows+r)*width:][:cols])
		}
	}
}

// backward computes this half's dw and db over images lo..hi-1 and, if
// c.dx is set, their dx.
func (h *convHalf[T]) backward(c *Conv2D[T], lo, hi int) {
	x, dy := c.x, c.dy
	in, ih, iw, out := x.Dim(1), x.Dim(2), x.Dim(3), dy.Dim(1)
	k, p := c.fanIn(), c.oh*c.ow
	winoDw := c.winograd()
	implicitDw := !winoDw && c.implicitDw()
	if implicitDw {
		h.dw = Reuse(h.dw, padRows(k), out) // dwᵀ, rows past k dropped
		h.prepareDw(c)
	} else {
		h.dw = Reuse(h.dw, out, k)
	}
	if len(h.db) != out {
		h.db = make([]T, out)
	}
	if lo == hi {
		h.dw.Zero()
	}
	clear(h.db)
	winoDx := c.dx != nil && c.winogradDx()
	implicitDx := c.dx != nil && !winoDx && c.implicitDx()
	if implicitDx {
		h.prepareDx(c)
	} else if c.dx != nil && !winoDx {
		h.dcol = Reuse(h.dcol, k, p)
	}
	for i := lo; i < hi; i++ {
		size := in * ih * iw
		h.img = viewMatrix(h.img, dy.Data[i*out*p:(i+1)*out*p], out, p)
		beta := T(1)
		if i == lo {
			beta = 0
		}
		switch {
		case winoDw:
		case implicitDw:
			h.dwImplicit(c, i, beta)
		default:
			im2colImage(h.col.Data, x.Data[i*size:], in, ih, iw, c.kh, c.kw, c.Stride, c.Pad, c.oh, c.ow)
			Gemm(false, true, 1, h.img, h.col, beta, h.dw)
		}
		for f := range h.db {
			h.db[f] += sum4(h.img.Data[f*p : (f+1)*p])
		}
		switch {
		case winoDx:
		case implicitDx:
			h.dxImplicit(c, i)
		case c.dx != nil:
			MatMulTo(h.dcol, h.w, h.img, true, false)
			col2imImage(c.dx.Data[i*size:(i+1)*size], h.dcol.Data, in, ih, iw, c.kh, c.kw, c.Stride, c.Pad, c.oh, c.ow)
		}
	}
	if winoDx {
		h.dxWinograd(c, lo, hi)
	}
	if winoDw {
		h.dwWinograd(c, lo, hi)
	}
}

// implicitDw reports whether the backward pass computes dw from the
// windows read in the padded image (dwImplicit) instead of the columns of
// im2col: for stride 1, where gemmOffA takes the product.
func (c *Conv2D[T]) implicitDw() bool {
	var z T
	wp := frameWidth(c.x.Dim(3), c.Pad, c.kw)
	return c.Stride == 1 && implicitOK && !small(c.w.Dim(0), c.oh*wp) && (unsafe.Sizeof(z) == 8 || c.fanIn() > rowsMax)
}

// prepareDw sizes dwImplicit's working memory (forwardImplicit's padded
// frame and offsets, and the wide gradient) and clears the frame.
func (h *convHalf[T]) prepareDw(c *Conv2D[T]) {
	h.frame(c)
	out, wp := c.w.Dim(0), frameWidth(c.x.Dim(3), c.Pad, c.kw)
	if n := out * c.oh * wp; cap(h.dyw) < n {
		h.dyw = make([]T, n)
	} else {
		h.dyw = h.dyw[:n]
	}
	clear(h.dyw) // the wasted columns stay zero
}

// dwImplicit adds to this half's dwᵀ [padRows(in·kh·kw), out] (beta 1;
// beta 0 sets it; the rows past in·kh·kw are dropped) the gradient of image img's filters, Σ over output positions of the
// window's input cell times the output gradient, with the windows read in
// the image's padded frame as forwardImplicit reads them: row (ch, i, j)
// of the columns is the frame from offset ch·plane + i·wp + j over oh·wp
// cells, multiplied by the output gradient widened to rows of wp cells,
// whose wp-ow cells past each row are zero.
func (h *convHalf[T]) dwImplicit(c *Conv2D[T], img int, beta T) {
	out, oh, ow := c.w.Dim(0), c.oh, c.ow
	wp := frameWidth(c.x.Dim(3), c.Pad, c.kw)
	nw := oh * wp
	h.fill(c, img)
	toFrame(h.dyw, c.dy.Data[img*out*oh*ow:(img+1)*out*oh*ow], out, oh, ow, nw, wp, 0, 0)
	gemmOffA(true, len(h.off), out, nw, h.xp, h.off, h.dyw, nw, beta, h.dw.Data, out)
}

// implicitDx reports whether the backward pass computes dx as the
// convolution of dy, padded by kh-1-pad rows and kw-1-pad columns, with
// the filters flipped and transposed, reading its windows in place
// (dxImplicit), instead of the product wᵀ·dy folded back by col2im: for
// stride 1 and pad < kh, kw, where gemmOffB takes the product, from
// implicitMinIn output channels.
func (c *Conv2D[T]) implicitDx() bool {
	var z T
	in, out := c.w.Dim(1), c.w.Dim(0)
	ih := c.x.Dim(2)
	wq := frameWidth(c.ow, c.kw-1-c.Pad, c.kw)
	return c.Stride == 1 && implicitOK && c.Pad < c.kh && c.Pad < c.kw && out >= implicitMinIn &&
		!small(ih*wq, out*c.kh*c.kw) && (unsafe.Sizeof(z) == 8 || in > rowsMax)
}

// flipFilters sets c.wf [padRows(in), out·kh·kw] to the filters of dx's
// convolution: wf[ci, (co, i, j)] = w[co, ci, kh-1-i, kw-1-j], and 0 in
// the rows past in.
func (c *Conv2D[T]) flipFilters() {
	out, in, kh, kw := c.w.Dim(0), c.w.Dim(1), c.kh, c.kw
	if n := padRows(in) * out * kh * kw; cap(c.wf) < n {
		c.wf = make([]T, n)
	} else {
		c.wf = c.wf[:n]
	}
	clear(c.wf[in*out*kh*kw:])
	w := c.w.Data
	for ci := range in {
		dst := c.wf[ci*out*kh*kw:]
		for co := range out {
			src := w[(co*in+ci)*kh*kw:][:kh*kw]
			d := dst[co*kh*kw:][:kh*kw]
			for q, v := range src {
				d[kh*kw-1-q] = v
			}
		}
	}
}

// prepareDx sizes dxImplicit's working memory and sets the offsets of its
// windows' rows in the padded gradient frame.
func (h *convHalf[T]) prepareDx(c *Conv2D[T]) {
	out, in, kh, kw := c.w.Dim(0), c.w.Dim(1), c.kh, c.kw
	ih := c.x.Dim(2)
	qh, qw := kh-1-c.Pad, kw-1-c.Pad              // dy's padding
	hq, wq := c.oh+2*qh, frameWidth(c.ow, qw, kw) // the frame's rows and their width
	plane := hq * wq
	if n := out*plane + kw - 1; cap(h.dyp) < n {
		h.dyp = make([]T, n)
	} else {
		h.dyp = h.dyp[:n]
	}
	clear(h.dyp) // the border stays zero
	if n := padRows(in) * ih * wq; cap(h.dxw) < n {
		h.dxw = make([]T, n)
	} else {
		h.dxw = h.dxw[:n]
	}
	if k := out * kh * kw; cap(h.offd) < k {
		h.offd = make([]int, k)
	} else {
		h.offd = h.offd[:k]
	}
	windowOffsets(h.offd, out, plane, wq, kh, kw)
}

// dxImplicit sets dx of image img to the convolution of its output
// gradient with the flipped filters (see implicitDx): dx[ci, y, x] =
// Σ_{co, i, j} w[co, ci, i, j]·dy[co, y+pad-i, x+pad-j], dy zero outside
// its plane. The gradient is copied into a frame padded by kh-1-pad rows
// and kw-1-pad columns (wq = frameWidth(ow, kw-1-pad, kw) cells a row), whose windows gemmOffB
// reads in place as forwardImplicit reads the image's, into a wide dx
// [padRows(in), ih·wq] whose first iw cells of each row in the first in
// rows are dx's.
func (h *convHalf[T]) dxImplicit(c *Conv2D[T], img int) {
	out, in, kh, kw := c.w.Dim(0), c.w.Dim(1), c.kh, c.kw
	ih, iw, oh, ow := c.x.Dim(2), c.x.Dim(3), c.oh, c.ow
	qh, qw := kh-1-c.Pad, kw-1-c.Pad
	wq := frameWidth(ow, qw, kw)
	plane := (oh + 2*qh) * wq
	toFrame(h.dyp, c.dy.Data[img*out*oh*ow:(img+1)*out*oh*ow], out, oh, ow, plane, wq, qh, qw)
	nw := ih * wq
	clear(h.dxw)
	gemmOffB(padRows(in), nw, out*kh*kw, c.wf, out*kh*kw, h.dyp, h.offd, h.dxw, nw)
	fromWide(c.dx.Data[img*in*ih*iw:(img+1)*in*ih*iw], h.dxw, in, ih, iw, wq)
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
