package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Conv2DSpec is the config of a Conv2D layer: {"type": "conv2d", "in": 1,
// "out": 30, "kernel": 5}. In and Out are channels; the kernel is
// Kernel×Kernel unless KernelW sets a different width; a zero Stride means
// 1 (PyTorch's default); NoBias leaves the bias out. Init, if set, names
// the initializer as ParseInit reads it, overriding Build's default.
type Conv2DSpec struct {
	In      int    `json:"in,omitempty"`
	Out     int    `json:"out,omitempty"`
	Kernel  int    `json:"kernel,omitempty"`
	KernelW int    `json:"kernel_w,omitempty"`
	Stride  int    `json:"stride,omitempty"`
	Pad     int    `json:"pad,omitempty"`
	NoBias  bool   `json:"no_bias,omitempty"`
	Init    string `json:"init,omitempty"`
}

func init() { Register("conv2d", Conv2DSpec{}, buildConv2D[float32], buildConv2D[float64]) }

// Type returns "conv2d".
func (Conv2DSpec) Type() string { return "conv2d" }

// Window returns the kernel geometry with the defaults filled in.
func (s Conv2DSpec) Window() Window { return window(s.Kernel, s.KernelW, s.Stride, s.Pad, 1) }

// OutShape returns [Out, oh, ow] for an input case [In, h, w].
func (s Conv2DSpec) OutShape(in []int) ([]int, error) {
	if err := checkSizes("in out kernel kernel_w stride pad", s.In, s.Out, s.Kernel, s.KernelW, s.Stride, s.Pad); err != nil {
		return nil, err
	}
	if s.In < 1 || s.Out < 1 {
		return nil, fmt.Errorf("in %d and out %d channels must be positive", s.In, s.Out)
	}
	if len(in) == 3 && in[0] >= 0 && in[0] != s.In {
		return nil, fmt.Errorf("input %v has %d channels, layer expects %d", in, in[0], s.In)
	}
	return slideShape(in, s.Kernel, s.KernelW, s.Stride, s.Window(), s.Out)
}

// Footprint counts the weights and the bias, and the output and the
// columns of one image (In·kh·kw per output cell).
func (s Conv2DSpec) Footprint(_, out []int) (params, acts int) {
	g := s.Window()
	params = mulSat(mulSat(mulSat(s.Out, s.In), g.H), g.W)
	if !s.NoBias {
		params = addSat(params, s.Out)
	}
	acts = numel(out)
	if acts >= 0 && len(out) == 3 {
		acts = addSat(acts, mulSat(mulSat(mulSat(s.In, g.H), g.W), mulSat(out[1], out[2])))
	}
	return params, acts
}

func buildConv2D[T tensor.Float](s Conv2DSpec, b *Builder) (Layer[T], error) {
	init, err := b.InitFor(s.Init)
	if err != nil {
		return nil, err
	}
	c := NewConv2D[T](s.In, s.Out, s.Window(), !s.NoBias)
	c.Reset(init, b.Rand)
	return c, nil
}

// Spec returns the layer's config (without Init).
func (c *Conv2D[T]) Spec() LayerSpec {
	kh, kw := configWindow(c.win)
	return Conv2DSpec{In: c.in, Out: c.out, Kernel: kh, KernelW: kw, Stride: c.win.Stride, Pad: c.win.Pad, NoBias: c.B == nil}
}

// ExportONNX writes Conv with the weights as kiso holds them.
func (c *Conv2D[T]) ExportONNX(g ONNXGraph) (string, error) {
	inputs := []string{g.Input(), g.Initializer("weight", c.W.Value.Shape(), floats(c.W.Value.Data))}
	if c.B != nil {
		inputs = append(inputs, g.Initializer("bias", []int{c.out}, floats(c.B.Value.Data)))
	}
	return g.Node("Conv", "conv2d", inputs, windowAttrs(c.win)...), nil
}

// TorchModule returns nn.Conv2d.
func (c *Conv2D[T]) TorchModule(TorchGraph) (string, error) {
	bias := ""
	if c.B == nil {
		bias = ", bias=False"
	}
	g := c.win
	return fmt.Sprintf("nn.Conv2d(%d, %d, (%d, %d), stride=%d, padding=%d%s)", c.in, c.out, g.H, g.W, g.Stride, g.Pad, bias), nil
}

var (
	_ Layer[float64] = (*Conv2D[float64])(nil)
	_ Specced        = (*Conv2D[float64])(nil)
	_ ONNXExporter   = (*Conv2D[float64])(nil)
	_ TorchExporter  = (*Conv2D[float64])(nil)
)

// Conv2D is a 2-D convolution (the book's Convolution; strictly a
// cross-correlation, as in every framework): each of Out filters of
// In×kh×kw weights slides over the zero-padded input and yields one output
// channel, plus that filter's bias.
//
// Shapes: x [batch, In, h, w], W [Out, In, kh, kw] (PyTorch's layout, so model
// files store it as it is), b [Out], y [batch, Out, oh, ow] with oh and ow
// from Window.Out. The loops (windows read in place or unrolled by im2col,
// the products, Winograd's F(2×2, 3×3) for float32 3×3 filters at stride
// 1, the batch split between two goroutines) are tensor.Conv2D's.
type Conv2D[T tensor.Float] struct {
	W, B    *Param[T] // B is nil for a convolution without bias
	in, out int
	win     Window

	params []*Param[T]

	conv     tensor.Conv2D[T] // the kernel
	x, y, dx *tensor.Tensor[T]
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
	c := &Conv2D[T]{W: NewParam("weight", tensor.New[T](out, in, g.H, g.W), true), in: in, out: out, win: g,
		conv: tensor.Conv2D[T]{Stride: g.Stride, Pad: g.Pad}}
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
	c.conv.Forward(c.y, x, c.W.Value, c.bias())
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
	var dx, db *tensor.Tensor[T]
	if withDx {
		c.dx = tensor.Reuse(c.dx, c.x.Shape()...)
		dx = c.dx
	}
	if c.B != nil {
		db = c.B.Grad
	}
	c.conv.Backward(dx, c.W.Grad, db, c.x, c.W.Value, dy)
}

// bias returns b, or nil for a convolution without bias.
func (c *Conv2D[T]) bias() *tensor.Tensor[T] {
	if c.B == nil {
		return nil
	}
	return c.B.Value
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
