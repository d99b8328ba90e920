package main

import (
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
)

// TestCNNTrainEvalPredict runs part 1's commands on a SimpleConvNet: train
// on a slice of MNIST, save, evaluate, and predict a PNG digit.
func TestCNNTrainEvalPredict(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("skipped in -short mode and under -race: trains on MNIST (see race_test.go)")
	}
	dir := needMNIST(t)
	tmp := t.TempDir()
	m := filepath.Join(tmp, "cnn.kiso")
	out, errs, code := runCLI(t, "train", "--data", "mnist", "--model", "simplecnn", "--limit", "2000", "--epochs", "4", "--out", m, "--json")
	if code != 0 {
		t.Fatalf("train: %s", errs)
	}
	var s trainSummary
	json.Unmarshal([]byte(out), &s)
	// Measured 81% (from the book's std 0.01 weights, which start slowly);
	// a CNN that does not learn stays near 10%.
	if s.TestAccuracy == nil || *s.TestAccuracy < 0.75 {
		t.Fatalf("SimpleConvNet on 2000 images, 4 epochs: test accuracy %v", fmtPtr(s.TestAccuracy))
	}
	out, errs, code = runCLI(t, "eval", "--model", m, "--data", "mnist", "--limit", "2000", "--json")
	var e evalReport
	if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e.Accuracy == nil || *e.Accuracy != *s.TestAccuracy {
		t.Fatalf("eval: exit %d %s %s", code, out, errs)
	}
	// The first test image, a 7, as a PNG file.
	_, te, err := data.LoadMNIST[float32](dir, data.MNISTOptions{Limit: 1, Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 28, 28))
	for i, v := range te.X.Data[:784] {
		img.Pix[i] = uint8(v)
	}
	pngPath := filepath.Join(tmp, "seven.png")
	f, _ := os.Create(pngPath)
	png.Encode(f, img)
	f.Close()
	out, errs, code = runCLI(t, "predict", "--model", m, pngPath)
	if code != 0 || !strings.Contains(out, ": 7 ") {
		t.Errorf("predict on the first test digit (a 7): exit %d, %q %s", code, out, errs)
	}
}
