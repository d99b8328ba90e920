package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// TestEncodePNG encodes images of several sizes and contents and decodes
// them with image/png: the pixels must come back exactly, as 8-bit RGB when
// the image is opaque.
func TestEncodePNG(t *testing.T) {
	s := source(3)
	tests := []struct {
		name   string
		w, h   int
		opaque bool
		fill   func(x, y int) color.RGBA
	}{
		{"1x1", 1, 1, true, func(x, y int) color.RGBA { return color.RGBA{1, 2, 3, 255} }},
		{"column", 1, 7, true, func(x, y int) color.RGBA { return color.RGBA{uint8(y * 40), 0, 255, 255} }},
		{"odd rows", 5, 3, true, func(x, y int) color.RGBA { return color.RGBA{uint8(x), uint8(y), uint8(x * y), 255} }},
		{"noise", 64, 33, true, func(x, y int) color.RGBA {
			v := s.next()
			return color.RGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255}
		}},
		{"figure-like", 600, 400, true, func(x, y int) color.RGBA {
			if (x+y)%97 < 2 || y == 200 {
				return color.RGBA{31, 119, 180, 255}
			}
			return color.RGBA{255, 255, 255, 255}
		}},
		{"translucent", 9, 4, false, func(x, y int) color.RGBA {
			if x == 8 && y == 3 {
				return color.RGBA{10, 20, 30, 128}
			}
			return color.RGBA{200, 100, 50, 255}
		}},
	}
	for _, tc := range tests {
		// A sub-image, so that the stride differs from the width.
		big := image.NewRGBA(image.Rect(0, 0, tc.w+3, tc.h+2))
		img := big.SubImage(image.Rect(2, 1, tc.w+2, tc.h+1)).(*image.RGBA)
		for y := range tc.h {
			for x := range tc.w {
				img.SetRGBA(x+2, y+1, tc.fill(x, y))
			}
		}
		var buf bytes.Buffer
		if err := encodePNG(&buf, img); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%s: image/png cannot read the file: %v", tc.name, err)
		}
		if _, rgb := got.(*image.RGBA); tc.opaque != rgb {
			t.Errorf("%s: decoded as %T", tc.name, got)
		}
		if got.Bounds().Dx() != tc.w || got.Bounds().Dy() != tc.h {
			t.Fatalf("%s: decoded %v, want %dx%d", tc.name, got.Bounds(), tc.w, tc.h)
		}
		for y := range tc.h {
			for x := range tc.w {
				b := got.Bounds().Min
				want := color.NRGBAModel.Convert(img.At(x+2, y+1))
				if c := color.NRGBAModel.Convert(got.At(b.X+x, b.Y+y)); c != want {
					t.Fatalf("%s: pixel (%d, %d) is %v, want %v", tc.name, x, y, c, want)
				}
			}
		}
	}
}

// BenchmarkEncodePNG encodes a 600x400 figure-like image.
func BenchmarkEncodePNG(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 600, 400))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for x := range 600 {
		y := 200 + int(150*float64(x%50)/50)
		img.SetRGBA(x, y, color.RGBA{31, 119, 180, 255})
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := encodePNG(&buf, img); err != nil {
			b.Fatal(err)
		}
	}
}
