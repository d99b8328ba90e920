package data

import (
	"errors"
	"fmt"
	"math"
)

// DigitSide is the side of an MNIST image, in pixels, and digitBox the side
// of the box its digit is scaled to fit (LeCun et al.: "normalized to fit in
// a 20x20 pixel box while preserving their aspect ratio ... centered in a
// 28x28 image by computing the center of mass of the pixels").
const (
	DigitSide = 28
	digitBox  = 20
)

// inkThreshold is the ink, in [0, 1], above which a pixel belongs to the
// digit's bounding box: fainter specks (noise, a shadow) do not stretch it.
const inkThreshold = 0.2

// ErrNoInk is the error of PrepareDigit on an image without a digit.
var ErrNoInk = errors.New("the image holds no digit: no pixel has ink")

// InkOf returns the ink of a grayscale image, w·h brightness values in
// [0, 1] row by row, as MNIST holds it: 1 for full ink, 0 for the
// background. An image with a light background (dark ink on paper, the
// mean of its border pixels above one half) is inverted; one with a dark
// background (white on black, as MNIST) is returned as a copy. It panics
// if len(gray) != w·h.
func InkOf(gray []float64, w, h int) []float64 {
	if w <= 0 || h <= 0 || len(gray) != w*h {
		panic(fmt.Sprintf("data: InkOf of %d values as %dx%d", len(gray), w, h))
	}
	ink := append([]float64(nil), gray...)
	if mean, _ := borderStats(gray, w, h); mean > 0.5 {
		for i, g := range gray {
			ink[i] = 1 - g
		}
	}
	return ink
}

// borderStats returns the mean and the standard deviation of the pixels on
// the border of a w×h image.
func borderStats(v []float64, w, h int) (mean, std float64) {
	var s, s2 float64
	n := 0
	for y := range h {
		for x := range w {
			if y == 0 || y == h-1 || x == 0 || x == w-1 {
				s += v[y*w+x]
				s2 += v[y*w+x] * v[y*w+x]
				n++
			}
		}
	}
	mean = s / float64(n)
	return mean, math.Sqrt(max(s2/float64(n)-mean*mean, 0))
}

// PrepareDigit prepares the ink of a handwritten digit (w·h values in
// [0, 1] row by row, 1 for full ink, as InkOf gives it) the way MNIST's
// digits were prepared: cropped to the bounding box of the pixels with ink
// above 0.2, scaled (averaging over the area each pixel covers, so that the
// edges are grey as MNIST's are) to fit a 20x20 box with its aspect ratio
// kept, and placed in a 28x28 image so that its centre of mass falls on
// the image's centre (to the nearest pixel). It returns 784 values in
// [0, 1], row by row, or ErrNoInk. It panics if len(ink) != w·h.
func PrepareDigit(ink []float64, w, h int) ([]float64, error) {
	if w <= 0 || h <= 0 || len(ink) != w*h {
		panic(fmt.Sprintf("data: PrepareDigit of %d values as %dx%d", len(ink), w, h))
	}
	x0, y0, x1, y1 := w, h, -1, -1
	for y := range h {
		for x := range w {
			if ink[y*w+x] > inkThreshold {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return nil, ErrNoInk
	}
	bw, bh := x1-x0+1, y1-y0+1
	scale := float64(digitBox) / float64(max(bw, bh))
	ow, oh := max(1, int(math.Round(float64(bw)*scale))), max(1, int(math.Round(float64(bh)*scale)))
	patch := resampleArea(ink, w, x0, y0, bw, bh, ow, oh)

	// The centre of mass, pixel i covering [i, i+1).
	var m, mx, my float64
	for y := range oh {
		for x := range ow {
			v := patch[y*ow+x]
			m += v
			mx += v * (float64(x) + 0.5)
			my += v * (float64(y) + 0.5)
		}
	}
	dx := int(math.Round(DigitSide/2 - mx/m))
	dy := int(math.Round(DigitSide/2 - my/m))
	out := make([]float64, DigitSide*DigitSide)
	for y := range oh {
		for x := range ow {
			tx, ty := x+dx, y+dy
			if tx >= 0 && tx < DigitSide && ty >= 0 && ty < DigitSide {
				out[ty*DigitSide+tx] = min(max(patch[y*ow+x], 0), 1)
			}
		}
	}
	return out, nil
}

// resampleArea scales the bw×bh window at (x0, y0) of the w-wide image v to
// ow×oh: each output pixel is the mean of the image over the area it
// covers, partly covered pixels weighted by the part covered.
func resampleArea(v []float64, w, x0, y0, bw, bh, ow, oh int) []float64 {
	sx, sy := float64(bw)/float64(ow), float64(bh)/float64(oh) // source pixels per output pixel
	out := make([]float64, ow*oh)
	for oy := range oh {
		ya, yb := float64(oy)*sy, float64(oy+1)*sy
		for ox := range ow {
			xa, xb := float64(ox)*sx, float64(ox+1)*sx
			var s float64
			for y := int(ya); y < bh && float64(y) < yb; y++ {
				fy := math.Min(yb, float64(y+1)) - math.Max(ya, float64(y))
				for x := int(xa); x < bw && float64(x) < xb; x++ {
					fx := math.Min(xb, float64(x+1)) - math.Max(xa, float64(x))
					s += fx * fy * v[(y0+y)*w+x0+x]
				}
			}
			out[oy*ow+ox] = s / (sx * sy)
		}
	}
	return out
}

// The fraction of a prepared digit's pixels inked (0.5 or more) outside
// which DigitWarnings warns, and the standard deviation of an image's
// border above which it calls the background uneven.
const (
	minInked     = 0.03
	maxInked     = 0.30
	maxBorderStd = 0.15
)

// DigitWarnings returns what makes a prepared digit (784 values from
// PrepareDigit) or the image it came from (its grayscale values, w·h,
// before InkOf) look unlike MNIST's digits, one sentence each; none if
// nothing does. gray may be nil to check the digit alone.
//
// MNIST's 70000 digits (training and test) have 4.5% to 26.4% of their
// pixels at 0.5 or more (the 0.5th and 99.5th percentiles; the median is
// 12.9%); a digit is warned about outside 3% to 30%, where 73 of the 70000
// lie. A
// photo whose border is uneven (its standard deviation above 0.15:
// shadows, lines of the paper, another object) is not on MNIST's plain
// background.
func DigitWarnings(digit, gray []float64, w, h int) []string {
	var warn []string
	if len(digit) == DigitSide*DigitSide {
		n := 0
		for _, v := range digit {
			if v >= 0.5 {
				n++
			}
		}
		frac := float64(n) / float64(len(digit))
		switch {
		case frac < minInked:
			warn = append(warn, fmt.Sprintf("the strokes are thin: %.1f%% of the 28x28 pixels are inked, nearly all of MNIST's digits have 4.5%% to 26.4%%", 100*frac))
		case frac > maxInked:
			warn = append(warn, fmt.Sprintf("the strokes are thick or the digit is filled in: %.1f%% of the 28x28 pixels are inked, nearly all of MNIST's digits have 4.5%% to 26.4%%", 100*frac))
		}
	}
	if gray != nil && w > 2 && h > 2 && len(gray) == w*h {
		if _, std := borderStats(gray, w, h); std > maxBorderStd {
			warn = append(warn, fmt.Sprintf("the background is uneven (its border varies by %.2f): MNIST's digits are on a plain background; crop the photo to the digit or light it evenly", std))
		}
	}
	return warn
}
