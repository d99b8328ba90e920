package train

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/tensor"
)

func TestEvaluate(t *testing.T) {
	ctx := context.Background()
	_, te := circle[float64](200) // 50 test cases
	net := mlp[float64](3, 2, 6, 2)
	l := &loss.SoftmaxCrossEntropy[float64]{}

	// Reference: one full-batch forward pass, classes counted by hand.
	out := net.Forward(te.X, false).Clone()
	wantLoss := l.Forward(out, te.Y)
	want := [2][2]int{}
	for i := range te.Len() {
		row := out.Row(i)
		pred := 0
		if row[1] > row[0] {
			pred = 1
		}
		want[int(te.Y.Data[i])][pred]++
	}
	for _, batch := range []int{1, 7, 50, 64} {
		m, err := Evaluate(ctx, net, l, te, batch)
		if err != nil {
			t.Fatal(err)
		}
		if m.N != 50 || math.Abs(m.Loss-wantLoss) > 1e-12 {
			t.Errorf("batch %d: N %d loss %v, want 50 and %v", batch, m.N, m.Loss, wantLoss)
		}
		if len(m.Confusion) != 2 || !slices.Equal(m.Confusion[0], want[0][:]) || !slices.Equal(m.Confusion[1], want[1][:]) {
			t.Errorf("batch %d: confusion %v, want %v", batch, m.Confusion, want)
		}
		if acc := float64(want[0][0]+want[1][1]) / 50; m.Accuracy != acc {
			t.Errorf("batch %d: accuracy %v, want %v", batch, m.Accuracy, acc)
		}
		p, err := Predict(ctx, net, te.X, batch)
		if err != nil {
			t.Fatal(err)
		}
		if !tensor.EqualShape(p.Shape(), out.Shape()) || tensor.MaxAbsDiff(p, out) != 0 {
			t.Errorf("batch %d: Predict differs from one forward pass", batch)
		}
	}

	reg := regression[float64](30)
	m, err := Evaluate(ctx, mlp[float64](1, 3, 2), &loss.MSE[float64]{}, reg, 8)
	if err != nil || !math.IsNaN(m.Accuracy) || m.Confusion != nil || !(m.Loss > 0) {
		t.Errorf("regression: %+v, %v", m, err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Evaluate(cancelled, net, l, te, 8); err != context.Canceled {
		t.Errorf("Evaluate with a done context: %v", err)
	}
	if _, err := Predict(cancelled, net, te.X, 8); err != context.Canceled {
		t.Errorf("Predict with a done context: %v", err)
	}
}

func TestClassify(t *testing.T) {
	one := tensor.FromSlice([]float64{-1, 0, 0.2, 0.5, 0.7, 3}, 6, 1)
	two := tensor.FromSlice([]float64{1, 2, 2, 1, 3, 3}, 3, 2)
	for _, tc := range []struct {
		name string
		out  *tensor.Tensor[float64]
		l    loss.Loss[float64]
		want []int
	}{
		{"logits", one, &loss.SigmoidBCE[float64]{}, []int{0, 0, 1, 1, 1, 1}},
		{"probabilities", one, &loss.MSE[float64]{}, []int{0, 0, 0, 0, 1, 1}},
		{"no loss", one, nil, []int{0, 0, 0, 0, 1, 1}},
		{"vector", one.Reshape(6), &loss.SigmoidBCE[float64]{}, []int{0, 0, 1, 1, 1, 1}},
		{"argmax, first on ties", two, &loss.SoftmaxCrossEntropy[float64]{}, []int{1, 0, 0}},
	} {
		if got := Classify(tc.out, tc.l); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
