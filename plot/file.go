package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// defaultDPI is the resolution of PNG files when Size.DPI is zero.
const defaultDPI = 100

// Size is a figure's width and height in inches and, for PNG files, its
// resolution in dots per inch (default 100; an SVG file is drawn as if at
// that resolution, which matters only to how finely long lines are kept).
// A zero field takes the drawing function's default, which for multi-panel
// figures grows with the number of panels. Negative fields panic.
type Size struct {
	Width, Height float64
	DPI           int
}

// CheckPath reports whether a figure could be written to path: its
// extension is .png or .svg and its folder accepts new files. Callers use
// it to fail before a long training run rather than after. It leaves
// nothing behind.
func CheckPath(path string) error {
	if _, err := format(path); err != nil {
		return err
	}
	return atomicfile.CheckWritable(path)
}

// format returns the image format of path, "png" or "svg", or an error
// naming the path and the allowed extensions.
func format(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png", ".svg":
		return ext[1:], nil
	case "":
		return "", fmt.Errorf("cannot write %s: no file extension; use .png or .svg", path)
	default:
		return "", fmt.Errorf("cannot write %s: unknown image type %q; use .png or .svg", path, ext)
	}
}

// figure is one output file about to be drawn.
type figure struct {
	path   string
	format string    // "png" or "svg"
	w, h   vg.Length // whole dots at dpi, so PNG sizes are exact
	dpi    float64   // dots per inch; for SVG the nominal resolution used for decimation
	wpx    int       // width in dots
	hpx    int       // height in dots
}

// newFigure validates path and resolves s against the defaults (inches).
// It panics if s has a negative, NaN or infinite field.
func newFigure(path string, s Size, defW, defH float64) (*figure, error) {
	fmtName, err := format(path)
	if err != nil {
		return nil, err
	}
	if !(s.Width >= 0 && s.Height >= 0 && s.DPI >= 0) || math.IsInf(s.Width, 0) || math.IsInf(s.Height, 0) {
		panic(fmt.Sprintf("plot: invalid size %+v", s))
	}
	w, h, dpi := s.Width, s.Height, s.DPI
	if w == 0 {
		w = defW
	}
	if h == 0 {
		h = defH
	}
	if dpi == 0 {
		dpi = defaultDPI
	}
	wpx := max(1, int(math.Round(w*float64(dpi))))
	hpx := max(1, int(math.Round(h*float64(dpi))))
	return &figure{
		path:   path,
		format: fmtName,
		w:      vg.Length(wpx) * vg.Inch / vg.Length(dpi),
		h:      vg.Length(hpx) * vg.Inch / vg.Length(dpi),
		dpi:    float64(dpi),
		wpx:    wpx,
		hpx:    hpx,
	}, nil
}

// pixel is the width of one dot of the figure.
func (f *figure) pixel() vg.Length { return vg.Inch / vg.Length(f.dpi) }

// write draws the figure with paint onto a white canvas of the figure's
// size and writes it atomically to f.path.
func (f *figure) write(paint func(dc draw.Canvas)) error {
	switch f.format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(f.w, f.h), vgimg.UseDPI(int(f.dpi)))
		paint(draw.New(c))
		img := c.Image()
		return atomicfile.Write(f.path, func(w io.Writer) error {
			if rgba, ok := img.(*image.RGBA); ok { // as vgimg draws
				return f.wrap(encodePNG(w, rgba))
			}
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			return f.wrap(enc.Encode(w, img))
		})
	case "svg":
		c := vgsvg.New(f.w, f.h)
		dc := draw.New(c) // transparent unless filled
		dc.SetColor(white)
		dc.Fill(dc.Rectangle.Path())
		paint(dc)
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("cannot write %s: %w", f.path, err)
		}
		return atomicfile.Write(f.path, func(w io.Writer) error {
			_, err := w.Write(fixSVG(buf.Bytes()))
			return f.wrap(err)
		})
	}
	panic("plot: unreachable format " + f.format)
}

// wrap turns an error met while writing the temporary file into one that
// names the figure's path (not the temporary file's); nil stays nil.
func (f *figure) wrap(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot write %s: %w", f.path, err)
}

// fixSVG mends two habits of gonum/plot's SVG output that make some
// viewers show it wrongly: embedded PNG images are labelled image/jpg
// (librsvg then drops them), and text names only Liberation Sans, so
// that machines without it fall back to a serif font of other widths;
// Arial and Helvetica have the same metrics.
func fixSVG(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("data:image/jpg;base64,"), []byte("data:image/png;base64,"))
	return bytes.ReplaceAll(b, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}
