package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// idxBytes builds an IDX stream: magic, dimensions, then data.
func idxBytes(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestReadIDXImages(t *testing.T) {
	pixels := []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}
	good := idxBytes(idxImagesMagic, []uint32{2, 2, 3}, pixels)
	corrupt := gzipBytes(good)
	corrupt[len(corrupt)-6] ^= 0xff // the CRC-32 in the trailer
	for _, tc := range []struct {
		name string
		in   []byte
		want string // error substring; "" for success
	}{
		{"raw", good, ""},
		{"gzip", gzipBytes(good), ""},
		{"no images", idxBytes(idxImagesMagic, []uint32{0, 28, 28}, nil), ""},
		{"empty", nil, "truncated IDX header: expected 16 bytes, got 0"},
		{"truncated header", good[:10], "truncated IDX header: expected 16 bytes, got 10"},
		{"truncated gzip header", gzipBytes(good[:10]), "truncated IDX header: expected 16 bytes, got 10"},
		{"labels given", idxBytes(idxLabelsMagic, []uint32{2}, []byte{1, 2}), "bad magic number 0x00000801, expected 0x00000803"},
		{"garbage", []byte("hello, world, this is text"), "bad magic number 0x68656c6c"},
		{"truncated data", good[:16+5], "truncated: expected 12 bytes of pixel data, got 5"},
		{"truncated gzip data", gzipBytes(good[:16+5]), "truncated: expected 12 bytes of pixel data, got 5"},
		{"cut gzip stream", gzipBytes(good)[:20], "truncated"},
		{"corrupt gzip", corrupt, "gzip: invalid checksum"},
		{"trailing data", append(slices.Clone(good), 9), "unexpected data after 2 items"},
		{"too many images", idxBytes(idxImagesMagic, []uint32{4_000_000_000, 28, 28}, nil), "claims 4000000000 items, more than the limit of 10000000"},
		{"zero rows", idxBytes(idxImagesMagic, []uint32{1, 0, 28}, nil), "dimension 1 of size 0"},
		{"too wide", idxBytes(idxImagesMagic, []uint32{1, 28, 1025}, nil), "dimension 2 of size 1025, outside [1, 1024]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, rows, cols, got, err := ReadIDXImages(bytes.NewReader(tc.in))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want one containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantN, wantRows, wantCols, wantPix := 2, 2, 3, pixels
			if tc.name == "no images" {
				wantN, wantRows, wantCols, wantPix = 0, 28, 28, nil
			}
			if n != wantN || rows != wantRows || cols != wantCols || !bytes.Equal(got, wantPix) {
				t.Errorf("got %d images of %dx%d: %v", n, rows, cols, got)
			}
		})
	}
}

func TestReadIDXImagesShape(t *testing.T) {
	n, rows, cols, px, err := ReadIDXImages(bytes.NewReader(idxBytes(idxImagesMagic, []uint32{3, 4, 5}, make([]byte, 60))))
	if err != nil || n != 3 || rows != 4 || cols != 5 || len(px) != 60 {
		t.Errorf("got %d, %d, %d, %d pixels, %v", n, rows, cols, len(px), err)
	}
}

// TestReadIDXLyingHeader checks that a header claiming the largest sizes
// allowed, with almost no data behind it, costs almost no memory.
func TestReadIDXLyingHeader(t *testing.T) {
	for _, in := range [][]byte{
		idxBytes(idxImagesMagic, []uint32{MaxIDXCount, MaxIDXSide, MaxIDXSide}, make([]byte, 100)),
		gzipBytes(idxBytes(idxImagesMagic, []uint32{MaxIDXCount, 28, 28}, make([]byte, 100))),
		idxBytes(idxLabelsMagic, []uint32{MaxIDXCount}, []byte{1}),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var err error
		if binary.BigEndian.Uint32(in) == idxLabelsMagic {
			_, err = ReadIDXLabels(bytes.NewReader(in))
		} else {
			_, _, _, _, err = ReadIDXImages(bytes.NewReader(in))
		}
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "truncated: expected") {
			t.Errorf("error %v, want a truncation", err)
		}
		if used := after.TotalAlloc - before.TotalAlloc; used > 1<<20 {
			t.Errorf("reading a lying header allocated %d bytes", used)
		}
	}
}

func TestReadIDXLabels(t *testing.T) {
	labels := []byte{5, 0, 4, 1, 9, 255}
	good := idxBytes(idxLabelsMagic, []uint32{6}, labels)
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"raw", good, ""},
		{"gzip", gzipBytes(good), ""},
		{"images given", idxBytes(idxImagesMagic, []uint32{1, 1, 1}, []byte{1}), "bad magic number 0x00000803, expected 0x00000801"},
		{"truncated header", good[:6], "truncated IDX header: expected 8 bytes, got 6"},
		{"truncated data", good[:8+2], "truncated: expected 6 bytes of label data, got 2"},
		{"too many", idxBytes(idxLabelsMagic, []uint32{MaxIDXCount + 1}, nil), "more than the limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadIDXLabels(bytes.NewReader(tc.in))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want one containing %q", err, tc.want)
				}
				return
			}
			if err != nil || !bytes.Equal(got, labels) {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
}

func TestReadNGrowsWithData(t *testing.T) {
	// More than one chunk, so the buffer grows several times.
	want := make([]byte, 300_000)
	for i := range want {
		want[i] = byte(i * 7)
	}
	got, err := readN(bytes.NewReader(want), len(want), false)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("readN: %d bytes, %v", len(got), err)
	}
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestIDXImagesStream checks that IDXImages reads one image at a time:
// five images of a stream that claims ten million and goes on without end
// cost memory for five, whatever the header claims.
func TestIDXImagesStream(t *testing.T) {
	head := idxBytes(idxImagesMagic, []uint32{MaxIDXCount, 28, 28}, nil)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	x, err := NewIDXImages(io.MultiReader(bytes.NewReader(head), zeros{}))
	if err != nil {
		t.Fatal(err)
	}
	if x.N != MaxIDXCount || x.Rows != 28 || x.Cols != 28 {
		t.Fatalf("header %d×%d×%d", x.N, x.Rows, x.Cols)
	}
	img := make([]byte, 28*28)
	for i := range 5 {
		if err := x.Next(img); err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
	}
	runtime.ReadMemStats(&after)
	if used := after.TotalAlloc - before.TotalAlloc; used > 1<<20 {
		t.Errorf("reading 5 images allocated %d bytes", used)
	}

	// A stream that ends early says after how many images; one that holds
	// them all ends with io.EOF, and data after the last is an error.
	px := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	for _, tc := range []struct {
		name  string
		in    []byte
		count int // images read before the error
		want  string
	}{
		{"whole", idxBytes(idxImagesMagic, []uint32{3, 2, 2}, px), 3, "EOF"},
		{"gzip", gzipBytes(idxBytes(idxImagesMagic, []uint32{3, 2, 2}, px)), 3, "EOF"},
		{"lying count", gzipBytes(idxBytes(idxImagesMagic, []uint32{MaxIDXCount, 2, 2}, px[:10])), 2, "the file ends inside image 3 of 10000000"},
		{"extra data", idxBytes(idxImagesMagic, []uint32{2, 2, 2}, px[:9]), 2, "unexpected data after 2 items"},
		{"labels", idxBytes(idxLabelsMagic, []uint32{3}, px[:3]), 0, "bad magic number"},
		{"too many", idxBytes(idxImagesMagic, []uint32{MaxIDXCount + 1, 2, 2}, nil), 0, "more than the limit"},
	} {
		x, err := NewIDXImages(bytes.NewReader(tc.in))
		n := 0
		for err == nil {
			img := make([]byte, x.Rows*x.Cols)
			if err = x.Next(img); err == nil {
				if !bytes.Equal(img, px[4*n:4*n+4]) {
					t.Errorf("%s: image %d is %v", tc.name, n, img)
				}
				n++
			}
		}
		if n != tc.count || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %d images then %v, want %d then an error containing %q", tc.name, n, err, tc.count, tc.want)
		}
	}
}

// TestIDXStreamSize checks the length a file vouches for: a plain file's
// size, a gzip file's trailer, and -1 for a trailer that claims more than
// the file could decompress to.
func TestIDXStreamSize(t *testing.T) {
	dir := t.TempDir()
	stream := idxBytes(idxImagesMagic, []uint32{50, 28, 28}, make([]byte, 50*784))
	gz := gzipBytes(stream)
	lying := slices.Clone(gz)
	binary.LittleEndian.PutUint32(lying[len(lying)-4:], 0xffffffff)
	for _, tc := range []struct {
		name string
		b    []byte
		want int64
	}{
		{"plain", stream, int64(len(stream))},
		{"gzip", gz, int64(len(stream))},
		{"lying gzip", lying, -1},
		{"short gzip", gz[:10], -1},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.b, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := idxStreamSize(f); got != tc.want {
			t.Errorf("%s: idxStreamSize %d, want %d", tc.name, got, tc.want)
		}
		f.Close()
	}
}

// TestReadIDXFileExact checks that a file whose length vouches for its
// header's claim is read into a buffer of exactly that length, with the
// same content and the same errors as a stream of unknown length.
func TestReadIDXFileExact(t *testing.T) {
	dir := t.TempDir()
	px := make([]byte, 300*784)
	for i := range px {
		px[i] = byte(i * 13)
	}
	stream := idxBytes(idxImagesMagic, []uint32{300, 28, 28}, px)
	truncated := gzipBytes(stream[:len(stream)-1])
	// The trailer of the whole stream on a stream one byte short: the length
	// vouched for matches the header, the data does not arrive.
	binary.LittleEndian.PutUint32(truncated[len(truncated)-4:], uint32(len(stream)))
	for name, b := range map[string][]byte{"plain": stream, "gzip": gzipBytes(stream), "truncated": truncated} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"plain", "gzip"} {
		for _, limit := range []int{-1, 7} {
			_, dims, got, err := readIDXFile(dir, name, idxImagesMagic, limit)
			want := px
			if limit >= 0 {
				want = px[:limit*784]
			}
			if err != nil || !slices.Equal(dims, []int{300, 28, 28}) || !bytes.Equal(got, want) {
				t.Fatalf("%s, limit %d: dims %v, %d bytes, %v", name, limit, dims, len(got), err)
			}
			if limit < 0 && cap(got) != len(px) {
				t.Errorf("%s: buffer of %d bytes for %d", name, cap(got), len(px))
			}
		}
	}
	if _, _, _, err := readIDXFile(dir, "truncated", idxImagesMagic, -1); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated file: %v, want a truncation error", err)
	}
}
