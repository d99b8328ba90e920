package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
)

// MaxPool2DSpec is the config of a MaxPool2D layer: {"type": "maxpool2d",
// "kernel": 2, "stride": 2}. The kernel is Kernel×Kernel unless KernelW
// sets a different width; a zero Stride means the kernel height
// (PyTorch's default).
type MaxPool2DSpec struct {
	Kernel  int `json:"kernel,omitempty"`
	KernelW int `json:"kernel_w,omitempty"`
	Stride  int `json:"stride,omitempty"`
	Pad     int `json:"pad,omitempty"`
}

func init() { Register("maxpool2d", MaxPool2DSpec{}, buildMaxPool2D[float32], buildMaxPool2D[float64]) }

// Type returns "maxpool2d".
func (MaxPool2DSpec) Type() string { return "maxpool2d" }

// Window returns the pooling geometry with the defaults filled in.
func (s MaxPool2DSpec) Window() Window { return window(s.Kernel, s.KernelW, s.Stride, s.Pad, s.Kernel) }

// OutShape returns [c, oh, ow] for an input case [c, h, w].
func (s MaxPool2DSpec) OutShape(in []int) ([]int, error) {
	if err := checkSizes("kernel kernel_w stride pad", s.Kernel, s.KernelW, s.Stride, s.Pad); err != nil {
		return nil, err
	}
	g := s.Window()
	out, err := slideShape(in, s.Kernel, s.KernelW, s.Stride, g, -1)
	if err == nil && 2*s.Pad > min(g.H, g.W) {
		err = fmt.Errorf("padding %d exceeds half the kernel", s.Pad)
	}
	return out, err
}

// Footprint counts the output.
func (MaxPool2DSpec) Footprint(_, out []int) (int, int) { return 0, numel(out) }

func buildMaxPool2D[T tensor.Float](s MaxPool2DSpec, _ *Builder) (Layer[T], error) {
	return NewMaxPool2D[T](s.Window()), nil
}

// Spec returns the layer's config.
func (m *MaxPool2D[T]) Spec() LayerSpec {
	kh, kw := configWindow(m.win)
	return MaxPool2DSpec{Kernel: kh, KernelW: kw, Stride: m.win.Stride, Pad: m.win.Pad}
}

// ExportONNX writes MaxPool.
func (m *MaxPool2D[T]) ExportONNX(g ONNXGraph) (string, error) {
	return g.Node("MaxPool", "maxpool2d", []string{g.Input()}, windowAttrs(m.win)...), nil
}

// TorchModule returns nn.MaxPool2d.
func (m *MaxPool2D[T]) TorchModule(TorchGraph) (string, error) {
	g := m.win
	return fmt.Sprintf("nn.MaxPool2d((%d, %d), stride=%d, padding=%d)", g.H, g.W, g.Stride, g.Pad), nil
}

var (
	_ Layer[float64] = (*MaxPool2D[float64])(nil)
	_ Specced        = (*MaxPool2D[float64])(nil)
	_ ONNXExporter   = (*MaxPool2D[float64])(nil)
	_ TorchExporter  = (*MaxPool2D[float64])(nil)
)

// MaxPool2D is 2-D max pooling (the book's Pooling): each output cell is
// the largest input cell of its window, channel by channel.
//
// Shapes: x [batch, channels, h, w], y [batch, channels, oh, ow] with oh and
// ow from Window.Out. Padding cells never win (they count as -∞, as in
// PyTorch). Within a window cells are scanned row by row and a later cell
// wins only if it is strictly larger, so on ties the first maximum wins,
// as numpy's argmax does in the book; a NaN wins over any number, so NaNs
// propagate. Backward routes each output gradient to the input cell that
// won, summing where windows overlap. At a tie the function has no
// derivative; the routing is a subgradient. The loops are tensor.MaxPool2D's.
type MaxPool2D[T tensor.Float] struct {
	win    Window
	pool   tensor.MaxPool2D[T] // the kernel; it keeps the winners (the book's arg_max)
	xShape []int
	y, dx  *tensor.Tensor[T]
}

// NewMaxPool2D returns the pooling layer with window g. It panics if g is
// invalid or its padding exceeds half the kernel (PyTorch's limit, which
// keeps at least one input cell in every window).
func NewMaxPool2D[T tensor.Float](g Window) *MaxPool2D[T] {
	if msg := g.valid(); msg != "" {
		panic("nn: MaxPool2D: " + msg)
	}
	if 2*g.Pad > g.H || 2*g.Pad > g.W {
		panic(fmt.Sprintf("nn: MaxPool2D: padding %d exceeds half the kernel %d×%d", g.Pad, g.H, g.W))
	}
	return &MaxPool2D[T]{win: g, pool: tensor.MaxPool2D[T]{KH: g.H, KW: g.W, Stride: g.Stride, Pad: g.Pad}}
}

// Window returns the pooling geometry.
func (m *MaxPool2D[T]) Window() Window { return m.win }

// Forward returns the maximum of every window of x.
func (m *MaxPool2D[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("nn: MaxPool2D needs input [batch, channels, height, width], got %v", x.Shape()))
	}
	oh, ow, ok := m.win.Out(x.Dim(2), x.Dim(3))
	if !ok {
		panic(fmt.Sprintf("nn: MaxPool2D window %v does not fit input %v", m.win, x.Shape()))
	}
	m.xShape = append(m.xShape[:0], x.Shape()...)
	m.y = tensor.Reuse(m.y, x.Dim(0), x.Dim(1), oh, ow)
	m.pool.Forward(m.y, x)
	return m.y
}

// Backward returns dx: each element of dy added to the input cell that was
// the maximum of its window, zero elsewhere.
func (m *MaxPool2D[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, m.y) {
		panic(fmt.Sprintf("nn: MaxPool2D backward got gradient of shape %v for output %v", dy.Shape(), m.y.Shape()))
	}
	m.dx = tensor.Reuse(m.dx, m.xShape...)
	m.pool.Backward(m.dx, dy)
	return m.dx
}

// Params returns nil: pooling has no parameters.
func (m *MaxPool2D[T]) Params() []*Param[T] { return nil }
