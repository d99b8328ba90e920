package plot

import (
	"image/color"
	"math"
)

var (
	white     = color.RGBA{255, 255, 255, 255}
	black     = color.RGBA{0, 0, 0, 255}
	gridColor = color.RGBA{225, 225, 225, 255}

	// palette10 are the colours of series and classes in order (the
	// "tab10" colours familiar from matplotlib).
	palette10 = []color.RGBA{
		{0x1f, 0x77, 0xb4, 255}, // blue
		{0xff, 0x7f, 0x0e, 255}, // orange
		{0x2c, 0xa0, 0x2c, 255}, // green
		{0xd6, 0x27, 0x28, 255}, // red
		{0x94, 0x67, 0xbd, 255}, // purple
		{0x8c, 0x56, 0x4b, 255}, // brown
		{0xe3, 0x77, 0xc2, 255}, // pink
		{0x7f, 0x7f, 0x7f, 255}, // grey
		{0xbc, 0xbd, 0x22, 255}, // olive
		{0x17, 0xbe, 0xcf, 255}, // cyan
	}
)

// seriesColor returns the colour of series or class i.
func seriesColor(i int) color.RGBA { return palette10[i%len(palette10)] }

// colorMap interpolates linearly between evenly spaced colours.
type colorMap []color.RGBA

// at returns the colour at t in [0, 1] (clamped).
func (m colorMap) at(t float64) color.RGBA {
	if !(t > 0) { // also NaN
		return m[0]
	}
	if t >= 1 {
		return m[len(m)-1]
	}
	s := t * float64(len(m)-1)
	i := int(s)
	return mix(m[i], m[i+1], s-float64(i))
}

// mix returns a + t*(b-a) channel by channel.
func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

var (
	// viridis is a perceptually uniform dark-blue to yellow map (a few
	// anchors of matplotlib's viridis), used for contour levels.
	viridis = colorMap{
		{0x44, 0x01, 0x54, 255}, {0x3b, 0x52, 0x8b, 255}, {0x21, 0x91, 0x8c, 255},
		{0x5e, 0xc9, 0x62, 255}, {0xfd, 0xe7, 0x25, 255},
	}
	// coolwarm is a diverging blue-white-red map, white in the middle.
	coolwarm = colorMap{{0x3b, 0x4c, 0xc0, 255}, {255, 255, 255, 255}, {0xb4, 0x04, 0x26, 255}}
)
