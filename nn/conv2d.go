package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Conv2D is a 2-D convolution (the book's Convolution; strictly a
// cross-correlation, as in every framework): each of Out filters of
// In×kh×kw weights slides over the zero-padded input and yields one output
// channel, plus that filter's bias.
//
// Shapes: x [batch, In, h, w], W [Out, In, kh, kw] (PyTorch's layout, so model
// files store it as it is), b [Out], y [batch, Out, oh, ow] with oh and ow
// from Window.Out. Forward unrolls each image with im2col and multiplies by
// W viewed as [Out, In·kh·kw]; Backward runs the same products transposed
// and folds the columns back with col2im. The columns are rebuilt in Backward
// rather than kept for the whole batch, trading a cheap copy for memory.
// Each pass splits the batch into two halves, which run on two goroutines
// when the pass is large; dW and db are the sums of the halves' sums.
type Conv2D[T tensor.Float] struct {
	W, B    *Param[T] // B is nil for a convolution without bias
	in, out int
	win     Window

	params []*Param[T]

	x, y, dx, dy *tensor.Tensor[T]
	withDx       bool
	half         [2]convHalf[T] // working memory of each half of a batch
	pass         halves         // runs passRange on both halves
	bwd          bool           // the pass passRange runs
}

// NewConv2D returns a convolution from in to out channels with the window
// g (kernel g.H×g.W, stride, zero padding), with a bias if bias is set.
// Weights and biases start at zero; initialize them with Reset. It panics if
// a size is not positive or the window is invalid.
func NewConv2D[T tensor.Float](in, out int, g Window, bias bool) *Conv2D[T] {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("nn: Conv2D(%d, %d): channel counts must be positive", in, out))
	}
	if msg := g.valid(); msg != "" {
		panic("nn: Conv2D: " + msg)
	}
	c := &Conv2D[T]{W: NewParam("weight", tensor.New[T](out, in, g.H, g.W), true), in: in, out: out, win: g}
	if bias {
		c.B = NewParam("bias", tensor.New[T](out), false)
	}
	return c
}

// In and Out return the numbers of input and output channels, and Window the
// kernel geometry.
func (c *Conv2D[T]) In() int        { return c.in }
func (c *Conv2D[T]) Out() int       { return c.out }
func (c *Conv2D[T]) Window() Window { return c.win }

// fanIn is the number of inputs of each output cell, In·kh·kw: the length
// of a filter and of a column.
func (c *Conv2D[T]) fanIn() int { return c.in * c.win.H * c.win.W }

// Reset draws the weights from init with fan-in In·kh·kw (as the book's
// pre_node_nums) and sets the biases to zero.
func (c *Conv2D[T]) Reset(init Init, r *rng.MT) {
	tensor.FillNormal(c.W.Value, r, 0, init.Std(c.fanIn()))
	if c.B != nil {
		c.B.Value.Zero()
	}
}

// geometry checks x and returns its batch size, height, width and the
// output height and width.
func (c *Conv2D[T]) geometry(x *tensor.Tensor[T]) (n, h, w, oh, ow int) {
	if x.Rank() != 4 || x.Dim(1) != c.in {
		panic(fmt.Sprintf("nn: Conv2D(%d, %d) needs input [batch, %d, height, width], got %v", c.in, c.out, c.in, x.Shape()))
	}
	n, h, w = x.Dim(0), x.Dim(2), x.Dim(3)
	oh, ow, ok := c.win.Out(h, w)
	if !ok {
		panic(fmt.Sprintf("nn: Conv2D kernel %v does not fit input %v", c.win, x.Shape()))
	}
	return n, h, w, oh, ow
}

// Forward returns the convolution of x with W, plus b.
func (c *Conv2D[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	n, _, _, oh, ow := c.geometry(x)
	c.x = x
	c.y = tensor.Reuse(c.y, n, c.out, oh, ow)
	c.halves(n, false)
	return c.y
}

// Backward stores dW = Σ_images dy·colᵀ and db = Σ dy over the batch and
// positions, and returns dx = col2im(Wᵀ·dy) in the shape of the last input.
func (c *Conv2D[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	c.backward(dy, true)
	return c.dx
}

// backwardParams stores dW and db as Backward does, without dx.
func (c *Conv2D[T]) backwardParams(dy *tensor.Tensor[T]) { c.backward(dy, false) }

func (c *Conv2D[T]) backward(dy *tensor.Tensor[T], withDx bool) {
	if !tensor.SameShape(dy, c.y) {
		panic(fmt.Sprintf("nn: Conv2D backward got gradient of shape %v for output %v", dy.Shape(), c.y.Shape()))
	}
	n, _, _, _, _ := c.geometry(c.x)
	if withDx {
		c.dx = tensor.Reuse(c.dx, c.x.Shape()...)
	}
	c.dy, c.withDx = dy, withDx
	c.halves(n, true)
	// The halves' sums, added in a fixed order.
	dw := c.W.Grad.Data
	copy(dw, c.half[0].dw.Data)
	for j, v := range c.half[1].dw.Data {
		dw[j] += v
	}
	if c.B != nil {
		db := c.B.Grad.Data
		for f := range db {
			db[f] = c.half[0].db[f] + c.half[1].db[f]
		}
	}
}

// convParallelMin is the number of multiply-adds of a Conv2D pass from
// which its two halves run on two goroutines.
const convParallelMin = 1 << 20

// halves runs a pass (forward, or backward if bwd) on the two halves of
// the batch of n images (see halves), at once when the pass is large.
func (c *Conv2D[T]) halves(n int, bwd bool) {
	for i := range c.half {
		c.half[i].prepare(c)
	}
	if c.pass.f == nil {
		c.pass.f = c.passRange
	}
	c.bwd = bwd
	oh, ow, _ := c.win.Out(c.x.Dim(2), c.x.Dim(3))
	c.pass.run(n, n*c.out*c.fanIn()*oh*ow >= convParallelMin)
}

// passRange runs the current pass of half i on images lo..hi-1.
func (c *Conv2D[T]) passRange(i, lo, hi int) { c.half[i].pass(c, lo, hi) }

// convHalf is the working memory of one half of a batch.
type convHalf[T tensor.Float] struct {
	col, dcol *tensor.Tensor[T] // [In·kh·kw, oh·ow], one image at a time
	dw        *tensor.Tensor[T] // this half's dW, [Out, In·kh·kw]
	db        []T               // this half's db
	w, img    *tensor.Tensor[T] // views: W as a matrix, one image's output or gradient
}

func (h *convHalf[T]) pass(c *Conv2D[T], lo, hi int) {
	if c.bwd {
		h.backward(c, lo, hi)
	} else {
		h.forward(c, lo, hi)
	}
}

func (h *convHalf[T]) prepare(c *Conv2D[T]) {
	oh, ow, _ := c.win.Out(c.x.Dim(2), c.x.Dim(3))
	k := c.fanIn()
	h.col = tensor.Reuse(h.col, k, oh*ow)
	h.w = matrix(h.w, c.W.Value.Data, c.out, k)
}

// forward computes the output of images lo..hi-1.
func (h *convHalf[T]) forward(c *Conv2D[T], lo, hi int) {
	x, y := c.x, c.y
	in, ih, iw := c.in, x.Dim(2), x.Dim(3)
	oh, ow := y.Dim(2), y.Dim(3)
	p := oh * ow
	for i := lo; i < hi; i++ {
		im2col(h.col.Data, x.Data[i*in*ih*iw:], in, ih, iw, c.win, oh, ow)
		h.img = matrix(h.img, y.Data[i*c.out*p:(i+1)*c.out*p], c.out, p)
		if c.B == nil {
			tensor.MatMulTo(h.img, h.w, h.col, false, false)
			continue
		}
		// The bias first, then the product added to it: one pass over the
		// output fewer than clearing it for the product.
		for f, b := range c.B.Value.Data {
			row := h.img.Data[f*p : (f+1)*p]
			for j := range row {
				row[j] = b
			}
		}
		tensor.Gemm(false, false, 1, h.w, h.col, 1, h.img)
	}
}

// backward computes this half's dW and db over images lo..hi-1 and, if
// c.withDx, their dx.
func (h *convHalf[T]) backward(c *Conv2D[T], lo, hi int) {
	x, dy := c.x, c.dy
	in, ih, iw := c.in, x.Dim(2), x.Dim(3)
	oh, ow := dy.Dim(2), dy.Dim(3)
	k, p := c.fanIn(), oh*ow
	h.dw = tensor.Reuse(h.dw, c.out, k)
	if len(h.db) != c.out {
		h.db = make([]T, c.out)
	}
	if lo == hi {
		h.dw.Zero()
	}
	clear(h.db)
	if c.withDx {
		h.dcol = tensor.Reuse(h.dcol, k, p)
	}
	for i := lo; i < hi; i++ {
		size := in * ih * iw
		im2col(h.col.Data, x.Data[i*size:], in, ih, iw, c.win, oh, ow)
		h.img = matrix(h.img, dy.Data[i*c.out*p:(i+1)*c.out*p], c.out, p)
		beta := T(1)
		if i == lo {
			beta = 0
		}
		tensor.Gemm(false, true, 1, h.img, h.col, beta, h.dw)
		for f := range h.db {
			h.db[f] += sum(h.img.Data[f*p : (f+1)*p])
		}
		if c.withDx {
			tensor.MatMulTo(h.dcol, h.w, h.img, true, false)
			col2im(c.dx.Data[i*size:(i+1)*size], h.dcol.Data, in, ih, iw, c.win, oh, ow)
		}
	}
}

// Params returns W and, if the layer has one, b.
func (c *Conv2D[T]) Params() []*Param[T] {
	if c.params == nil { // made once: Sequential asks at every step
		c.params = []*Param[T]{c.W}
		if c.B != nil {
			c.params = append(c.params, c.B)
		}
	}
	return c.params
}

// sum returns the sum of v, accumulated in four interleaved partial sums
// (elements 4i, 4i+1, ... each into its own) that are then added in a fixed
// order: four independent chains of additions instead of one, which a CPU
// runs about four times as fast.
func sum[T tensor.Float](v []T) T {
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
