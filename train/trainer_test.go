package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func TestFitLearnsCircle(t *testing.T) {
	for _, tc := range []struct {
		name string
		fit  func() (*History, error)
	}{
		{"float64/adam", func() (*History, error) {
			tr, te := circle[float64](400)
			return New(mlp[float64](1, 2, 16, 16, 2), &loss.SoftmaxCrossEntropy[float64]{},
				optim.NewAdam[float64](0.01, 0.9, 0.999), Config{Epochs: 30, BatchSize: 16, Seed: 1}).
				Fit(context.Background(), tr, te)
		}},
		{"float32/momentum/sigmoid-bce", func() (*History, error) {
			tr, te := circle[float32](400)
			return New(mlp[float32](2, 2, 16, 16, 1), &loss.SigmoidBCE[float32]{},
				optim.NewMomentum[float32](0.05, 0.9), Config{Epochs: 30, BatchSize: 16, Seed: 2}).
				Fit(context.Background(), tr, te)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := tc.fit()
			if err != nil {
				t.Fatal(err)
			}
			first, last := h.Epochs[0], h.Last()
			if len(h.Epochs) != 30 || last.Epoch != 30 {
				t.Fatalf("%d epochs, last numbered %d", len(h.Epochs), last.Epoch)
			}
			if last.TestAcc <= 0.95 || last.TrainAcc <= 0.95 {
				t.Errorf("final accuracy train %.3f test %.3f, want > 0.95", last.TrainAcc, last.TestAcc)
			}
			if !(last.TrainLoss < first.TrainLoss/2 && last.TestLoss < first.TestLoss/2) {
				t.Errorf("losses did not fall: first %+v, last %+v", first, last)
			}
		})
	}
}

// run trains a fresh float64 MLP on the circle set with seed and config
// tweaks and returns the history and final parameter bits.
func run(seed uint32, tweak func(*Config)) (*History, []uint64, error) {
	tr, te := circle[float64](200)
	net := mlp[float64](5, 2, 8, 2)
	cfg := Config{Epochs: 4, BatchSize: 16, Seed: seed, RecordSteps: true}
	if tweak != nil {
		tweak(&cfg)
	}
	h, err := New(net, &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1), cfg).
		Fit(context.Background(), tr, te)
	return h, paramBits(net), err
}

func TestFitDeterministic(t *testing.T) {
	h1, p1, err1 := run(1, nil)
	h2, p2, err2 := run(1, nil)
	h3, p3, err3 := run(2, nil)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	if !sameHistory(h1, h2) || !slices.Equal(p1, p2) {
		t.Error("the same seed gave different histories or parameters")
	}
	// The seed only shuffles: another seed must change the run.
	if sameHistory(h1, h3) || slices.Equal(p1, p3) {
		t.Error("different shuffling seeds gave the same run")
	}
}

// The default training figures are the means of the epoch's steps; with
// EvalTrain they are an evaluation of the whole training set.
func TestTrainFigures(t *testing.T) {
	// 150 training cases in batches of 15: equal batches, so the running
	// mean is the plain mean of the step losses.
	h, _, err := run(1, func(c *Config) { c.BatchSize = 15 })
	if err != nil {
		t.Fatal(err)
	}
	steps := len(h.StepLosses) / len(h.Epochs)
	if steps != 10 {
		t.Fatalf("%d step losses for %d epochs", len(h.StepLosses), len(h.Epochs))
	}
	for i, e := range h.Epochs {
		var sum float64
		for _, l := range h.StepLosses[i*steps : (i+1)*steps] {
			sum += l
		}
		if d := math.Abs(e.TrainLoss - sum/float64(steps)); d > 1e-12 {
			t.Errorf("epoch %d: train loss %v, mean of steps %v", e.Epoch, e.TrainLoss, sum/float64(steps))
		}
	}

	tr, te := circle[float64](200)
	net := mlp[float64](5, 2, 8, 2)
	l := &loss.SoftmaxCrossEntropy[float64]{}
	h, err = New(net, l, optim.NewSGD[float64](0.1), Config{Epochs: 2, BatchSize: 16, EvalTrain: true, EvalBatch: 7}).
		Fit(context.Background(), tr, te)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		set       *data.Set[float64]
		loss, acc float64
	}{{tr, h.Last().TrainLoss, h.Last().TrainAcc}, {te, h.Last().TestLoss, h.Last().TestAcc}} {
		m, err := Evaluate(context.Background(), net, l, c.set, 7)
		if err != nil {
			t.Fatal(err)
		}
		if m.Loss != c.loss || m.Accuracy != c.acc {
			t.Errorf("recorded loss %v acc %v, evaluation after training %v %v", c.loss, c.acc, m.Loss, m.Accuracy)
		}
	}
}

func TestFitRegression(t *testing.T) {
	s := regression[float64](120)
	net := mlp[float64](1, 3, 2)
	h, err := New(net, &loss.MSE[float64]{}, optim.NewSGD[float64](0.05), Config{Epochs: 20, BatchSize: 10, Seed: 1}).
		Fit(context.Background(), s, s)
	if err != nil {
		t.Fatal(err)
	}
	last := h.Last()
	if !math.IsNaN(last.TrainAcc) || !math.IsNaN(last.TestAcc) {
		t.Errorf("regression accuracies %v %v, want NaN", last.TrainAcc, last.TestAcc)
	}
	// The noise has variance 0.01: a fitted linear model gets near it.
	if last.TestLoss > 0.02 {
		t.Errorf("test MSE %v after 20 epochs, want < 0.02", last.TestLoss)
	}
}

func TestSchedule(t *testing.T) {
	for _, perStep := range []bool{false, true} {
		var lrs []float64
		tr, _ := circle[float64](40) // 30 training cases: 3 steps of 10
		opt := optim.NewSGD[float64](1)
		sched := optim.StepDecay{Base: 0.1, Every: 2, Gamma: 0.5}
		trn := New(mlp[float64](1, 2, 2), &loss.SoftmaxCrossEntropy[float64]{}, opt,
			Config{Epochs: 3, BatchSize: 10, Schedule: sched, SchedulePerStep: perStep})
		trn.Observers = []Observer{Funcs{Step: func(int, int, int, float64) { lrs = append(lrs, opt.LR()) }}}
		h, err := trn.Fit(context.Background(), tr, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, lr := range lrs {
			k := i / 3 // the epoch
			if perStep {
				k = i
			}
			if want := sched.LR(k); lr != want {
				t.Errorf("perStep=%v: step %d used lr %v, want %v", perStep, i, lr, want)
			}
		}
		for e, st := range h.Epochs {
			if st.LR != lrs[3*e+2] {
				t.Errorf("perStep=%v: epoch %d recorded lr %v, its last step used %v", perStep, e+1, st.LR, lrs[3*e+2])
			}
		}
	}
}

func TestFitCancel(t *testing.T) {
	tr, te := circle[float64](200) // 150 training cases: 10 steps of 16
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	trn := New(mlp[float64](1, 2, 8, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1),
		Config{Epochs: 5, BatchSize: 16})
	calls := 0
	trn.Observers = []Observer{Funcs{Step: func(epoch, step, steps int, _ float64) {
		calls++
		if epoch == 2 && step == 4 {
			cancel()
		}
	}}}
	h, err := trn.Fit(ctx, tr, te)
	if !errors.Is(err, context.Canceled) || err != ctx.Err() {
		t.Fatalf("Fit returned %v, want ctx.Err()", err)
	}
	if calls != 14 || len(h.Epochs) != 1 || trn.Epoch() != 1 {
		t.Errorf("after cancelling at epoch 2 step 4: %d steps, %d epochs recorded, at epoch %d", calls, len(h.Epochs), trn.Epoch())
	}
	if s, _ := trn.Snapshot(); s.Epoch != 1 || s.Step != 4 || s.GlobalStep != 14 {
		t.Errorf("snapshot at epoch %d step %d (global %d), want 1, 4, 14", s.Epoch, s.Step, s.GlobalStep)
	}
	// An already cancelled context stops before the first step.
	calls = 0
	if _, err := trn.Fit(ctx, tr, te); err != context.Canceled || calls != 0 {
		t.Errorf("Fit with a done context: %v after %d steps", err, calls)
	}
}

func TestFitDiverges(t *testing.T) {
	s := regression[float64](100)
	for _, lr := range []float64{10, 1e3} { // diverges within a few epochs, and at once
		epoch, step := 1, 1 // the step after the last one observed
		var saved []int
		trn := New(mlp[float64](1, 3, 2), &loss.MSE[float64]{}, optim.NewSGD[float64](lr), Config{Epochs: 50, BatchSize: 10})
		trn.Observers = []Observer{
			Funcs{Step: func(e, s, n int, _ float64) {
				epoch, step = e, s+1
				if s == n {
					epoch, step = e+1, 1
				}
			}},
			Checkpoint{Every: 1, Save: func(e int) error { saved = append(saved, e); return nil }},
		}
		_, err := trn.Fit(context.Background(), s, nil)
		if !errors.Is(err, ErrDiverged) {
			t.Fatalf("lr %v: Fit returned %v, want ErrDiverged", lr, err)
		}
		want := fmt.Sprintf("at epoch %d, step %d", epoch, step)
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "loss became") {
			t.Errorf("lr %v: error %q does not say %q", lr, err, want)
		}
		if len(saved) > 0 && saved[len(saved)-1] >= epoch {
			t.Errorf("lr %v: checkpoint saved after epoch %d, diverged in epoch %d", lr, saved[len(saved)-1], epoch)
		}
		t.Logf("lr %v: %v", lr, err)
	}
}

func TestFitErrors(t *testing.T) {
	tr, _ := circle[float64](40)
	badY := tensor.New[float64](tr.Len())
	badY.Fill(5)
	bad := &data.Set[float64]{X: tr.X, Y: badY, Classes: 2}
	for _, tc := range []struct {
		name  string
		cfg   Config
		net   int // output width
		train *data.Set[float64]
		want  string
	}{
		{"batch", Config{Epochs: 1}, 2, tr, "batch size 0"},
		{"epochs", Config{Epochs: -1, BatchSize: 1}, 2, tr, "-1 epochs"},
		{"droplast", Config{Epochs: 1, BatchSize: 100, DropLast: true}, 2, tr, "no full batch"},
		{"labels", Config{Epochs: 1, BatchSize: 10}, 2, bad, "training set: case 0: label 5"},
		{"width", Config{Epochs: 1, BatchSize: 10}, 3, tr, "3 outputs per case for 2 classes"},
		{"empty", Config{Epochs: 1, BatchSize: 10}, 2, &data.Set[float64]{X: tensor.New[float64](0, 2), Y: tensor.New[float64](0)}, "empty"},
		{"augment flat", Config{Epochs: 1, BatchSize: 10, Augment: data.Augment{FlipH: true}}, 2, tr, "inputs of shape [2] are not [c, h, w]"},
		{"augment shape", Config{Epochs: 1, BatchSize: 10, Augment: data.Augment{FlipH: true}, ImageShape: [3]int{1, 2, 2}}, 2, tr, "image shape [1 2 2] does not fit inputs of shape [2]"},
		{"augment shift", Config{Epochs: 1, BatchSize: 10, Augment: data.Augment{Shift: 17}}, 2, tr, "augmentation shift 17"},
	} {
		_, err := New(mlp[float64](1, 2, tc.net), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1), tc.cfg).
			Fit(context.Background(), tc.train, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// One training step of an MLP with SGD allocates nothing once its buffers
// exist.
func TestStepAllocs(t *testing.T) {
	tr, _ := circle[float64](200)
	trn := New(mlp[float64](1, 2, 32, 32, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1),
		Config{Epochs: 1, BatchSize: 16, RecordSteps: true})
	if _, err := trn.Fit(context.Background(), tr, nil); err != nil {
		t.Fatal(err)
	}
	trn.cfg.RecordSteps = false // its slice grows; Fit reserves it ahead
	ld := data.NewLoader(tr, 16, trn.rand)
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		x, y := ld.Next()
		_, err = trn.trainStep(x, y)
	})
	if err != nil {
		t.Fatal(err)
	}
	if allocs != 0 && !raceEnabled {
		t.Errorf("%v allocations per step, want 0", allocs)
	}
}

// BenchmarkStep times one training step of a 784-100-10 MLP on a batch
// of 100, the book's MNIST network.
func BenchmarkStep(b *testing.B) {
	set := &data.Set[float32]{X: tensor.New[float32](100, 784), Y: tensor.New[float32](100), Classes: 10}
	trn := New(mlp[float32](1, 784, 100, 10), &loss.SoftmaxCrossEntropy[float32]{}, optim.NewSGD[float32](0.1),
		Config{Epochs: 1, BatchSize: 100})
	if _, err := trn.Fit(context.Background(), set, nil); err != nil {
		b.Fatal(err)
	}
	x, y := set.X, set.Y
	b.ReportAllocs()
	for b.Loop() {
		trn.trainStep(x, y)
	}
}

// probe passes its input on and keeps a copy of the first one it sees in
// training mode.
type probe struct {
	first []float64
}

func (p *probe) Forward(x *tensor.Tensor[float64], train bool) *tensor.Tensor[float64] {
	if train && p.first == nil {
		p.first = slices.Clone(x.Data)
	}
	return x
}
func (p *probe) Backward(dy *tensor.Tensor[float64]) *tensor.Tensor[float64] { return dy }
func (p *probe) Params() []*nn.Param[float64]                                { return nil }

// With Config.Augment the network trains on the batches changed as
// data.AugmentImages changes them, with the step's own generator; the
// same seed gives the same run, and the run differs from one without.
func TestAugment(t *testing.T) {
	aug := data.Augment{FlipH: true, Shift: 1}
	h1, p1, err1 := run(1, func(c *Config) { c.Augment, c.ImageShape = aug, [3]int{1, 1, 2} })
	h2, p2, err2 := run(1, func(c *Config) { c.Augment, c.ImageShape = aug, [3]int{1, 1, 2} })
	h0, p0, err0 := run(1, nil)
	if err := errors.Join(err1, err2, err0); err != nil {
		t.Fatal(err)
	}
	if !sameHistory(h1, h2) || !slices.Equal(p1, p2) {
		t.Error("the same seed gave different augmented runs")
	}
	if sameHistory(h1, h0) || slices.Equal(p1, p0) {
		t.Error("augmentation changed nothing")
	}

	// The first batch the network sees is the loader's first batch changed
	// with a generator seeded as random.seed(0<<32 | Seed).
	tr, _ := circle[float64](200)
	p := &probe{}
	net := nn.NewSequential[float64](p, mlp[float64](1, 2, 2))
	cfg := Config{Epochs: 1, BatchSize: 16, Seed: 4, Augment: aug, ImageShape: [3]int{2, 1, 1}}
	if _, err := New(net, &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1), cfg).Fit(context.Background(), tr, nil); err != nil {
		t.Fatal(err)
	}
	x, _ := data.NewLoader(tr, 16, rng.NewNumpy(4)).Next()
	data.AugmentImages(aug, x, 2, 1, 1, rng.NewPython(4))
	if !slices.Equal(p.first, x.Data) {
		t.Errorf("the network saw %v, want %v", p.first[:4], x.Data[:4])
	}
	if ld, _ := data.NewLoader(tr, 16, rng.NewNumpy(4)).Next(); slices.Equal(ld.Data, x.Data) {
		t.Error("the augmentation left the first batch unchanged")
	}
}
