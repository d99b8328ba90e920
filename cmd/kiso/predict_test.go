package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
)

// digitModel saves an untrained classifier of 28×28 images to dir and
// returns its path.
func digitModel(t *testing.T, dir string) string {
	t.Helper()
	spec := nn.Spec{Input: []int{784}, Layers: nn.LayerSpecs{nn.LinearSpec{In: 784, Out: 10}}}
	net, err := nn.Build[float64](spec, nn.Normal(0.01), rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "digits.kiso")
	if err := model.Save(path, net, model.Info{Classes: 10}); err != nil {
		t.Fatal(err)
	}
	return path
}

// pngHeader returns a PNG of 8-bit grayscale that declares w×h pixels but
// holds the compressed bytes of only its first row: a few hundred bytes.
func pngHeader(w, h uint32) []byte {
	chunk := func(b []byte, typ string, data []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(append(b, typ...), data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // depth 8, grayscale, no interlace
	b := []byte("\x89PNG\r\n\x1a\n")
	b = chunk(b, "IHDR", ihdr)
	b = chunk(b, "IDAT", []byte{0x78, 0x9c, 0x63, 0, 0}) // a cut zlib stream
	return chunk(b, "IEND", nil)
}

// TestPredictHugeImage checks that an image declaring far more pixels than
// the model takes is refused from its header, before it is decoded (a
// 588-byte PNG of 65535×65535 once exhausted memory).
func TestPredictHugeImage(t *testing.T) {
	dir := t.TempDir()
	m := digitModel(t, dir)
	for _, side := range []uint32{4096, 65535} {
		path := filepath.Join(dir, "huge.png")
		if err := os.WriteFile(path, pngHeader(side, side), 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, errs, code := runCLI(t, "predict", "--model", m, path)
		runtime.ReadMemStats(&after)
		if code != 1 || !strings.Contains(errs, fmt.Sprintf("the image is %dx%d", side, side)) || !strings.Contains(errs, "the model takes 784 pixels") {
			t.Errorf("%d×%d PNG: exit %d, %q", side, side, code, errs)
		}
		if used := after.TotalAlloc - before.TotalAlloc; used > 8<<20 {
			t.Errorf("%d×%d PNG: allocated %d bytes", side, side, used)
		}
	}
}

// idxFile returns an IDX image file, gzipped, whose header claims count
// images of 28×28 but which holds only n.
func idxFile(count uint32, n int) []byte {
	b := binary.BigEndian.AppendUint32(nil, 0x803)
	b = binary.BigEndian.AppendUint32(b, count)
	b = binary.BigEndian.AppendUint32(b, 28)
	b = binary.BigEndian.AppendUint32(b, 28)
	b = append(b, make([]byte, n*784)...)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	return z.Bytes()
}

// TestPredictIDXLimit checks that predict --limit reads only the images it
// needs: a file that claims ten million images and holds ten gives five.
func TestPredictIDXLimit(t *testing.T) {
	dir := t.TempDir()
	m := digitModel(t, dir)
	path := filepath.Join(dir, "images.idx3-ubyte.gz")
	if err := os.WriteFile(path, idxFile(10_000_000, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCLI(t, "predict", "--model", m, "--limit", "5", path)
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(out, path+"[4]: ") {
		t.Errorf("--limit 5: exit %d, %q %s", code, out, errs)
	}
	// Without a limit the file is read to its end, which comes early.
	out, errs, code = runCLI(t, "predict", "--model", m, path)
	if code != 1 || !strings.Contains(errs, "the file ends inside image 11 of 10000000") {
		t.Errorf("no limit: exit %d, %q %s", code, out, errs)
	}
}

// TestPredictBadInputAmongMany checks that predict reports an input it
// cannot read, predicts the others and exits non-zero at the end.
func TestPredictBadInputAmongMany(t *testing.T) {
	dir := t.TempDir()
	m := digitModel(t, dir)
	good := filepath.Join(dir, "zero.png")
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 28, 28)))
	os.WriteFile(good, b.Bytes(), 0o644)
	notImage := filepath.Join(dir, "notes.png")
	os.WriteFile(notImage, []byte("not an image\n"), 0o644)
	missing := filepath.Join(dir, "missing.png")
	out, errs, code := runCLI(t, "predict", "--model", m, good, notImage, missing, good)
	if code != 1 || strings.Count(out, good+": ") != 2 {
		t.Errorf("exit %d, stdout %q, want two predictions of %s", code, out, good)
	}
	for _, want := range []string{"notes.png: not a readable image", "missing.png: no such file", "2 of 4 inputs could not be read"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
}

// TestPredictTextModel checks the message for a file that is not a model.
func TestPredictTextModel(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("these are my notes\n"), 0o644)
	_, errs, code := runCLI(t, "predict", "--model", notes, notes)
	if code != 1 || !strings.Contains(errs, "not a kiso model file") || strings.Contains(errs, "header length") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

// TestPredictLongCSVLine checks predict's CSV line limit, data.MaxCSVLine,
// at and past it: a line of that many bytes is read, a longer one is
// reported in a short message.
func TestPredictLongCSVLine(t *testing.T) {
	dir := t.TempDir()
	spec := nn.Spec{Input: []int{2}, Layers: nn.LayerSpecs{nn.LinearSpec{In: 2, Out: 2}}}
	net, err := nn.Build[float64](spec, nn.Normal(0.01), rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "two.kiso")
	if err := model.Save(m, net, model.Info{Classes: 2}); err != nil {
		t.Fatal(err)
	}
	line := func(n int) string { return "1," + strings.Repeat(" ", n-3) + "2\n" } // n bytes and a newline
	for _, tc := range []struct {
		n    int
		code int
	}{{data.MaxCSVLine, 0}, {data.MaxCSVLine + 1, 1}, {2 * data.MaxCSVLine, 1}} {
		path := filepath.Join(dir, "rows.csv")
		os.WriteFile(path, []byte("0,0\n"+line(tc.n)), 0o644)
		out, errs, code := runCLI(t, "predict", "--model", m, path)
		if code != tc.code || len(errs) > 300 || tc.code == 0 && strings.Count(out, "\n") != 2 {
			t.Errorf("line of %d bytes: exit %d, stdout %q, stderr %.300q", tc.n, code, out, errs)
		}
		if tc.code != 0 && !strings.Contains(errs, "rows.csv:2: the line is longer than data.MaxCSVLine") {
			t.Errorf("line of %d bytes: stderr %.300q", tc.n, errs)
		}
	}
}
