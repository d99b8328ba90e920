package plot

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"
)

func TestShade(t *testing.T) {
	gray := func(v uint8) color.RGBA { return color.RGBA{v, v, v, 255} }
	for _, tc := range []struct {
		name   string
		im     []float64
		cm     Colormap
		lo, hi float64
		want   []color.RGBA
	}{
		{"gray", []float64{-1, 0, 1}, Gray, -1, 1, []color.RGBA{gray(0), gray(128), gray(255)}},
		{"inverted gray", []float64{-1, 0, 1}, InvertedGray, -1, 1, []color.RGBA{gray(255), gray(128), gray(0)}},
		{"gray clamps outside the range", []float64{-5, 5}, Gray, 0, 1, []color.RGBA{gray(0), gray(255)}},
		{"constant image is mid grey", []float64{3, 3}, Gray, 3, 3, []color.RGBA{gray(128), gray(128)}},
		{"diverging: zero is white", []float64{-2, 0, 1}, Diverging, -2, 1, []color.RGBA{coolwarm[0], white, coolwarm.at(0.75)}},
		{"diverging all zero", []float64{0, 0}, Diverging, 0, 0, []color.RGBA{white, white}},
		{"NaN is magenta", []float64{math.NaN(), 1}, Gray, 0, 1, []color.RGBA{{255, 0, 255, 255}, gray(255)}},
	} {
		img := shade(tc.im, 1, len(tc.im), tc.cm, tc.lo, tc.hi)
		for i, want := range tc.want {
			if got := img.RGBAAt(i, 0); got != want {
				t.Errorf("%s: pixel %d = %v, want %v", tc.name, i, got, want)
			}
		}
	}
}

func TestShadeRowMajor(t *testing.T) {
	img := shade([]float64{0, 0, 0, 1, 0, 0}, 2, 3, Gray, 0, 1) // 2 rows of 3
	if b := img.Bounds(); b.Dx() != 3 || b.Dy() != 2 {
		t.Fatalf("size %v, want 3x2", b)
	}
	if img.RGBAAt(0, 1).R != 255 || img.RGBAAt(0, 0).R != 0 {
		t.Errorf("value 3 (row 1, column 0) is not at (0, 1)")
	}
}

func TestUpscale(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 2, 1))
	src.SetRGBA(1, 0, white)
	big := upscale(src, 3)
	if b := big.Bounds(); b.Dx() != 6 || b.Dy() != 3 {
		t.Fatalf("size %v, want 6x3", b)
	}
	for y := range 3 {
		for x := range 6 {
			if got, want := big.RGBAAt(x, y), src.RGBAAt(x/3, 0); got != want {
				t.Errorf("(%d, %d) = %v, want %v", x, y, got, want)
			}
		}
	}
}

// TestImageGridPixels draws one 2x2 image big and checks that its pixels
// land, sharp, in the file: black top-left, white bottom-right.
func TestImageGridPixels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.png")
	err := ImageGrid(path, ImageGridOptions{Images: [][]float64{{0, 0.5, 0.5, 1}}, H: 2, W: 2, Size: Size{Width: 2, Height: 2}})
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, path)
	b := img.Bounds()
	var black, white, mid int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			switch r >> 8 {
			case 0:
				black++
			case 255:
				white++
			case 128:
				mid++
			}
		}
	}
	// The image fills most of 200x200 dots: a square of side 2k for a
	// whole k, so each quarter has k*k pixels, two of them grey.
	k := int(math.Sqrt(float64(black)))
	if k < 60 || black != k*k || mid != 2*k*k {
		t.Errorf("%d black and %d grey pixels, want k² and 2k² for a k over 60 (pixels not square or blurred)", black, mid)
	}
	r, _, _, _ := img.At(b.Min.X+b.Dx()/2-k/2, b.Min.Y+b.Dy()/2-k/2).RGBA()
	if r != 0 {
		t.Errorf("top-left quarter is not black")
	}
}

// TestImageGridSmall draws 28x28 images into cells smaller than that: they
// must be shrunk to fit, not spill over each other.
func TestImageGridSmall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.png")
	ims := [][]float64{make([]float64, 28*28), make([]float64, 28*28)}
	for i := range ims[0] {
		ims[0][i] = 1 // black in InvertedGray; the other image is white
	}
	err := ImageGrid(path, ImageGridOptions{Images: ims, H: 28, W: 28, Colormap: InvertedGray, Global: true,
		Size: Size{Width: 0.5, Height: 0.3, DPI: 100}}) // 50x30 dots for two cells
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, path)
	b := img.Bounds()
	dark := func(x int) (n int) {
		for y := range b.Dy() {
			if r, _, _, _ := img.At(x, y).RGBA(); r>>8 < 100 {
				n++
			}
		}
		return n
	}
	if n := dark(b.Dx() / 4); n < 10 {
		t.Errorf("left cell has %d dark pixels in its middle column, want the image there", n)
	}
	for x := b.Dx()/2 - 3; x < b.Dx(); x++ { // the cells are 5..20 and 30..45
		if n := dark(x); n > 0 {
			t.Fatalf("column %d, past the left cell, has %d dark pixels: the left image spilled over", x, n)
		}
	}
}
