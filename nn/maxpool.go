package nn

import (
	"fmt"
	"unsafe"

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

	// The passes over ranges of planes, on two goroutines for large
	// tensors (see halves), and what they read.
	fwd, bwd     halves
	x, dy        []T
	h, w, oh, ow int
	nan          [2]bool // whether each half of the fast forward pass saw a NaN
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
	if g.Pad == 0 {
		if m.fwd.f == nil {
			m.fwd.f = m.poolRange
		}
		m.x, m.h, m.w, m.oh, m.ow = x.Data, h, w, oh, ow
		m.fwd.run(n*c, len(x.Data) >= halvesMin)
		m.x = nil
	}
	if g.Pad > 0 || m.nan[0] || m.nan[1] {
		m.pool(x.Data, n*c, h, w, oh, ow)
	}
	return m.y
}

// poolRange runs poolFast on planes lo..hi-1, half i of the batch, and
// notes whether it saw a NaN.
func (m *MaxPool2D[T]) poolRange(i, lo, hi int) {
	m.nan[i] = !m.poolFast(m.x, lo, hi, m.h, m.w, m.oh, m.ow)
}

// pool is the reference loop of Forward over planes [h, w] of x.
func (m *MaxPool2D[T]) pool(x []T, planes, h, w, oh, ow int) {
	g := m.win
	o := 0
	for plane := 0; plane < planes; plane++ {
		base := plane * h * w
		for oy := 0; oy < oh; oy++ {
			y0 := oy*g.Stride - g.Pad
			ylo, yhi := max(y0, 0), min(y0+g.H, h)
			for ox := 0; ox < ow; ox++ {
				x0 := ox*g.Stride - g.Pad
				xlo, xhi := max(x0, 0), min(x0+g.W, w)
				best := base + ylo*w + xlo
				bv := x[best]
				for iy := ylo; iy < yhi; iy++ {
					start := base + iy*w + xlo
					for j, v := range x[start : start+xhi-xlo] {
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
}

// poolFast is pool for windows without padding, written so that the
// compiler selects the winner with conditional moves rather than a branch
// (which mispredicts half the time on real images): cells are compared by
// orderKey, integers that order floats as < does. It gives the same result
// as pool unless x holds a NaN, which it reports by returning false (pool
// then runs instead).
func (m *MaxPool2D[T]) poolFast(x []T, p0, p1, h, w, oh, ow int) bool {
	if g := m.win; g.H == 2 && g.W == 2 && g.Stride == 2 {
		return pool2x2(x, m.arg, m.y.Data, p0, p1, h, w, oh, ow)
	}
	if unsafe.Sizeof(T(0)) == 4 {
		return poolKeys(m.win, bitsOf[uint32](x), m.arg, bitsOf[uint32](m.y.Data), p0, p1, h, w, oh, ow)
	}
	return poolKeys(m.win, bitsOf[uint64](x), m.arg, bitsOf[uint64](m.y.Data), p0, p1, h, w, oh, ow)
}

// poolKeys is poolFast on the bits of the floats, over planes p0..p1-1.
func poolKeys[U uint32 | uint64](g Window, x []U, arg []int, y []U, p0, p1, h, w, oh, ow int) bool {
	y, arg = y[:p1*oh*ow], arg[:p1*oh*ow]
	nan := false
	o := p0 * oh * ow
	for plane := p0; plane < p1; plane++ {
		base := plane * h * w
		for oy := 0; oy < oh; oy++ {
			row := base + oy*g.Stride*w
			for ox := 0; ox < ow; ox++ {
				best := row + ox*g.Stride
				bk := orderKey(x[best])
				first := row + ox*g.Stride
				for iy := 0; iy < g.H; iy++ {
					start := first + iy*w
					for j, b := range x[start : start+g.W] {
						best, bk = pick(best, bk, start+j, orderKey(b))
						if isNaN(b) {
							nan = true
						}
					}
				}
				arg[o] = best
				y[o] = x[best]
				o++
			}
		}
	}
	return !nan
}

// pool2x2 is poolFast for the common 2×2 window of stride 2, unrolled: the
// first maximum of each row pair, then the later pair's if strictly
// larger (the first maximum of the four, as pool finds it), each choice an
// integer made from a comparison (a SETcc, not a branch). It reports false
// if the window sum of some window is NaN: a NaN input (or +Inf beside
// -Inf, which pool then handles too).
func pool2x2[T tensor.Float](x []T, arg []int, y []T, p0, p1, h, w, oh, ow int) bool {
	y, arg = y[:p1*oh*ow], arg[:p1*oh*ow]
	nan := false
	o := p0 * oh * ow
	for plane := p0; plane < p1; plane++ {
		for oy := 0; oy < oh; oy++ {
			i0 := plane*h*w + 2*oy*w // first cell of the window's top row
			top, bot := x[i0:i0+2*ow], x[i0+w:i0+w+2*ow]
			ys, args := y[o:o+ow], arg[o:o+ow]
			for ox := range ys {
				a, b, c, d := top[2*ox], top[2*ox+1], bot[2*ox], bot[2*ox+1]
				i1 := i0 + 2*ox + gt(b, a)
				i2 := i0 + w + 2*ox + gt(d, c)
				best := i1 ^ (i1^i2)&-gt(max(c, d), max(a, b))
				args[ox], ys[ox] = best, x[best]
				if s := a + b + c + d; s != s {
					nan = true
				}
			}
			o += ow
		}
	}
	return !nan
}

// gt returns 1 if a > b and 0 otherwise (false for NaNs).
func gt[T tensor.Float](a, b T) int {
	var r int
	if a > b {
		r = 1
	}
	return r
}

// pick returns (cand, k) if k > bk and (best, bk) otherwise, without a
// branch.
func pick(best int, bk int64, cand int, k int64) (int, int64) {
	var gt int // 1 if k > bk: a SETcc, not a branch
	if k > bk {
		gt = 1
	}
	mask := -gt
	return best ^ (best^cand)&mask, bk ^ (bk^k)&int64(mask)
}

// orderKey maps the bits of a float that is not NaN to an integer such
// that a < b as floats exactly when orderKey(a) < orderKey(b): negative
// floats have their magnitude bits flipped, then are moved up by one so
// that -0 and +0 both map to 0.
func orderKey[U uint32 | uint64](b U) int64 {
	shift := 64 - 8*unsafe.Sizeof(b) // 32 or 0, folded by the compiler
	k := int64(b) << shift >> shift  // sign-extended
	s := k >> 63                     // -1 for negative floats, else 0
	return (k ^ (s & (1<<(63-shift) - 1))) - s
}

// isNaN reports whether the float with bits b is a NaN.
func isNaN[U uint32 | uint64](b U) bool {
	if unsafe.Sizeof(b) == 4 {
		return uint64(b)&0x7fffffff > 0x7f800000
	}
	return uint64(b)&(1<<63-1) > 0x7ff0000000000000
}

// Backward returns dx: each element of dy added to the input cell that was
// the maximum of its window, zero elsewhere.
func (m *MaxPool2D[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	if !tensor.SameShape(dy, m.y) {
		panic(fmt.Sprintf("nn: MaxPool2D backward got gradient of shape %v for output %v", dy.Shape(), m.y.Shape()))
	}
	m.dx = tensor.Reuse(m.dx, m.xShape...)
	if m.bwd.f == nil {
		m.bwd.f = m.backwardRange
	}
	m.dy = dy.Data
	m.bwd.run(m.xShape[0]*m.xShape[1], len(m.dx.Data) >= halvesMin)
	m.dy = nil
	return m.dx
}

// backwardRange sets the planes lo..hi-1 of dx: every window's maximum
// (which lies in the window's plane) receives the window's gradient.
func (m *MaxPool2D[T]) backwardRange(_, lo, hi int) {
	planes := m.xShape[0] * m.xShape[1]
	if planes == 0 {
		return
	}
	in, out := len(m.dx.Data)/planes, len(m.dy)/planes
	dx := m.dx.Data
	clear(dx[lo*in : hi*in])
	for o := lo * out; o < hi*out; o++ {
		dx[m.arg[o]] += m.dy[o]
	}
}

// Params returns nil: pooling has no parameters.
func (m *MaxPool2D[T]) Params() []*Param[T] { return nil }

// bitsOf views a slice of floats as their bits, U of the same size as T.
func bitsOf[U uint32 | uint64, T tensor.Float](s []T) []U {
	return unsafe.Slice((*U)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
