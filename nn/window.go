package nn

import (
	"errors"
	"fmt"
)

// Window is the geometry of a window sliding over the last two axes of a
// batch of images [batch, channels, height, width], as in convolution and
// pooling: a kernel of H×W cells moved by Stride cells along both axes over
// the input padded with Pad cells on every side.
type Window struct {
	H, W   int // kernel height and width, at least 1
	Stride int // step along both axes, at least 1
	Pad    int // padding on each side, at least 0
}

// valid returns a description of what is wrong with the window, or "".
func (g Window) valid() string {
	switch {
	case g.H < 1 || g.W < 1:
		return fmt.Sprintf("kernel %d×%d must be at least 1×1", g.H, g.W)
	case g.Stride < 1:
		return fmt.Sprintf("stride %d must be at least 1", g.Stride)
	case g.Pad < 0:
		return fmt.Sprintf("padding %d must not be negative", g.Pad)
	}
	return ""
}

// Out returns the output height and width for an input of h×w:
// floor((h + 2·Pad - H) / Stride) + 1, and likewise for the width. Cells
// that a window would need beyond the padded input are dropped, as in
// PyTorch. ok is false when the kernel does not fit in the padded input.
func (g Window) Out(h, w int) (oh, ow int, ok bool) {
	if h+2*g.Pad < g.H || w+2*g.Pad < g.W {
		return 0, 0, false
	}
	return (h+2*g.Pad-g.H)/g.Stride + 1, (w+2*g.Pad-g.W)/g.Stride + 1, true
}

// String formats the window as "3×3/1 pad 1".
func (g Window) String() string {
	return fmt.Sprintf("%d×%d/%d pad %d", g.H, g.W, g.Stride, g.Pad)
}

// window returns the geometry of a kernel given as in a config: kernel
// height kh, width kw (0 means kh), stride (0 means defStride) and pad.
func window(kh, kw, stride, pad, defStride int) Window {
	g := Window{H: kh, W: kw, Stride: stride, Pad: pad}
	if g.W == 0 {
		g.W = g.H
	}
	if g.Stride == 0 {
		g.Stride = defStride
	}
	return g
}

// slideShape checks a config's window (kernel kh×kw, stride and pad as
// given, before defaults; g with the defaults) and returns the output case
// shape [channels, oh, ow] of the window sliding over an input case
// [c, h, w]; channels -1 keeps c.
func slideShape(in []int, kh, kw, stride int, g Window, channels int) ([]int, error) {
	if kh < 1 || kw < 0 || stride < 0 {
		return nil, fmt.Errorf("kernel %d×%d and stride %d must be positive", kh, kw, stride)
	}
	if msg := g.valid(); msg != "" {
		return nil, errors.New(msg)
	}
	if in == nil {
		return []int{channels, -1, -1}, nil
	}
	if len(in) != 3 {
		return nil, fmt.Errorf("input %v: want [channels, height, width]", in)
	}
	if channels < 0 {
		channels = in[0]
	}
	if in[1] < 0 || in[2] < 0 {
		return []int{channels, -1, -1}, nil
	}
	oh, ow, ok := g.Out(in[1], in[2])
	if !ok {
		return nil, fmt.Errorf("kernel %v does not fit input %v", g, in)
	}
	return []int{channels, oh, ow}, nil
}

// configWindow returns the kernel of a window in a config's terms: kernel
// height, and width only if it differs.
func configWindow(g Window) (kh, kw int) {
	if g.W != g.H {
		return g.H, g.W
	}
	return g.H, 0
}
