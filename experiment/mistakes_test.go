package experiment

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/train"
)

func TestMistakes(t *testing.T) {
	for _, net := range []string{"mlp", "simpleconvnet"} {
		t.Run(net, func(t *testing.T) {
			if raceEnabled && net == "simpleconvnet" {
				t.Skip("-race: 10,000 test images through a ConvNet take minutes; the mlp case runs the same code, tensor and nn check the convolution under -race")
			}
			o := DefaultMistakes()
			o.Common = common(t)
			o.Net, o.Limit, o.Epochs, o.Show = net, 1000, 1, 12
			if net == "simpleconvnet" {
				o.Limit = 300
			}
			res, err := Mistakes(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			checkFiles(t, o.Out, res.Files, "history.csv", "mistakes.csv", "mistakes.png")
			t.Logf("%s: test accuracy %.3f, %d mistakes", net, res.TestAcc, len(res.Mistakes))
			if got := float64(10000-len(res.Mistakes)) / 10000; got != res.TestAcc {
				t.Errorf("%d mistakes in 10000 but test accuracy %v", len(res.Mistakes), res.TestAcc)
			}
			if len(res.Mistakes) < o.Show {
				t.Fatalf("only %d mistakes; the test needs %d", len(res.Mistakes), o.Show)
			}
			for i, m := range res.Mistakes {
				if m.Label == m.Pred || m.Label < 0 || m.Label > 9 || m.Pred < 0 || m.Pred > 9 || !(m.Prob >= 0.1 && m.Prob <= 1) {
					t.Fatalf("mistake %+v", m)
				}
				if i > 0 && m.Index <= res.Mistakes[i-1].Index {
					t.Fatalf("mistakes out of test-set order at %d", i)
				}
			}
			want := gridSize(t, o.Show, 28, 28, 10, true)
			if got := decodePNG(t, filepath.Join(o.Out, "mistakes.png")); got != want {
				t.Errorf("mistakes.png is %v, want %v (%d digits in rows of 10, captioned)", got, want, o.Show)
			}
			recs := readCSV(t, filepath.Join(o.Out, "mistakes.csv"))
			if len(recs) != 1+len(res.Mistakes) || strings.Join(recs[0], ",") != "index,label,prediction,probability" {
				t.Errorf("mistakes.csv has %d rows headed %v", len(recs), recs[0])
			}
			total := 0
			for i, c := range res.Confusions {
				total += c.Count
				if i > 0 && c.Count > res.Confusions[i-1].Count {
					t.Errorf("confusions not sorted: %+v", res.Confusions)
				}
			}
			if total > len(res.Mistakes) || len(res.Confusions) == 0 {
				t.Errorf("confusions %+v count more than the %d mistakes", res.Confusions, len(res.Mistakes))
			}
		})
	}
}

// TestMistakesTrained examines networks built elsewhere, in both input
// layouts: the accuracy Mistakes reports must be train.Evaluate's on the
// same test set, and it trains nothing (no history.csv).
func TestMistakesTrained(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec nn.Spec
		flat bool
	}{
		{"mlp", nn.MLP(784, []int{30}, 10, nn.ReLU, nn.MLPOptions{}), true},
		{"simpleconvnet", nn.SimpleConvNet(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if raceEnabled && tc.name == "simpleconvnet" {
				t.Skip("-race: 10,000 test images through a ConvNet take minutes; the mlp case runs the same code, tensor and nn check the convolution under -race")
			}
			o := DefaultMistakes()
			o.Common = common(t)
			o.Show = 5
			net, err := nn.Build[float32](tc.spec, nn.He, rng.NewNumpy(3))
			if err != nil {
				t.Fatal(err)
			}
			o.Trained = &Trained{Net: net, Input: tc.spec.Input, Title: "an untrained " + tc.name}
			res, err := Mistakes(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			checkFiles(t, o.Out, res.Files, "mistakes.csv", "mistakes.png")
			_, testSet, err := loadMNIST(o.MNIST, 1, 0, tc.flat)
			if err != nil {
				t.Fatal(err)
			}
			met, err := train.Evaluate[float32](context.Background(), net, &loss.SoftmaxCrossEntropy[float32]{}, testSet, 100)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d mistakes, accuracy %.4f", res.Net, len(res.Mistakes), res.TestAcc)
			if res.Net != o.Trained.Title || res.TestAcc != met.Accuracy || len(res.Mistakes) != 10000-int(math.Round(met.Accuracy*10000)) {
				t.Errorf("%q: accuracy %v with %d mistakes, train.Evaluate says %v", res.Net, res.TestAcc, len(res.Mistakes), met.Accuracy)
			}
		})
	}
	o := DefaultMistakes()
	o.Common = common(t)
	xor, _ := nn.Build[float32](nn.MLP(2, []int{4}, 2, nn.Sigmoid, nn.MLPOptions{}), nn.He, rng.NewNumpy(1))
	o.Trained = &Trained{Net: xor, Input: []int{2}, Title: "xor"}
	if _, err := Mistakes(context.Background(), o); err == nil || !strings.Contains(err.Error(), "not MNIST images") {
		t.Errorf("a network of 2 inputs: %v", err)
	}
	five, _ := nn.Build[float32](nn.MLP(784, []int{4}, 5, nn.ReLU, nn.MLPOptions{}), nn.He, rng.NewNumpy(1))
	o.Trained = &Trained{Net: five, Input: []int{784}, Title: "five"}
	if _, err := Mistakes(context.Background(), o); err == nil || !strings.Contains(err.Error(), "want 10 logits") {
		t.Errorf("a network of 5 outputs: %v", err)
	}
}
