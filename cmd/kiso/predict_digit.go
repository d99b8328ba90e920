package main

import (
	"fmt"
	"image"
	"image/color"

	"github.com/kiso-go/kiso/data"
)

// maxPhotoPixels caps the pixels of an image predict prepares as a digit
// (a photo of 4000x4000 at most), checked from the image's header before
// it is decoded; maxPhotoSide is the side it is averaged down to before
// the digit is cropped, so that memory holds at most 1024x1024 values.
const (
	maxPhotoPixels = 4000 * 4000
	maxPhotoSide   = 1024
)

// digitImage returns img, a photo or drawing of a digit, prepared as
// MNIST's digits were (data.InkOf, data.PrepareDigit): dark ink on a light
// background inverted, cropped, scaled into 20x20 and centred by its
// centre of mass in 28x28. It returns the 784 values and what makes the
// image unlike MNIST's digits (data.DigitWarnings). Images larger than
// maxPhotoSide are first averaged down by a whole factor.
func digitImage(img image.Image) ([]float64, []string, error) {
	b := img.Bounds()
	k := max(1, (max(b.Dx(), b.Dy())+maxPhotoSide-1)/maxPhotoSide)
	w, h := b.Dx()/k, b.Dy()/k
	if w < 1 || h < 1 {
		return nil, nil, fmt.Errorf("the image is %dx%d: too small for a digit", b.Dx(), b.Dy())
	}
	gray := make([]float64, w*h)
	for y := range h {
		for x := range w {
			var s float64
			for dy := range k {
				for dx := range k {
					g := color.GrayModel.Convert(img.At(b.Min.X+x*k+dx, b.Min.Y+y*k+dy)).(color.Gray)
					s += float64(g.Y)
				}
			}
			gray[y*w+x] = s / float64(k*k*255)
		}
	}
	digit, err := data.PrepareDigit(data.InkOf(gray, w, h), w, h)
	if err != nil {
		return nil, nil, err
	}
	return digit, data.DigitWarnings(digit, gray, w, h), nil
}

// mnistLike reports whether a 28x28 image is already an MNIST digit: light
// ink on a dark background (the mean of its border at most one half).
func mnistLike(row []float64) bool {
	var s float64
	n := 0
	for y := range data.DigitSide {
		for x := range data.DigitSide {
			if y == 0 || x == 0 || y == data.DigitSide-1 || x == data.DigitSide-1 {
				s += row[y*data.DigitSide+x]
				n++
			}
		}
	}
	return s/float64(n) <= 0.5
}
