package data

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// rect returns a w×h image of value bg with the rectangle [x0, x1)×[y0, y1)
// set to fg.
func rect(w, h, x0, y0, x1, y1 int, bg, fg float64) []float64 {
	v := make([]float64, w*h)
	for y := range h {
		for x := range w {
			v[y*w+x] = bg
			if x >= x0 && x < x1 && y >= y0 && y < y1 {
				v[y*w+x] = fg
			}
		}
	}
	return v
}

// box returns the bounding box of the pixels of a 28x28 image at 0.5 or
// more, and its centre of mass (pixel i covering [i, i+1)).
func box(v []float64) (x0, y0, x1, y1 int, cx, cy float64) {
	x0, y0, x1, y1 = DigitSide, DigitSide, -1, -1
	var m float64
	for y := range DigitSide {
		for x := range DigitSide {
			p := v[y*DigitSide+x]
			m += p
			cx += p * (float64(x) + 0.5)
			cy += p * (float64(y) + 0.5)
			if p >= 0.5 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	return x0, y0, x1 + 1, y1 + 1, cx / m, cy / m
}

// TestPrepareDigitFitsAndCentres checks MNIST's preparation on a bar of
// ink drawn dark on light, off centre, in a large image: inverted, scaled
// so that its long side is 20 pixels with its aspect kept (40x10 becomes
// 20x5), and centred by its centre of mass to within half a pixel.
func TestPrepareDigitFitsAndCentres(t *testing.T) {
	for _, c := range []struct {
		name                 string
		w, h, x0, y0, x1, y1 int
		bw, bh               int
	}{
		{"tall bar", 100, 100, 5, 50, 15, 90, 5, 20},
		{"wide bar", 200, 60, 100, 10, 180, 30, 20, 5},
		{"small dot grown", 28, 28, 2, 2, 6, 6, 20, 20},
	} {
		img := rect(c.w, c.h, c.x0, c.y0, c.x1, c.y1, 0.9, 0.1) // dark ink on paper
		d, err := PrepareDigit(InkOf(img, c.w, c.h), c.w, c.h)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		x0, y0, x1, y1, cx, cy := box(d)
		if x1-x0 != c.bw || y1-y0 != c.bh {
			t.Errorf("%s: the digit is %dx%d, want %dx%d", c.name, x1-x0, y1-y0, c.bw, c.bh)
		}
		if math.Abs(cx-14) > 0.5+1e-9 || math.Abs(cy-14) > 0.5+1e-9 { // the shift is a whole pixel
			t.Errorf("%s: centre of mass (%.2f, %.2f), want within half a pixel of (14, 14)", c.name, cx, cy)
		}
		for _, v := range d {
			if v < 0 || v > 1 {
				t.Fatalf("%s: pixel %v outside [0, 1]", c.name, v)
			}
		}
	}
}

// TestPrepareDigitKeepsAPreparedDigit checks that a digit already prepared
// as MNIST's are (a 20-pixel ring centred in 28x28, white on black) comes
// back nearly unchanged: InkOf does not invert it, and every pixel moves
// by less than 0.1.
func TestPrepareDigitKeepsAPreparedDigit(t *testing.T) {
	ring := make([]float64, DigitSide*DigitSide)
	for y := range DigitSide {
		for x := range DigitSide {
			r := math.Hypot(float64(x)+0.5-14, float64(y)+0.5-14)
			ring[y*DigitSide+x] = math.Max(0, 1-math.Abs(r-8)/2)
		}
	}
	d, err := PrepareDigit(InkOf(ring, DigitSide, DigitSide), DigitSide, DigitSide)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range d {
		worst = math.Max(worst, math.Abs(d[i]-ring[i]))
	}
	if worst >= 0.1 {
		t.Errorf("a prepared digit changed by up to %.3f, want less than 0.1", worst)
	}
	if w := DigitWarnings(d, ring, DigitSide, DigitSide); len(w) != 0 {
		t.Errorf("warnings for a digit like MNIST's: %q", w)
	}
}

func TestPrepareDigitNoInk(t *testing.T) {
	if _, err := PrepareDigit(make([]float64, 50*40), 50, 40); !errors.Is(err, ErrNoInk) {
		t.Errorf("an empty image: %v, want ErrNoInk", err)
	}
}

// TestDigitWarnings checks each warning: a filled square, a hairline, and
// a photo whose background darkens from one side to the other.
func TestDigitWarnings(t *testing.T) {
	check := func(name string, gray []float64, w, h int, want string) {
		t.Helper()
		d, err := PrepareDigit(InkOf(gray, w, h), w, h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := strings.Join(DigitWarnings(d, gray, w, h), "; ")
		if !strings.Contains(got, want) {
			t.Errorf("%s: warnings %q, want one containing %q", name, got, want)
		}
	}
	check("a filled square", rect(60, 60, 10, 10, 50, 50, 1, 0), 60, 60, "thick")
	line := rect(300, 300, 20, 150, 280, 151, 1, 0) // one pixel high: 20x0.08 after scaling
	for i := range 300 {
		line[i*300+150] = 0 // and a vertical hairline, so the box is square
	}
	check("a hairline cross", line, 300, 300, "thin")
	photo := rect(100, 100, 45, 20, 55, 80, 0, 0)
	for y := range 100 {
		for x := range 100 {
			photo[y*100+x] = 0.3 + 0.6*float64(x)/99 // light on the right, shadow on the left
		}
	}
	for y := 20; y < 80; y++ {
		for x := 45; x < 55; x++ {
			photo[y*100+x] = 0.05
		}
	}
	check("a shadowed photo", photo, 100, 100, "uneven")
}

func TestPrepareDigitPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "data: PrepareDigit") {
			t.Errorf("recovered %v, want a data: panic", r)
		}
	}()
	PrepareDigit(make([]float64, 10), 4, 4)
}
