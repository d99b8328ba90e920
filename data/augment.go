package data

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// MaxShift is the largest Augment.Shift accepted, in pixels.
const MaxShift = 16

// Augment describes random changes made to each training image before a
// step, as torchvision's RandomHorizontalFlip and RandomCrop(size,
// padding=Shift) make them. The zero Augment changes nothing.
type Augment struct {
	// FlipH mirrors an image left to right with probability 1/2.
	FlipH bool
	// Shift moves an image by dx columns and dy rows, each drawn uniformly
	// from [-Shift, Shift], filling the pixels uncovered with 0: the crop
	// at a random place of the image padded with Shift zeros on each side.
	// It is at most MaxShift.
	Shift int
}

// On reports whether a changes anything.
func (a Augment) On() bool { return a.FlipH || a.Shift > 0 }

// String gives a in the form ParseAugment reads: "flip,shift=2", "flip",
// "shift=2", or "none".
func (a Augment) String() string {
	var parts []string
	if a.FlipH {
		parts = append(parts, "flip")
	}
	if a.Shift > 0 {
		parts = append(parts, "shift="+strconv.Itoa(a.Shift))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// ParseAugment reads an Augment from a comma-separated list of "flip" and
// "shift=N" (0 <= N <= MaxShift); "" and "none" are the zero Augment.
func ParseAugment(s string) (Augment, error) {
	var a Augment
	if s == "" || s == "none" {
		return a, nil
	}
	seen := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		name, val, hasVal := strings.Cut(strings.TrimSpace(p), "=")
		if seen[name] {
			return Augment{}, fmt.Errorf("augmentation %q: %s given twice", s, name)
		}
		seen[name] = true
		switch {
		case name == "flip" && !hasVal:
			a.FlipH = true
		case name == "shift" && hasVal:
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 || n > MaxShift {
				return Augment{}, fmt.Errorf("augmentation %q: shift=%s: want a whole number of pixels from 0 to %d", s, val, MaxShift)
			}
			a.Shift = n
		default:
			return Augment{}, fmt.Errorf("augmentation %q: %q: want flip, shift=N or none", s, p)
		}
	}
	return a, nil
}

// AugmentImages changes each image of the batch x in place as a says,
// drawing from r. x holds n images of c channels of h rows of w pixels, as
// [n, c, h, w] or any other shape of n*c*h*w values with n rows. For each
// image in order it draws, with r.Below, whether to flip (if FlipH: 1
// flips), then dx and dy (if Shift > 0: Below(2*Shift+1) - Shift each);
// all channels of an image move alike. It panics if x's size is not a
// whole number of c×h×w images.
func AugmentImages[T tensor.Float](a Augment, x *tensor.Tensor[T], c, h, w int, r *rng.MT) {
	if !a.On() {
		return
	}
	if c < 1 || h < 1 || w < 1 || x.Len()%(c*h*w) != 0 {
		panic(fmt.Sprintf("data: AugmentImages: %v values are not images of %dx%dx%d", x.Shape(), c, h, w))
	}
	d := x.Data
	size := c * h * w
	for img := 0; img+size <= len(d); img += size {
		flip := a.FlipH && r.Below(2) == 1
		dx, dy := 0, 0
		if a.Shift > 0 {
			dx = r.Below(2*a.Shift+1) - a.Shift
			dy = r.Below(2*a.Shift+1) - a.Shift
		}
		for ch := range c {
			plane := d[img+ch*h*w : img+(ch+1)*h*w]
			if flip {
				for y := range h {
					row := plane[y*w : (y+1)*w]
					for i, j := 0, w-1; i < j; i, j = i+1, j-1 {
						row[i], row[j] = row[j], row[i]
					}
				}
			}
			if dx != 0 || dy != 0 {
				shiftPlane(plane, h, w, dx, dy)
			}
		}
	}
}

// shiftPlane moves the h×w plane p by dx columns and dy rows in place:
// the new pixel (y, x) is the old (y-dy, x-dx), or 0 where that is
// outside. Rows are visited so that each source row is read before it is
// overwritten: from the bottom when moving down, from the top otherwise.
func shiftPlane[T tensor.Float](p []T, h, w, dx, dy int) {
	move := func(y int) {
		dst := p[y*w : (y+1)*w]
		sy := y - dy
		if sy < 0 || sy >= h || dx >= w || dx <= -w {
			clear(dst)
			return
		}
		src := p[sy*w : (sy+1)*w]
		if dx >= 0 {
			copy(dst[dx:], src[:w-dx]) // copy moves overlapping slices correctly
			clear(dst[:dx])
		} else {
			copy(dst, src[-dx:])
			clear(dst[w+dx:])
		}
	}
	if dy > 0 {
		for y := h - 1; y >= 0; y-- {
			move(y)
		}
	} else {
		for y := range h {
			move(y)
		}
	}
}
