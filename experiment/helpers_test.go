package experiment

import (
	"context"
	"encoding/csv"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/plot"
)

var (
	mnistOnce sync.Once
	mnistDir  string
	mnistErr  error
)

// common returns options writing into a fresh folder, with MNIST fetched
// into the cache (the test is skipped if it cannot be, unless
// KISO_REQUIRE_TOOLS=1).
func common(t *testing.T) Common {
	t.Helper()
	mnistOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		mnistDir, mnistErr = data.FetchMNIST(ctx, data.FetchOptions{})
	})
	if mnistErr != nil {
		tools.Missing(t, "MNIST", "kiso data mnist fetches it; "+mnistErr.Error())
	}
	return Common{Out: t.TempDir(), MNIST: mnistDir, Seed: 1}
}

// decodePNG returns the size of the PNG file at path.
func decodePNG(t *testing.T, path string) image.Point {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img.Bounds().Size()
}

// gridSize returns the size plot.ImageGrid gives a grid of n images of
// h×w in cols columns, titled, with captions if captions is set: the size
// the experiment's figure must have, whatever the images show.
func gridSize(t *testing.T, n, h, w, cols int, captions bool) image.Point {
	t.Helper()
	g := plot.ImageGridOptions{Title: "t", H: h, W: w, Cols: cols}
	for range n {
		g.Images = append(g.Images, make([]float64, h*w))
		if captions {
			g.Captions = append(g.Captions, "1 → 2")
		}
	}
	p := filepath.Join(t.TempDir(), "ref.png")
	if err := plot.ImageGrid(p, g); err != nil {
		t.Fatal(err)
	}
	return decodePNG(t, p)
}

// readCSV returns the records of the CSV file at path, header first.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// checkFiles checks that files are exactly the names in out, that each
// exists, and that every PNG decodes.
func checkFiles(t *testing.T, out string, files []string, names ...string) {
	t.Helper()
	if len(files) != len(names) {
		t.Errorf("files %v, want %v", files, names)
	}
	have := map[string]bool{}
	for _, f := range files {
		have[f] = true
	}
	for _, n := range names {
		p := filepath.Join(out, n)
		if !have[p] {
			t.Errorf("%s not reported in %v", n, files)
		}
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
			continue
		}
		if filepath.Ext(n) == ".png" {
			decodePNG(t, p)
		}
	}
}
