package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// IDX is the file format of MNIST (http://yann.lecun.com/exdb/mnist/): a
// big-endian header of a magic number 0x0000TTDD (TT the element type, 0x08
// for unsigned bytes; DD the number of dimensions), then one uint32 per
// dimension, then the elements in row-major order.
const (
	idxImagesMagic = 0x00000803 // unsigned bytes, 3 dimensions
	idxLabelsMagic = 0x00000801 // unsigned bytes, 1 dimension
)

// MaxIDXCount and MaxIDXSide cap the lengths an IDX header may claim: at
// most 10 million items of at most 1024×1024 pixels. The readers allocate
// memory only as data actually arrives, so a header that lies costs little,
// but these caps reject absurd headers before any reading.
const (
	MaxIDXCount = 10_000_000
	MaxIDXSide  = 1024
)

// ReadIDXImages reads an IDX file of images (magic 0x00000803): n images
// of rows×cols unsigned bytes, returned as pixels in row-major order
// (len(pixels) == n*rows*cols). The stream may be gzip-compressed; it is
// recognised by its magic bytes 0x1f 0x8b. It returns an error for a bad
// magic number, a count above MaxIDXCount, a side of 0 or above MaxIDXSide,
// a truncated header or truncated data, data after the last image, and a
// corrupt gzip stream.
func ReadIDXImages(r io.Reader) (n, rows, cols int, pixels []uint8, err error) {
	dims, pixels, err := readIDX(r, idxImagesMagic, -1, -1)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return dims[0], dims[1], dims[2], pixels, nil
}

// ReadIDXLabels reads an IDX file of labels (magic 0x00000801): one
// unsigned byte per item, any value 0..255. Compression and errors are as
// for ReadIDXImages.
func ReadIDXLabels(r io.Reader) ([]uint8, error) {
	_, labels, err := readIDX(r, idxLabelsMagic, -1, -1)
	return labels, err
}

// readIDX reads an IDX stream of unsigned bytes whose magic must be magic,
// returning its dimensions (as the header gives them) and elements. With
// limit >= 0 it reads the elements of only the first limit items and
// ignores the rest of the stream. size is the length of the decompressed
// stream as its file vouches for it (idxStreamSize), or -1: when the
// header's claim fits in it, the elements are read into a buffer of their
// exact length instead of one that doubles as data arrives (MNIST's
// training images: 47 MB allocated instead of 111 MB).
func readIDX(r io.Reader, magic uint32, limit int, size int64) (dims []int, data []byte, err error) {
	r, dims, item, err := readIDXHeader(r, magic)
	if err != nil {
		return nil, nil, err
	}
	items := dims[0]
	if limit >= 0 && limit < items {
		items = limit
	}
	if uint64(items)*uint64(item) > math.MaxInt {
		return nil, nil, fmt.Errorf("IDX data of %d×%d bytes is too large for this platform", items, item)
	}
	want := int64(4*(1+len(dims))) + int64(items)*int64(item)
	data, err = readN(r, items*item, size >= 0 && (want == size || limit >= 0 && want <= size))
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, fmt.Errorf("truncated: expected %d bytes of %s data, got %d", items*item, idxNoun(magic), len(data))
		}
		return nil, nil, err
	}
	if limit < 0 {
		if err := readToEnd(r, dims[0], magic); err != nil {
			return nil, nil, err
		}
	}
	return dims, data, nil
}

// readIDXHeader reads and checks the header of an IDX stream (gzipped or
// not) whose magic must be magic, and returns the reader of what follows,
// the dimensions and the bytes per item.
func readIDXHeader(r io.Reader, magic uint32) (rest io.Reader, dims []int, item int, err error) {
	r, err = maybeGunzip(r)
	if err != nil {
		return nil, nil, 0, err
	}
	rank := int(magic & 0xff)
	head := make([]byte, 4*(1+rank))
	// The magic number first, so that a wrong kind of file is named as such
	// even when it is shorter than the header expected.
	read := 0
	for _, part := range [][]byte{head[:4], head[4:]} {
		k, err := io.ReadFull(r, part)
		read += k
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, 0, fmt.Errorf("truncated IDX header: expected %d bytes, got %d", len(head), read)
		}
		if err != nil {
			return nil, nil, 0, err
		}
		if got := binary.BigEndian.Uint32(head); got != magic {
			return nil, nil, 0, fmt.Errorf("bad magic number 0x%08x, expected 0x%08x (IDX %s)", got, magic, idxKind(magic))
		}
	}
	dims = make([]int, rank)
	item = 1
	for i := range dims {
		d := binary.BigEndian.Uint32(head[4*(i+1):])
		switch {
		case i == 0 && d > MaxIDXCount:
			return nil, nil, 0, fmt.Errorf("IDX header claims %d items, more than the limit of %d", d, MaxIDXCount)
		case i > 0 && (d == 0 || d > MaxIDXSide):
			return nil, nil, 0, fmt.Errorf("IDX header claims dimension %d of size %d, outside [1, %d]", i, d, MaxIDXSide)
		}
		dims[i] = int(d)
		if i > 0 {
			item *= int(d)
		}
	}
	return r, dims, item, nil
}

// readToEnd checks that r holds nothing after the count items of an IDX
// stream: reading on to the end is also where a gzip stream checks its CRC.
func readToEnd(r io.Reader, count int, magic uint32) error {
	var extra [1]byte
	switch k, err := io.ReadFull(r, extra[:]); {
	case k > 0:
		return fmt.Errorf("unexpected data after %d items of %s data", count, idxNoun(magic))
	case err != io.EOF:
		return err
	}
	return nil
}

// IDXImages reads the images of an IDX image file one at a time, so that
// a reader that needs a few images reads only those, and memory holds one
// image whatever count the header claims (a gzipped file of 7.6 MB can
// decompress to ten million images of zeros).
type IDXImages struct {
	// N, Rows and Cols are the header's count of images and their height
	// and width.
	N, Rows, Cols int
	r             io.Reader
	read          int // images read so far
}

// NewIDXImages reads and checks the header of an IDX image file (magic
// 0x00000803, gzipped or not) from r, as ReadIDXImages does, and returns a
// reader of its images.
func NewIDXImages(r io.Reader) (*IDXImages, error) {
	rest, dims, _, err := readIDXHeader(r, idxImagesMagic)
	if err != nil {
		return nil, err
	}
	return &IDXImages{N: dims[0], Rows: dims[1], Cols: dims[2], r: rest}, nil
}

// Next reads the next image into dst, Rows·Cols bytes in row-major order.
// After the N-th image it returns io.EOF, having checked that nothing
// follows (and a gzip stream's checksum). If the stream ends inside an
// image, the error says which. It panics if len(dst) != Rows·Cols.
func (x *IDXImages) Next(dst []byte) error {
	if len(dst) != x.Rows*x.Cols {
		panic(fmt.Sprintf("data: IDXImages.Next: buffer of %d bytes for images of %d×%d", len(dst), x.Rows, x.Cols))
	}
	if x.read == x.N {
		if err := readToEnd(x.r, x.N, idxImagesMagic); err != nil {
			return err
		}
		return io.EOF
	}
	if _, err := io.ReadFull(x.r, dst); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("truncated: the file ends inside image %d of %d", x.read+1, x.N)
		}
		return err
	}
	x.read++
	return nil
}

// readN reads exactly total bytes, growing its buffer only as data arrives
// (so a lying length costs no memory), unless exact says that the length
// was vouched for: then the buffer has that length from the start. On
// error it returns what it read and io.EOF or io.ErrUnexpectedEOF for a
// short stream.
func readN(r io.Reader, total int, exact bool) ([]byte, error) {
	const chunk = 1 << 16
	buf := make([]byte, 0, min(total, chunk))
	if exact {
		buf = make([]byte, 0, total)
	}
	for len(buf) < total {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(total-len(buf), len(buf)))
		}
		k, err := io.ReadFull(r, buf[len(buf):min(cap(buf), total)])
		buf = buf[:len(buf)+k]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// maxDeflateRatio bounds how many bytes a deflate stream can decompress
// to for each byte it takes (1032 for the format; 1040 leaves room for
// gzip's header and trailer being counted in the compressed size).
const maxDeflateRatio = 1040

// idxStreamSize returns the length of the stream f holds once
// decompressed, as far as the file vouches for it, or -1: a plain file's
// size; for a gzip file (magic 0x1f 0x8b), the length its trailer records
// (ISIZE, modulo 2^32) if that is at most maxDeflateRatio times the file's
// size, so that a lying trailer can make the reader allocate no more than
// the data that file could decompress to anyway.
func idxStreamSize(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return -1
	}
	n := st.Size()
	var b [4]byte
	if k, _ := f.ReadAt(b[:2], 0); k < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return n
	}
	if n < 18 {
		return -1
	}
	if k, _ := f.ReadAt(b[:], n-4); k < 4 {
		return -1
	}
	if isize := int64(binary.LittleEndian.Uint32(b[:])); isize <= maxDeflateRatio*n {
		return isize
	}
	return -1
}

// maybeGunzip returns a reader of r's decompressed bytes if r starts with
// the gzip magic 0x1f 0x8b, and a reader of r's bytes otherwise.
func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(2); err == nil && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("bad gzip stream: %w", err)
		}
		return zr, nil
	}
	return br, nil
}

func idxKind(magic uint32) string {
	if magic == idxImagesMagic {
		return "images of unsigned bytes"
	}
	return "labels of unsigned bytes"
}

func idxNoun(magic uint32) string {
	if magic == idxImagesMagic {
		return "pixel"
	}
	return "label"
}
