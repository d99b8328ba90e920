package nn

import "fmt"

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

// span returns the range [lo, hi) of output positions o (0 ≤ o < out) whose
// window cell at kernel offset k lands inside an input axis of n cells, that
// is 0 ≤ o·stride - pad + k < n.
func span(n, k, stride, pad, out int) (lo, hi int) {
	if d := pad - k; d > 0 {
		lo = (d + stride - 1) / stride
	}
	if d := n - 1 + pad - k; d >= 0 {
		hi = d/stride + 1
	}
	hi = min(hi, out)
	return min(lo, hi), hi
}
