package data

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func TestParseAugment(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Augment
		str  string
	}{
		{"", Augment{}, "none"},
		{"none", Augment{}, "none"},
		{"flip", Augment{FlipH: true}, "flip"},
		{"shift=2", Augment{Shift: 2}, "shift=2"},
		{"shift=2, flip", Augment{FlipH: true, Shift: 2}, "flip,shift=2"},
		{"flip,shift=0", Augment{FlipH: true}, "flip"},
	} {
		a, err := ParseAugment(tc.in)
		if err != nil || a != tc.want || a.String() != tc.str {
			t.Errorf("ParseAugment(%q) = %+v (%q), %v; want %+v (%q)", tc.in, a, a.String(), err, tc.want, tc.str)
		}
		if b, err := ParseAugment(a.String()); err != nil || b != a {
			t.Errorf("ParseAugment(%q) = %+v, %v; want %+v", a.String(), b, err, a)
		}
	}
	for _, tc := range []struct{ in, msg string }{
		{"mirror", `"mirror": want flip`},
		{"shift", `"shift": want flip`},
		{"flip=1", `"flip=1": want flip`},
		{"shift=-1", "shift=-1: want a whole number of pixels from 0 to 16"},
		{"shift=17", "shift=17"},
		{"shift=x", "shift=x"},
		{"flip,flip", "flip given twice"},
		{"flip,", `"": want flip`},
	} {
		if _, err := ParseAugment(tc.in); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseAugment(%q): error %v, want one containing %q", tc.in, err, tc.msg)
		}
	}
}

// augmentRef is AugmentImages written the plain way: each image padded
// with s zeros on every side into a new array, flipped there, and the
// crop at (s-dy, s-dx) copied out.
func augmentRef(a Augment, x []float64, c, h, w int, r *rng.MT) []float64 {
	out := slices.Clone(x)
	s := a.Shift
	for img := 0; img < len(x); img += c * h * w {
		flip := a.FlipH && r.Below(2) == 1
		dx, dy := 0, 0
		if s > 0 {
			dx = r.Below(2*s+1) - s
			dy = r.Below(2*s+1) - s
		}
		for ch := range c {
			ph, pw := h+2*s, w+2*s
			pad := make([]float64, ph*pw)
			for y := range h {
				for i := range w {
					src := i
					if flip {
						src = w - 1 - i
					}
					pad[(y+s)*pw+i+s] = x[img+ch*h*w+y*w+src]
				}
			}
			for y := range h {
				for i := range w {
					out[img+ch*h*w+y*w+i] = pad[(y+s-dy)*pw+i+s-dx]
				}
			}
		}
	}
	return out
}

func TestAugmentImagesMatchesPadAndCrop(t *testing.T) {
	src := rng.NewNumpy(1)
	for _, tc := range []struct {
		a       Augment
		c, h, w int
	}{
		{Augment{FlipH: true}, 1, 5, 4},
		{Augment{Shift: 2}, 2, 5, 7},
		{Augment{FlipH: true, Shift: 3}, 3, 4, 6},
		{Augment{FlipH: true, Shift: 9}, 1, 6, 5}, // shifts past the whole image
		{Augment{Shift: 1}, 1, 1, 2},
	} {
		n := 40
		x := tensor.RandN[float64](src, 1, n, tc.c*tc.h*tc.w)
		want := augmentRef(tc.a, x.Data, tc.c, tc.h, tc.w, rng.NewNumpy(5))
		AugmentImages(tc.a, x, tc.c, tc.h, tc.w, rng.NewNumpy(5))
		if !slices.Equal(x.Data, want) {
			t.Errorf("%v on %d×%d×%d images: differs from padding and cropping", tc.a, tc.c, tc.h, tc.w)
		}
	}
}

func TestAugmentImagesDraws(t *testing.T) {
	// Over many images every flip and shift occurs, each about equally
	// often: the image is a single 1 in the middle of a 5×5 plane.
	a := Augment{FlipH: true, Shift: 2}
	const n = 5000
	x := tensor.New[float32](n, 1, 5, 5)
	for i := range n {
		x.Data[i*25+2*5+1] = 1 // row 2, column 1: a flip moves it to column 3
	}
	AugmentImages(a, x, 1, 5, 5, rng.NewNumpy(3))
	var where [25]int
	for i := range n {
		k := slices.Index(x.Data[i*25:(i+1)*25], 1)
		if k < 0 {
			continue // shifted out of the plane
		}
		where[k]++
	}
	// The 1 lands at (2+dy, c+dx) for c = 1 or 3: rows 0-4 all reachable,
	// columns 0 to 4 from either side.
	for k, got := range where {
		if got == 0 {
			t.Errorf("no image has its pixel at row %d column %d", k/5, k%5)
		}
	}
}

func TestAugmentImagesPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "not images of 1x5x5") {
			t.Errorf("panic %v, want one naming the image shape", r)
		}
	}()
	AugmentImages(Augment{FlipH: true}, tensor.New[float32](2, 24), 1, 5, 5, rng.NewNumpy(1))
}

func ExampleAugmentImages() {
	// One 3×4 image, mirrored and moved; the draws come from r.
	x := tensor.FromSlice([]float64{
		1, 2, 3, 4,
		5, 6, 7, 8,
		9, 10, 11, 12,
	}, 1, 1, 3, 4)
	AugmentImages(Augment{FlipH: true, Shift: 1}, x, 1, 3, 4, rng.NewPython(7))
	for y := range 3 {
		fmt.Println(x.Data[y*4 : y*4+4])
	}
	// This draw mirrored it and moved it one column left (dx = -1, dy =
	// 0), filling the right column with zeros.

	// Output:
	// [3 2 1 0]
	// [7 6 5 0]
	// [11 10 9 0]
}
