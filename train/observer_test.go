package train

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/optim"
)

// hist returns a history whose test losses are losses and test accuracies
// 1 - losses.
func hist(losses ...float64) *History {
	h := &History{}
	for i, l := range losses {
		h.Epochs = append(h.Epochs, EpochStats{Epoch: i + 1, TestLoss: l, TestAcc: 1 - l, TrainLoss: l, TrainAcc: nan})
	}
	return h
}

func TestEarlyStoppingRule(t *testing.T) {
	for _, tc := range []struct {
		es     EarlyStopping
		losses []float64
		stop   bool
	}{
		{EarlyStopping{Patience: 2}, []float64{1}, false},
		{EarlyStopping{Patience: 2}, []float64{1, 0.9, 0.95}, false},
		{EarlyStopping{Patience: 2}, []float64{1, 0.9, 0.95, 0.91}, true},
		{EarlyStopping{Patience: 2}, []float64{1, 0.9, 0.95, 0.89}, false},
		{EarlyStopping{Patience: 0}, []float64{1, 0.9}, false}, // Patience 0 counts as 1
		{EarlyStopping{Patience: 0}, []float64{1, 0.9, 0.9}, true},
		// 0.8 and 0.79 improve on 0.85 by less than MinDelta: no improvement.
		{EarlyStopping{Patience: 2, MinDelta: 0.1}, []float64{1, 0.85, 0.8, 0.79}, true},
		{EarlyStopping{Patience: 2, MinDelta: 0.1}, []float64{1, 0.85, 0.8, 0.74}, false},
		// Accuracy: higher is better (1 - loss here).
		{EarlyStopping{Patience: 1, Monitor: "test_acc"}, []float64{1, 0.9, 0.8}, false},
		{EarlyStopping{Patience: 1, Monitor: "test_acc"}, []float64{1, 0.9, 0.95}, true},
		{EarlyStopping{Patience: 1, Monitor: "train_loss"}, []float64{1, 1}, true},
	} {
		err := tc.es.OnEpoch(hist(tc.losses...))
		if err != nil && err != ErrStop {
			t.Fatalf("%+v %v: %v", tc.es, tc.losses, err)
		}
		if (err == ErrStop) != tc.stop {
			t.Errorf("%+v on %v: stop %v, want %v", tc.es, tc.losses, err == ErrStop, tc.stop)
		}
	}
	for _, es := range []EarlyStopping{{Monitor: "val_loss"}, {Monitor: "train_acc"}} {
		if err := es.OnEpoch(hist(1, 2)); err == nil || err == ErrStop {
			t.Errorf("%+v: no error for an unknown or unmeasured figure", es)
		}
	}
}

func TestEarlyStoppingStopsFit(t *testing.T) {
	tr, te := circle[float64](80)
	// With a zero learning rate nothing improves: epoch 1 is the best and
	// training stops once Patience epochs have followed it.
	trn := New(mlp[float64](1, 2, 4, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0),
		Config{Epochs: 20, BatchSize: 8})
	var seen []int
	trn.Observers = []Observer{
		EarlyStopping{Patience: 3},
		Funcs{Epoch: func(h *History) error { seen = append(seen, h.Last().Epoch); return nil }},
	}
	h, err := trn.Fit(context.Background(), tr, te)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Epochs) != 4 || !slices.Equal(seen, []int{1, 2, 3, 4}) {
		t.Errorf("stopped after %d epochs (observers saw %v), want 4", len(h.Epochs), seen)
	}
}

func TestCheckpointEvery(t *testing.T) {
	tr, _ := circle[float64](40)
	for _, tc := range []struct {
		every, epochs int
		want          []int
	}{
		{3, 10, []int{3, 6, 9}},
		{1, 3, []int{1, 2, 3}},
		{0, 2, []int{1, 2}},
		{5, 4, nil},
	} {
		var got []int
		trn := New(mlp[float64](1, 2, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1),
			Config{Epochs: tc.epochs, BatchSize: 8})
		trn.Observers = []Observer{Checkpoint{Every: tc.every, Save: func(epoch int) error {
			if trn.Epoch() != epoch {
				t.Errorf("Save(%d) called with the trainer at epoch %d", epoch, trn.Epoch())
			}
			got = append(got, epoch)
			return nil
		}}}
		if _, err := trn.Fit(context.Background(), tr, nil); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Every %d over %d epochs: saved after %v, want %v", tc.every, tc.epochs, got, tc.want)
		}
	}

	// A failed save ends training with its error.
	disk := errors.New("disk full")
	trn := New(mlp[float64](1, 2, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1),
		Config{Epochs: 10, BatchSize: 8})
	trn.Observers = []Observer{Checkpoint{Every: 2, Save: func(int) error { return disk }}}
	h, err := trn.Fit(context.Background(), tr, nil)
	if !errors.Is(err, disk) || !strings.Contains(err.Error(), "after epoch 2") || len(h.Epochs) != 2 {
		t.Errorf("failing save: %v after %d epochs", err, len(h.Epochs))
	}
}

// ErrStop from one observer lets the others see the epoch, then ends Fit
// without an error.
func TestObserverStop(t *testing.T) {
	tr, _ := circle[float64](40)
	trn := New(mlp[float64](1, 2, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1),
		Config{Epochs: 10, BatchSize: 8})
	var later int
	trn.Observers = []Observer{
		Funcs{Epoch: func(h *History) error {
			if h.Last().Epoch == 3 {
				return ErrStop
			}
			return nil
		}},
		Funcs{Epoch: func(*History) error { later++; return nil }},
	}
	h, err := trn.Fit(context.Background(), tr, nil)
	if err != nil || len(h.Epochs) != 3 || later != 3 {
		t.Errorf("stop at epoch 3: err %v, %d epochs, later observer called %d times", err, len(h.Epochs), later)
	}
	if math.IsNaN(h.Last().TrainAcc) || !math.IsNaN(h.Last().TestLoss) {
		t.Errorf("without a test set: %+v", h.Last())
	}
}
