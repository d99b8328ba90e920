package main

import (
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/tensor"
)

// writePhoto writes a w×h grayscale PNG, light paper (230) with the dark
// (20) rectangle [x0, x1)×[y0, y1), and returns its path and pixels in
// [0, 1].
func writePhoto(t *testing.T, dir, name string, w, h, x0, y0, x1, y1 int) (string, []float64) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	gray := make([]float64, w*h)
	for y := range h {
		for x := range w {
			v := uint8(230)
			if x >= x0 && x < x1 && y >= y0 && y < y1 {
				v = 20
			}
			img.SetGray(x, y, color.Gray{Y: v})
			gray[y*w+x] = float64(v) / 255
		}
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path, gray
}

// TestPredictPreparesAPhoto checks that kiso predict prepares a photo of a
// digit (dark ink on paper, 300x200) as MNIST's digits were: its
// probabilities are the model's on data.PrepareDigit of the inverted
// photo; that --raw refuses it for its size; and that a filled blob gets
// a warning.
func TestPredictPreparesAPhoto(t *testing.T) {
	dir := t.TempDir()
	m := digitModel(t, dir)
	photo, gray := writePhoto(t, dir, "one.png", 300, 200, 140, 30, 160, 170)
	out, errs, code := runCLI(t, "predict", "--model", m, "--json", photo)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var got prediction
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	digit, err := data.PrepareDigit(data.InkOf(gray, 300, 200), 300, 200)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := model.Load[float64](m)
	if err != nil {
		t.Fatal(err)
	}
	want := loss.Softmax(loaded.Net.Forward(tensor.FromSlice(digit, 1, 784), false)).Data
	for k := range want {
		if math.Abs(got.Probabilities[k]-want[k]) > 1e-12 {
			t.Fatalf("P(%d) = %v, the model on the prepared photo gives %v", k, got.Probabilities[k], want[k])
		}
	}

	_, errs, code = runCLI(t, "predict", "--model", m, "--raw", photo)
	if code != 1 || !strings.Contains(errs, "the image is 300x200, the model takes 784 pixels") {
		t.Errorf("--raw: exit %d, stderr %q", code, errs)
	}

	blob, _ := writePhoto(t, dir, "blob.png", 100, 100, 20, 20, 80, 80)
	out, errs, code = runCLI(t, "predict", "--model", m, blob)
	if code != 0 || !strings.Contains(errs, "kiso: warning: "+blob+": the strokes are thick") || !strings.Contains(out, blob+": ") {
		t.Errorf("a filled blob: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
