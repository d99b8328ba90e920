package data

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeMNIST writes a small MNIST-like folder: train holds len(trainLabels)
// images of 2×3 pixels (pixel j of image i is 10i+j), gzip-compressed;
// test holds len(testLabels), raw.
func writeMNIST(t *testing.T, dir string, trainLabels, testLabels []byte) {
	t.Helper()
	images := func(n int) []byte {
		px := make([]byte, n*6)
		for i := range px {
			px[i] = byte(10*(i/6) + i%6)
		}
		return idxBytes(idxImagesMagic, []uint32{uint32(n), 2, 3}, px)
	}
	files := map[string][]byte{
		mnistTrainImages + ".gz": gzipBytes(images(len(trainLabels))),
		mnistTrainLabels + ".gz": gzipBytes(idxBytes(idxLabelsMagic, []uint32{uint32(len(trainLabels))}, trainLabels)),
		mnistTestImages:          images(len(testLabels)),
		mnistTestLabels:          idxBytes(idxLabelsMagic, []uint32{uint32(len(testLabels))}, testLabels),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadMNISTSmall(t *testing.T) {
	dir := t.TempDir()
	writeMNIST(t, dir, []byte{5, 0, 4}, []byte{7, 2})
	for _, tc := range []struct {
		opts       MNISTOptions
		trainShape []int
		scale      float64
		n          int
	}{
		{MNISTOptions{}, []int{3, 1, 2, 3}, 1.0 / 255, 3},
		{MNISTOptions{Flatten: true}, []int{3, 6}, 1.0 / 255, 3},
		{MNISTOptions{Raw: true, Flatten: true}, []int{3, 6}, 1, 3},
		{MNISTOptions{Limit: 1}, []int{1, 1, 2, 3}, 1.0 / 255, 1},
		{MNISTOptions{Limit: 99}, []int{3, 1, 2, 3}, 1.0 / 255, 3},
	} {
		train, test, err := LoadMNIST[float32](dir, tc.opts)
		if err != nil {
			t.Fatalf("%+v: %v", tc.opts, err)
		}
		if !slices.Equal(train.X.Shape(), tc.trainShape) || train.Classes != 10 || test.Classes != 10 {
			t.Errorf("%+v: train X %v, classes %d", tc.opts, train.X.Shape(), train.Classes)
		}
		if want := []float32{5, 0, 4}[:tc.n]; !slices.Equal(train.Y.Data, want) {
			t.Errorf("%+v: train labels %v, want %v", tc.opts, train.Y.Data, want)
		}
		if want := []float32{7, 2}[:min(tc.n, 2)]; !slices.Equal(test.Y.Data, want) {
			t.Errorf("%+v: test labels %v, want %v", tc.opts, test.Y.Data, want)
		}
		for i, v := range train.X.Data {
			if want := float32(float64(10*(i/6)+i%6) * tc.scale); v != want {
				t.Fatalf("%+v: pixel %d = %v, want %v", tc.opts, i, v, want)
			}
		}
		// As bytes: no X, the same shape, and the same batches.
		opts := tc.opts
		opts.Bytes = true
		btrain, btest, err := LoadMNIST[float32](dir, opts)
		if err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if btrain.X != nil || btest.X != nil || !slices.Equal(btrain.InputShape(), tc.trainShape[1:]) || btrain.Len() != tc.n {
			t.Fatalf("%+v: X %v, input shape %v, %d cases", opts, btrain.X, btrain.InputShape(), btrain.Len())
		}
		idx := []int{tc.n - 1, 0}
		bx, by := btrain.GatherTo(nil, nil, idx)
		fx, fy := train.GatherTo(nil, nil, idx)
		if !slices.Equal(bx.Shape(), fx.Shape()) || !slices.Equal(bx.Data, fx.Data) || !slices.Equal(by.Data, fy.Data) {
			t.Errorf("%+v: batch %v %v, want %v %v", opts, bx.Shape(), bx.Data, fx.Shape(), fx.Data)
		}
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"missing folder", func(dir string) { os.RemoveAll(dir) }, "train-images-idx3-ubyte.gz: no such file (nor train-images-idx3-ubyte)"},
		{"label 10", func(dir string) {
			os.WriteFile(filepath.Join(dir, mnistTestLabels), idxBytes(idxLabelsMagic, []uint32{2}, []byte{3, 10}), 0o644)
		}, "t10k-labels-idx1-ubyte: label 10 of item 1 is not a digit 0-9"},
		{"count mismatch", func(dir string) {
			os.WriteFile(filepath.Join(dir, mnistTestLabels), idxBytes(idxLabelsMagic, []uint32{3}, []byte{3, 1, 2}), 0o644)
		}, "t10k-images-idx3-ubyte holds 2 images but"},
		{"size mismatch", func(dir string) {
			os.WriteFile(filepath.Join(dir, mnistTestImages), idxBytes(idxImagesMagic, []uint32{2, 1, 1}, []byte{3, 1}), 0o644)
		}, "training images are [1 2 3] but test images [1 1 1]"},
		{"truncated", func(dir string) {
			os.WriteFile(filepath.Join(dir, mnistTrainImages+".gz"), gzipBytes(idxBytes(idxImagesMagic, []uint32{3, 2, 3}, []byte{1})), 0o644)
		}, "train-images-idx3-ubyte.gz: truncated: expected 18 bytes of pixel data, got 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeMNIST(t, dir, []byte{5, 0, 4}, []byte{7, 2})
			tc.setup(dir)
			_, _, err := LoadMNIST[float64](dir, MNISTOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestMNIST loads the real MNIST through FetchMNIST, using the user's
// cache. Without a way to fetch it the test is skipped, unless
// KISO_REQUIRE_TOOLS=1 asks for a failure.
func TestMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("loading MNIST in -short mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir, err := FetchMNIST(ctx, FetchOptions{Progress: func(msg string) { t.Log(msg) }})
	if err != nil {
		if os.Getenv("KISO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("fetching MNIST: %v", err)
		}
		t.Skipf("cannot fetch MNIST, skipping (KISO_REQUIRE_TOOLS=1 makes this a failure): %v", err)
	}
	train, test, err := LoadMNIST[float32](dir, MNISTOptions{Flatten: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name string
		s    *Set[float32]
		n    int
	}{{"train", train, 60000}, {"test", test, 10000}} {
		if !slices.Equal(p.s.X.Shape(), []int{p.n, 784}) || !slices.Equal(p.s.Y.Shape(), []int{p.n}) {
			t.Errorf("%s: X %v Y %v", p.name, p.s.X.Shape(), p.s.Y.Shape())
		}
		if err := p.s.Check(); err != nil { // labels are integers in 0..9
			t.Errorf("%s: %v", p.name, err)
		}
		if lo, hi := slices.Min(p.s.X.Data), slices.Max(p.s.X.Data); lo != 0 || hi != 1 {
			t.Errorf("%s: pixels in [%v, %v], want [0, 1]", p.name, lo, hi)
		}
		var seen [10]bool
		for _, l := range p.s.Y.Data {
			seen[int(l)] = true
		}
		if slices.Contains(seen[:], false) {
			t.Errorf("%s: some digit never occurs: %v", p.name, seen)
		}
	}
	if train.Y.Data[0] != 5 {
		t.Errorf("first training label %v, want 5", train.Y.Data[0])
	}

	// Limit reads a prefix: the same first cases, raw pixels 0..255.
	small, _, err := LoadMNIST[float64](dir, MNISTOptions{Limit: 10, Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(small.X.Shape(), []int{10, 1, 28, 28}) {
		t.Errorf("limited X %v", small.X.Shape())
	}
	for i, v := range small.X.Data {
		if v != float64(int(v)) || v < 0 || v > 255 || float32(v)/255 != train.X.Data[i] {
			t.Fatalf("raw pixel %d = %v, normalized %v", i, v, train.X.Data[i])
		}
	}
}
