package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colormap says how ImageGrid turns values into colours.
type Colormap int

const (
	// Gray maps the lowest value to black and the highest to white.
	Gray Colormap = iota
	// InvertedGray maps the lowest value to white and the highest to
	// black (ink on paper, as the book shows filters).
	InvertedGray
	// Diverging maps zero to white, negative values to blue and positive
	// ones to red, scaled by the largest magnitude (for filter weights).
	Diverging
)

// ImageGridOptions describes a grid of small single-channel images, such as
// first-layer convolution filters or misclassified digits.
type ImageGridOptions struct {
	Title string

	// Images are H*W values each, row-major, top row first.
	Images [][]float64
	H, W   int

	// Cols is the number of images per row; default min(len(Images), 10).
	Cols int

	// Captions, if not nil, gives one caption per image, shown under it
	// (such as "7 → 2" for a digit labelled 7 and predicted 2).
	Captions []string

	Colormap Colormap

	// Global scales all images by the lowest and highest value among all
	// of them, so that they can be compared; by default each image is
	// scaled by its own range, which shows each one's pattern best.
	Global bool

	Size Size // default 0.9 inch per image
}

// ImageGrid writes g to path (.png or .svg). Each image is drawn with
// square pixels, upscaled without smoothing; an image whose values are all
// equal is drawn in the colormap's middle colour, and NaN values in
// magenta.
//
// It panics if there are no images, H or W is not positive, an image does
// not have H*W values, or Captions is neither nil nor one per image.
func ImageGrid(path string, g ImageGridOptions) error {
	n := len(g.Images)
	if n == 0 {
		panic("plot: ImageGrid needs at least one image")
	}
	if g.H <= 0 || g.W <= 0 {
		panic(fmt.Sprintf("plot: ImageGrid image size %dx%d is not positive", g.H, g.W))
	}
	for i, im := range g.Images {
		if len(im) != g.H*g.W {
			panic(fmt.Sprintf("plot: ImageGrid image %d has %d values, want %dx%d", i, len(im), g.H, g.W))
		}
	}
	if g.Captions != nil && len(g.Captions) != n {
		panic(fmt.Sprintf("plot: ImageGrid has %d images and %d captions", n, len(g.Captions)))
	}
	cols := g.Cols
	if cols <= 0 {
		cols = min(n, 10)
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols

	const cell, gap = 0.9, 0.1 // inches
	capH := 0.0
	if g.Captions != nil {
		capH = 0.22
	}
	titleH := 0.0
	if g.Title != "" {
		titleH = 0.4
	}
	f, err := newFigure(path, g.Size,
		float64(cols)*(cell+gap)+gap,
		float64(rows)*(cell+capH+gap)+gap+titleH)
	if err != nil {
		return err
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	if g.Global {
		for _, im := range g.Images {
			l, h := minMax(finiteOnly(im))
			lo, hi = math.Min(lo, l), math.Max(hi, h)
		}
	}
	capStyle := textStyle(9)
	return f.write(func(dc draw.Canvas) {
		dc = drawTitle(dc, g.Title)
		t := draw.Tiles{Rows: rows, Cols: cols,
			PadX: gap * vg.Inch, PadY: gap * vg.Inch,
			PadTop: gap * vg.Inch / 2, PadBottom: gap * vg.Inch / 2,
			PadLeft: gap * vg.Inch / 2, PadRight: gap * vg.Inch / 2}
		for i, im := range g.Images {
			c := t.At(dc, i%cols, i/cols)
			capSpace := vg.Length(0)
			if g.Captions != nil {
				capSpace = capStyle.Height(g.Captions[i]) + vg.Points(3)
			}
			l, h := lo, hi
			if !g.Global {
				l, h = minMax(finiteOnly(im))
			}
			r := drawCell(c, capSpace, f, shade(im, g.H, g.W, g.Colormap, l, h))
			if g.Captions != nil {
				c.FillText(capStyle, vg.Point{X: c.Center().X, Y: r.Min.Y - vg.Points(2)}, g.Captions[i])
			}
		}
	})
}

// drawCell draws img as large as fits in c above a strip of height below,
// centred across and at the top, keeping its aspect ratio, with a thin
// frame; it returns the rectangle drawn. The image is upscaled by a whole
// factor and placed on whole dots so that its pixels stay square and sharp
// (unless the cell is too small for it, when it is shrunk).
func drawCell(c draw.Canvas, below vg.Length, f *figure, img *image.RGBA) vg.Rectangle {
	px := f.pixel()
	wDots := int((c.Max.X - c.Min.X) / px)
	hDots := int((c.Max.Y - c.Min.Y - below) / px)
	b := img.Bounds()
	scale := min(float64(wDots)/float64(b.Dx()), float64(hDots)/float64(b.Dy()))
	if scale >= 1 { // whole factors keep pixels square
		k := int(scale)
		img, scale = upscale(img, k), float64(k)
	} // else the cell is smaller than the image: shrink it, smoothly
	w := vg.Length(math.Round(float64(b.Dx())*scale)) * px
	h := vg.Length(math.Round(float64(b.Dy())*scale)) * px
	x0 := vg.Length(math.Round(float64((c.Center().X-w/2)/px))) * px
	y1 := vg.Length(math.Round(float64(c.Max.Y/px))) * px
	r := vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - h}, Max: vg.Point{X: x0 + w, Y: y1}}
	c.DrawImage(r, img)
	c.SetLineStyle(draw.LineStyle{Color: color.RGBA{190, 190, 190, 255}, Width: vg.Points(0.5)})
	c.Stroke(r.Path())
	return r
}

// shade colours the h*w values of im, scaled from [lo, hi].
func shade(im []float64, h, w int, cm Colormap, lo, hi float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	scale := math.Max(math.Abs(lo), math.Abs(hi)) // for Diverging
	for i, v := range im {
		var col color.RGBA
		switch {
		case math.IsNaN(v):
			col = color.RGBA{255, 0, 255, 255}
		case cm == Diverging:
			t := 0.5
			if scale > 0 && !math.IsInf(scale, 0) {
				t = 0.5 + 0.5*v/scale
			}
			col = coolwarm.at(t)
		default:
			t := 0.5
			if hi > lo && !math.IsInf(hi-lo, 0) {
				t = (v - lo) / (hi - lo)
			}
			t = math.Min(1, math.Max(0, t))
			if cm == InvertedGray {
				t = 1 - t
			}
			g := uint8(math.Round(255 * t))
			col = color.RGBA{g, g, g, 255}
		}
		img.SetRGBA(i%w, i/w, col)
	}
	return img
}

// upscale returns img with every pixel repeated k times in each direction.
func upscale(img *image.RGBA, k int) *image.RGBA {
	if k == 1 {
		return img
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.SetRGBA(x, y, img.RGBAAt(x/k, y/k))
		}
	}
	return out
}
