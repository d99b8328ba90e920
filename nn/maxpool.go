package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
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
// derivative; the routing is a subgradient.
type MaxPool2D[T tensor.Float] struct {
	win Window

	xShape []int
	arg    []int // for each output cell, the index in x.Data of its maximum
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
	return &MaxPool2D[T]{win: g}
}

// Window returns the pooling geometry.
func (m *MaxPool2D[T]) Window() Window { return m.win }

// Forward returns the maximum of every window of x.
func (m *MaxPool2D[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("nn: MaxPool2D needs input [batch, channels, height, width], got %v", x.Shape()))
	}
	n, c, h, w := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	g := m.win
	oh, ow, ok := g.Out(h, w)
	if !ok {
		panic(fmt.Sprintf("nn: MaxPool2D window %v does not fit input %v", g, x.Shape()))
	}
	m.xShape = append(m.xShape[:0], x.Shape()...)
	m.y = tensor.Reuse(m.y, n, c, oh, ow)
	if cap(m.arg) < m.y.Len() {
		m.arg = make([]int, m.y.Len())
	}
	m.arg = m.arg[:m.y.Len()]
	o := 0
	for plane := 0; plane < n*c; plane++ {
		base := plane * h * w
		for oy := 0; oy < oh; oy++ {
			y0 := oy*g.Stride - g.Pad
			ylo, yhi := max(y0, 0), min(y0+g.H, h)
			for ox := 0; ox < ow; ox++ {
				x0 := ox*g.Stride - g.Pad
				xlo, xhi := max(x0, 0), min(x0+g.W, w)
				best := base + ylo*w + xlo
				bv := x.Data[best]
				for iy := ylo; iy < yhi; iy++ {
					start := base + iy*w + xlo
					for j, v := range x.Data[start : start+xhi-xlo] {
						if v > bv || v != v {
							best, bv = start+j, v
						}
					}
				}
				m.arg[o] = best
				m.y.Data[o] = bv
				o++
			}
		}
	}
	return m.y
}

// Backward returns dx: each element of dy added to the input cell that was
// the maximum of its window, zero elsewhere.
func (m *MaxPool2D[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, m.y) {
		panic(fmt.Sprintf("nn: MaxPool2D backward got gradient of shape %v for output %v", dy.Shape(), m.y.Shape()))
	}
	m.dx = tensor.Reuse(m.dx, m.xShape...)
	m.dx.Zero()
	for o, g := range dy.Data {
		m.dx.Data[m.arg[o]] += g
	}
	return m.dx
}

// Params returns nil: pooling has no parameters.
func (m *MaxPool2D[T]) Params() []*Param[T] { return nil }
