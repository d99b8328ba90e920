package tensor

import (
	"fmt"
	"unsafe"
)

// MaxPool2D is the kernel of 2-D max pooling over a batch of images
// [batch, channels, h, w]: a window of KH×KW cells moved by Stride cells
// along both axes over the input padded with Pad cells on every side.
// Forward remembers which input cell won each window, and Backward routes
// the output gradient there. Set the window before the first Forward
// (KH, KW, Stride at least 1; Pad at least 0 and at most half the
// kernel, so that every window holds an input cell); a MaxPool2D is not
// safe for concurrent use. Large batches are split between two
// goroutines; the results have the same bits either way.
//
// Padding cells never win (they count as -∞, as in PyTorch). Within a
// window cells are scanned row by row and a later cell wins only if it is
// strictly larger, so on ties the first maximum wins, as numpy's argmax
// does; a NaN wins over any number, so NaNs propagate.
type MaxPool2D[T Float] struct {
	KH, KW, Stride, Pad int

	arg    []int // for each output cell, the index in x.Data of its maximum
	xLen   int   // the length of the last input
	planes int   // batch·channels of the last input

	// The passes over ranges of planes and what they read and write.
	fwd, bwd     Halves
	x, y, dx, dy []T
	h, w, oh, ow int
	nan          [2]bool // whether each half of the fast forward pass saw a NaN
}

// Out returns the output height and width for an input of h×w, and false
// if the window does not fit the padded input.
func (m *MaxPool2D[T]) Out(h, w int) (oh, ow int, ok bool) {
	if m.KH < 1 || m.KW < 1 || m.Stride < 1 || m.Pad < 0 || 2*m.Pad > min(m.KH, m.KW) {
		panic(fmt.Sprintf("tensor: MaxPool2D: invalid window %d×%d, stride %d, pad %d", m.KH, m.KW, m.Stride, m.Pad))
	}
	if h+2*m.Pad < m.KH || w+2*m.Pad < m.KW {
		return 0, 0, false
	}
	return (h+2*m.Pad-m.KH)/m.Stride + 1, (w+2*m.Pad-m.KW)/m.Stride + 1, true
}

// Forward sets y [batch, channels, oh, ow] to the maximum of every window
// of x [batch, channels, h, w], oh and ow as Out gives them, and
// remembers the winners for Backward. It panics if the shapes do not fit.
func (m *MaxPool2D[T]) Forward(y, x *Tensor[T]) {
	if x.Rank() != 4 {
		panic(fmt.Sprintf("tensor: MaxPool2D needs input [batch, channels, height, width], got %v", x.Shape()))
	}
	n, c, h, w := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	oh, ow, ok := m.Out(h, w)
	if !ok || y.Rank() != 4 || y.Dim(0) != n || y.Dim(1) != c || y.Dim(2) != oh || y.Dim(3) != ow {
		panic(fmt.Sprintf("tensor: MaxPool2D: output %v does not fit input %v with window %d×%d, stride %d, pad %d",
			y.Shape(), x.Shape(), m.KH, m.KW, m.Stride, m.Pad))
	}
	if cap(m.arg) < y.Len() {
		m.arg = make([]int, y.Len())
	}
	m.arg = m.arg[:y.Len()]
	m.xLen, m.planes = x.Len(), n*c
	m.x, m.y, m.h, m.w, m.oh, m.ow = x.Data, y.Data, h, w, oh, ow
	m.nan = [2]bool{}
	if m.Pad == 0 {
		if m.fwd.F == nil {
			m.fwd.F = m.poolRange
		}
		m.fwd.Run(n*c, len(x.Data) >= HalvesMin)
	}
	if m.Pad > 0 || m.nan[0] || m.nan[1] {
		m.pool(0, n*c)
	}
	m.x, m.y = nil, nil // hold no tensor's storage
}

// poolRange runs poolFast on planes lo..hi-1, half i of the batch, and
// notes whether it saw a NaN.
func (m *MaxPool2D[T]) poolRange(i, lo, hi int) {
	m.nan[i] = !m.poolFast(lo, hi)
}

// pool is the reference loop of Forward over planes p0..p1-1.
func (m *MaxPool2D[T]) pool(p0, p1 int) {
	x, h, w, oh, ow := m.x, m.h, m.w, m.oh, m.ow
	o := p0 * oh * ow
	for plane := p0; plane < p1; plane++ {
		base := plane * h * w
		for oy := 0; oy < oh; oy++ {
			y0 := oy*m.Stride - m.Pad
			ylo, yhi := max(y0, 0), min(y0+m.KH, h)
			for ox := 0; ox < ow; ox++ {
				x0 := ox*m.Stride - m.Pad
				xlo, xhi := max(x0, 0), min(x0+m.KW, w)
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
				m.y[o] = bv
				o++
			}
		}
	}
}

// poolFast is pool for windows without padding over planes p0..p1-1,
// written so that the compiler selects the winner with conditional moves
// rather than a branch (which mispredicts half the time on real images):
// cells are compared by orderKey, integers that order floats as < does.
// It gives the same result as pool unless x holds a NaN, which it reports
// by returning false (pool then runs instead).
func (m *MaxPool2D[T]) poolFast(p0, p1 int) bool {
	if m.KH == 2 && m.KW == 2 && m.Stride == 2 {
		return pool2x2(m.x, m.arg, m.y, p0, p1, m.h, m.w, m.oh, m.ow)
	}
	if unsafe.Sizeof(T(0)) == 4 {
		return poolKeys(m, bitsOf[uint32](m.x), bitsOf[uint32](m.y), p0, p1)
	}
	return poolKeys(m, bitsOf[uint64](m.x), bitsOf[uint64](m.y), p0, p1)
}

// poolKeys is poolFast on the bits of the floats, over planes p0..p1-1.
func poolKeys[U uint32 | uint64, T Float](m *MaxPool2D[T], x, y []U, p0, p1 int) bool {
	h, w, oh, ow, kh, kw, s := m.h, m.w, m.oh, m.ow, m.KH, m.KW, m.Stride
	arg := m.arg
	y, arg = y[:p1*oh*ow], arg[:p1*oh*ow]
	nan := false
	o := p0 * oh * ow
	for plane := p0; plane < p1; plane++ {
		base := plane * h * w
		for oy := 0; oy < oh; oy++ {
			row := base + oy*s*w
			for ox := 0; ox < ow; ox++ {
				best := row + ox*s
				bk := orderKey(x[best])
				first := row + ox*s
				for iy := 0; iy < kh; iy++ {
					start := first + iy*w
					for j, b := range x[start : start+kw] {
						best, bk = pick(best, bk, start+j, orderKey(b))
						if isNaNBits(b) {
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
func pool2x2[T Float](x []T, arg []int, y []T, p0, p1, h, w, oh, ow int) bool {
	y, arg = y[:p1*oh*ow], arg[:p1*oh*ow]
	nan := false
	blocks, quad := 0, false // blocks of eight windows a row and one of four, for the AVX2 kernels
	if useSIMD && unsafe.Sizeof(T(0)) == 4 && len(x) < 1<<31 {
		blocks, quad = ow/8, ow%8 >= 4
	}
	o := p0 * oh * ow
	for plane := p0; plane < p1; plane++ {
		for oy := 0; oy < oh; oy++ {
			i0 := plane*h*w + 2*oy*w // first cell of the window's top row
			top, bot := x[i0:i0+2*ow], x[i0+w:i0+w+2*ow]
			ys, args := y[o:o+ow], arg[o:o+ow]
			if blocks > 0 && pool2x2f32(&as[float32](ys)[0], &args[0], &as[float32](top)[0], w, i0, blocks) != 0 {
				nan = true
			}
			done := 8 * blocks
			if quad {
				if pool2x2f32x4(&as[float32](ys[done:])[0], &args[done], &as[float32](top[2*done:])[0], w, i0+2*done) != 0 {
					nan = true
				}
				done += 4
			}
			for ox := done; ox < len(ys); ox++ {
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
func gt[T Float](a, b T) int {
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

// isNaNBits reports whether the float with bits b is a NaN.
func isNaNBits[U uint32 | uint64](b U) bool {
	if unsafe.Sizeof(b) == 4 {
		return uint64(b)&0x7fffffff > 0x7f800000
	}
	return uint64(b)&(1<<63-1) > 0x7ff0000000000000
}

// Backward sets dx, of the last Forward's input shape, to the gradient of
// the pooling: each element of dy added to the input cell that won its
// window, zero elsewhere (summed where windows overlap; at a tie the
// function has no derivative, and this is a subgradient). It panics if dy
// does not have the last output's length or dx the last input's.
func (m *MaxPool2D[T]) Backward(dx, dy *Tensor[T]) {
	if dy.Len() != len(m.arg) || dx.Len() != m.xLen {
		panic(fmt.Sprintf("tensor: MaxPool2D backward: gradient %v or input gradient %v does not fit the last Forward", dy.Shape(), dx.Shape()))
	}
	if m.bwd.F == nil {
		m.bwd.F = m.backwardRange
	}
	m.dx, m.dy = dx.Data, dy.Data
	m.bwd.Run(m.planes, len(dx.Data) >= HalvesMin)
	m.dx, m.dy = nil, nil
}

// backwardRange sets the planes lo..hi-1 of dx: every window's maximum
// (which lies in the window's plane) receives the window's gradient.
func (m *MaxPool2D[T]) backwardRange(_, lo, hi int) {
	if m.planes == 0 {
		return
	}
	in, out := len(m.dx)/m.planes, len(m.dy)/m.planes
	dx := m.dx
	clear(dx[lo*in : hi*in])
	for o := lo * out; o < hi*out; o++ {
		dx[m.arg[o]] += m.dy[o]
	}
}
