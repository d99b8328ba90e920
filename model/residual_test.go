package model

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/train"
)

// TestResidualMLPSpiral is the composite module's whole life: the named
// architecture "residualmlp" ({"arch": "residualmlp"}, its defaults) trains
// on the spiral toy set as kiso train does (400 points, 80 held out, Adam
// at 0.01, batches of 10, 100 epochs, float64), saves to a .kiso file that
// stores the name and config alone, loads back without Go code describing
// it, bit for bit, and exports to PyTorch and ONNX, which give kiso's
// logits on the held-out points. The accuracy floors are below what the
// run reaches (logged) so that a change of summation order cannot fail
// it; any broken gradient leaves it near chance (50%). PyTorch and ONNX
// Runtime, float64 both, differ from kiso by summation order only: 1e-12.
func TestResidualMLPSpiral(t *testing.T) {
	spec := nn.Spec{Arch: "residualmlp"}
	net, err := nn.Build[float64](spec, nn.He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	all, err := data.Toy[float64]("spiral", 400, 0, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	trainSet, testSet := data.Split(all, 0.2, rng.NewNumpy(2))
	l := &loss.SoftmaxCrossEntropy[float64]{}
	tr := train.New[float64](net, l, optim.NewAdam[float64](0.01, 0.9, 0.999), train.Config{Epochs: 100, BatchSize: 10, Seed: 1})
	h, err := tr.Fit(context.Background(), trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	last := h.Last()
	t.Logf("after %d epochs: train accuracy %.2f%%, test accuracy %.2f%%", len(h.Epochs), 100*last.TrainAcc, 100*last.TestAcc)
	if last.TrainAcc < 0.95 || last.TestAcc < 0.9 {
		t.Errorf("train accuracy %.2f%%, test accuracy %.2f%%: want at least 95%% and 90%%", 100*last.TrainAcc, 100*last.TestAcc)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "spiral.kiso")
	if err := Save(path, net, Info{Dataset: "spiral"}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := read(raw)
	if err != nil {
		t.Fatal(err)
	}
	if arch := f.Metadata[keyArchitecture]; arch != `{"arch":"residualmlp"}` {
		t.Errorf("stored architecture %s", arch)
	}
	m, err := Load[float64](path)
	if err != nil {
		t.Fatal(err)
	}
	want := net.Forward(testSet.X, false).Clone()
	if got := m.Net.Forward(testSet.X, false); !bytes.Equal(bits(got), bits(want)) {
		t.Errorf("the loaded network's logits differ:\n%v\n%v", got, want)
	}
	for i, s := range state(net) {
		if g := state(m.Net)[i]; g.name != s.name || !bytes.Equal(bits(g.value), bits(s.value)) {
			t.Errorf("tensor %s loaded as %s, not bit for bit", s.name, g.name)
		}
	}
	if js, _ := json.Marshal(m.Spec); string(js) != `{"arch":"residualmlp"}` {
		t.Errorf("loaded spec %s", js)
	}

	compareTorch(t, []exportCase{newTorchExport(t, "residualmlp on spiral", filepath.Join(dir, "spiral_torch"), m.Net, m.Spec, "F64", testSet.X, want, 1e-12)})
	compareORT(t, []ortCase{newORTCase(t, "residualmlp on spiral", filepath.Join(dir, "spiral.onnx"), m.Net, m.Spec, "F64", testSet.X, want, 1e-12)})
}
