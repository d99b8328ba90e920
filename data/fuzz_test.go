package data

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

func FuzzReadIDXImages(f *testing.F) {
	good := idxBytes(idxImagesMagic, []uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add(good)
	f.Add(gzipBytes(good))
	f.Add(good[:20])
	f.Add(idxBytes(idxImagesMagic, []uint32{MaxIDXCount, MaxIDXSide, MaxIDXSide}, nil))
	f.Add([]byte{0x1f, 0x8b})
	// Hostile shapes (issue 12): a truncated header, sides that would
	// overflow a 32-bit product, a count past MaxIDXCount.
	f.Add(good[:10])
	f.Add(idxBytes(idxImagesMagic, []uint32{2, 0xffffffff, 0xffffffff}, good[16:]))
	f.Add(idxBytes(idxImagesMagic, []uint32{0xffffffff, 2, 3}, good[16:]))
	f.Add(gzipBytes(idxBytes(idxImagesMagic, []uint32{MaxIDXCount + 1, 28, 28}, nil)))
	f.Fuzz(func(t *testing.T, in []byte) {
		n, rows, cols, px, err := ReadIDXImages(bytes.NewReader(in))
		if err != nil {
			return
		}
		if n < 0 || n > MaxIDXCount || rows < 1 || rows > MaxIDXSide || cols < 1 || cols > MaxIDXSide || len(px) != n*rows*cols {
			t.Fatalf("accepted %d images of %dx%d with %d pixels", n, rows, cols, len(px))
		}
		// What is accepted is all there is: the stream is exactly
		// header and pixels, unless it was compressed.
		if len(in) > 0 && in[0] != 0x1f && len(in) != 16+len(px) {
			t.Fatalf("accepted %d bytes for %d pixels", len(in), len(px))
		}
	})
}

func FuzzReadIDXLabels(f *testing.F) {
	good := idxBytes(idxLabelsMagic, []uint32{3}, []byte{5, 0, 4})
	f.Add(good)
	f.Add(gzipBytes(good))
	f.Add(good[:9])
	f.Add(idxBytes(idxLabelsMagic, []uint32{0xffffffff}, nil))
	f.Add(good[:5]) // a truncated header
	f.Add(gzipBytes(idxBytes(idxLabelsMagic, []uint32{MaxIDXCount + 1}, []byte{1, 2})))
	f.Fuzz(func(t *testing.T, in []byte) {
		labels, err := ReadIDXLabels(bytes.NewReader(in))
		if err != nil {
			return
		}
		if len(labels) > MaxIDXCount || len(in) > 0 && in[0] != 0x1f && len(in) != 8+len(labels) {
			t.Fatalf("accepted %d bytes as %d labels", len(in), len(labels))
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b,label\n1,2,x\n3,4,y\n",
		"1,2,3\n4,5,6\n",
		"x;y\n1;2\n",
		"\uFEFF\"a\",b\n\"1\",\"2\"\n",
		"1,2\n3\n",
		"1,NaN,0\n",
		"",
	} {
		f.Add(seed, "", false)
		f.Add(seed, "0", true)
	}
	f.Add("y,x\n1,2\n", "y", false)
	// Shapes past ReadCSV's limits (issue 12): a label that implies 65536
	// classes, labels that are not UTF-8, a line past MaxCSVLine.
	f.Add("1,0\n2,65535\n", "", false)
	f.Add("1,\xff\n2,\xfe\n", "", false)
	f.Add("1,0\n"+strings.Repeat("2", MaxCSVLine)+",1\n", "", false)
	f.Add("1,-1\n2,0\n", "", false)
	f.Add("1,99999999999999999999\n2,0\n", "", false)
	f.Add("1,9223372036854775807\n2,0\n", "", false)
	var distinct strings.Builder
	for i := range MaxCSVClasses + 1 {
		fmt.Fprintf(&distinct, "%d,c%d\n", i, i)
	}
	f.Add(distinct.String(), "", false)
	f.Fuzz(func(t *testing.T, in, label string, regression bool) {
		s, err := ReadCSV[float32](strings.NewReader(in), "fuzz.csv", CSVOptions{Label: label, Regression: regression})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		if s.Len() == 0 || s.X.Cols() == 0 {
			t.Fatalf("accepted an empty table: X %v", s.X.Shape())
		}
		if regression != (s.Classes == 0) || len(s.ClassNames) != 0 && len(s.ClassNames) != s.Classes {
			t.Fatalf("regression %v but %d classes, names %q", regression, s.Classes, s.ClassNames)
		}
		if s.FeatureNames != nil && len(s.FeatureNames) != s.X.Cols() {
			t.Fatalf("%d feature names for %d columns", len(s.FeatureNames), s.X.Cols())
		}
	})
}

// FuzzIDXImages checks that reading images one at a time accepts exactly
// the streams ReadIDXImages accepts, with the same pixels.
func FuzzIDXImages(f *testing.F) {
	good := idxBytes(idxImagesMagic, []uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add(good)
	f.Add(gzipBytes(good))
	f.Add(good[:20])
	// A header that claims ten million images with two behind it (issue 12).
	f.Add(gzipBytes(idxBytes(idxImagesMagic, []uint32{MaxIDXCount, 2, 3}, good[16:])))
	f.Fuzz(func(t *testing.T, in []byte) {
		n, rows, cols, px, err := ReadIDXImages(bytes.NewReader(in))
		x, xerr := NewIDXImages(bytes.NewReader(in))
		var got []byte
		for xerr == nil {
			img := make([]byte, x.Rows*x.Cols)
			if xerr = x.Next(img); xerr == nil {
				got = append(got, img...)
			}
		}
		if (err == nil) != (xerr == io.EOF) {
			t.Fatalf("ReadIDXImages: %v; IDXImages: %v", err, xerr)
		}
		if err == nil && (x.N != n || x.Rows != rows || x.Cols != cols || !bytes.Equal(got, px)) {
			t.Fatalf("IDXImages read %d×%d×%d, %d pixels; ReadIDXImages %d×%d×%d, %d pixels", x.N, x.Rows, x.Cols, len(got), n, rows, cols, len(px))
		}
	})
}
