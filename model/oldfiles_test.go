package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// oldGolden is one entry of testdata/old/predictions.json: the input
// shape, the inputs (or none, for inputs drawn from rng.NewNumpy(7)) and
// the logits the old kiso computed.
type oldGolden struct {
	Shape  []int     `json:"shape"`
	X      []float64 `json:"x"`
	Logits []float64 `json:"logits"`
}

// TestOldFiles loads model files written by kiso at commit e0706a8, before
// layer kinds described themselves (testdata/old/README.md), and compares
// the outputs with those that commit computed. Only the order of summation
// may differ as kernels change (today both give the same bits): 1e-12 in
// float64, 1e-5 in float32 (rounding of sums over up to 16 terms of O(1)
// values); every predicted class must be the same, and the training record
// must read as written. A file loaded and saved again by today's kiso must
// load to the same outputs, bit for bit.
func TestOldFiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "old", "predictions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]oldGolden
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	t.Run("spiral_mlp", func(t *testing.T) {
		g := golden["spiral_mlp.kiso"]
		m := loadOld[float32](t, "spiral_mlp.kiso", []string{"linear", "batchnorm", "relu", "dropout", "linear", "batchnorm", "relu", "dropout", "linear"})
		x := tensor.Convert[float32](tensor.FromSlice(g.X, g.Shape...))
		compareOld(t, m, x, g.Logits, 1e-5)
		if m.Info.Dataset != "spiral" || m.Info.Accuracy != 0.9375 || m.Info.Split == nil || m.Info.Split.Points != 400 {
			t.Errorf("training info %+v", m.Info)
		}
	})
	t.Run("mnist_conv", func(t *testing.T) {
		g := golden["mnist_conv.kiso"]
		m := loadOld[float64](t, "mnist_conv.kiso", []string{"conv2d", "batchnorm", "relu", "maxpool2d", "flatten", "linear"})
		r := rng.NewNumpy(7)
		x := tensor.New[float64](g.Shape...)
		for i := range x.Data {
			x.Data[i] = r.Uniform(0, 1)
		}
		compareOld(t, m, x, g.Logits, 1e-12)
		if m.Info.Dataset != "mnist" || m.Info.Accuracy != 0.9052 {
			t.Errorf("training info %+v", m.Info)
		}
	})
}

// loadOld loads testdata/old/name and checks the layer types of its
// architecture.
func loadOld[T tensor.Float](t *testing.T, name string, types []string) *Loaded[T] {
	t.Helper()
	m, err := Load[T](filepath.Join("testdata", "old", name))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range m.Spec.Layers {
		got = append(got, l.Type())
	}
	if !slices.Equal(got, types) {
		t.Errorf("layers %v, want %v", got, types)
	}
	return m
}

// compareOld runs m on x and compares the logits with want to tol, and
// the predicted classes exactly; then saves m with today's kiso, loads it
// back and checks that it gives the same logits bit for bit.
func compareOld[T tensor.Float](t *testing.T, m *Loaded[T], x *tensor.Tensor[T], want []float64, tol float64) {
	t.Helper()
	y := m.Net.Forward(x, false).Clone()
	got := tensor.Convert[float64](y).Data
	worst := maxDiff(got, want)
	k := y.Cols()
	wrong := len(want)/k - argmaxAgree(got, want, k)
	t.Logf("largest difference from the old kiso's logits %.3g; %d of %d classes differ", worst, wrong, len(want)/k)
	if !(worst <= tol) || wrong > 0 {
		t.Errorf("logits differ from the old kiso's by %.3g, want ≤ %g; %d classes differ", worst, tol, wrong)
	}
	path := filepath.Join(t.TempDir(), "resaved.kiso")
	if err := Save(path, m.Net, m.Info); err != nil {
		t.Fatal(err)
	}
	again, err := Load[T](path)
	if err != nil {
		t.Fatal(err)
	}
	if y2 := again.Net.Forward(x, false); !slices.Equal(y2.Data, y.Data) {
		t.Error("saved again and loaded, the model gives other logits")
	}
}
