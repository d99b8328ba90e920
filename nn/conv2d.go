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
type Conv2D[T tensor.Float] struct {
	W, B    *Param[T] // B is nil for a convolution without bias
	in, out int
	win     Window

	x          *tensor.Tensor[T]
	y, dx      *tensor.Tensor[T]
	col, dcol  *tensor.Tensor[T] // [In·kh·kw, oh·ow], one image at a time
	w, dw, img *tensor.Tensor[T] // views: W and its gradient as matrices, one image's output or gradient
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
	n, h, w, oh, ow := c.geometry(x)
	k, p := c.fanIn(), oh*ow
	c.x = x
	c.y = tensor.Reuse(c.y, n, c.out, oh, ow)
	c.col = tensor.Reuse(c.col, k, p)
	c.w = matrix(c.w, c.W.Value.Data, c.out, k)
	for i := 0; i < n; i++ {
		im2col(c.col.Data, x.Data[i*c.in*h*w:], c.in, h, w, c.win, oh, ow)
		c.img = matrix(c.img, c.y.Data[i*c.out*p:(i+1)*c.out*p], c.out, p)
		tensor.MatMulTo(c.img, c.w, c.col, false, false)
		if c.B != nil {
			for f, b := range c.B.Value.Data {
				row := c.img.Data[f*p : (f+1)*p]
				for j := range row {
					row[j] += b
				}
			}
		}
	}
	return c.y
}

// Backward stores dW = Σ_images dy·colᵀ and db = Σ dy over the batch and
// positions, and returns dx = col2im(Wᵀ·dy) in the shape of the last input.
func (c *Conv2D[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, c.y) {
		panic(fmt.Sprintf("nn: Conv2D backward got gradient of shape %v for output %v", dy.Shape(), c.y.Shape()))
	}
	n, h, w, oh, ow := c.geometry(c.x)
	k, p := c.fanIn(), oh*ow
	c.dx = tensor.Reuse(c.dx, c.x.Shape()...)
	c.col = tensor.Reuse(c.col, k, p)
	c.dcol = tensor.Reuse(c.dcol, k, p)
	c.w = matrix(c.w, c.W.Value.Data, c.out, k)
	c.dw = matrix(c.dw, c.W.Grad.Data, c.out, k)
	if n == 0 {
		c.W.Grad.Zero()
	}
	if c.B != nil {
		c.B.Grad.Zero()
	}
	for i := 0; i < n; i++ {
		in := c.in * h * w
		im2col(c.col.Data, c.x.Data[i*in:], c.in, h, w, c.win, oh, ow)
		c.img = matrix(c.img, dy.Data[i*c.out*p:(i+1)*c.out*p], c.out, p)
		beta := T(1)
		if i == 0 {
			beta = 0
		}
		tensor.Gemm(false, true, 1, c.img, c.col, beta, c.dw)
		tensor.MatMulTo(c.dcol, c.w, c.img, true, false)
		col2im(c.dx.Data[i*in:(i+1)*in], c.dcol.Data, c.in, h, w, c.win, oh, ow)
		if c.B != nil {
			for f := range c.B.Grad.Data {
				var s T
				for _, g := range c.img.Data[f*p : (f+1)*p] {
					s += g
				}
				c.B.Grad.Data[f] += s
			}
		}
	}
	return c.dx
}

// Params returns W and, if the layer has one, b.
func (c *Conv2D[T]) Params() []*Param[T] {
	if c.B == nil {
		return []*Param[T]{c.W}
	}
	return []*Param[T]{c.W, c.B}
}
