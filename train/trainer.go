package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// ErrDiverged is wrapped by the error Fit returns when the training loss
// becomes NaN or infinite; the message names the epoch and step, as in
// "train: training diverged: loss became NaN at epoch 3, step 117".
var ErrDiverged = errors.New("train: training diverged")

// Trainer trains a network with a loss and an optimizer; see the package
// doc. It remembers how far training has gone (epochs, steps, History), so
// Fit may be called again to continue, and Snapshot and Restore save and
// resume that position. A Trainer is not safe for concurrent use.
type Trainer[T tensor.Float] struct {
	// Observers are told of every step and epoch, in order; see Observer.
	Observers []Observer

	net    nn.Layer[T]
	loss   loss.Loss[T]
	opt    optim.Optimizer[T]
	cfg    Config
	params []*nn.Param[T]
	one    *Step[T] // the training step, over params
	rngs   []*rng.MT
	bufs   []*nn.Buffer[T]
	rand   *rng.MT   // shuffles the training set
	aug    *rng.MT   // reseeded for each step's Config.Augment
	image  [3]int    // the shape of one image, for Config.Augment
	sc     scorer[T] // set by Fit from the training set

	pos
	// epochStart is rand's state at the start of epoch pos.epoch+1, before
	// it drew the epoch's permutation, when begun.
	epochStart []byte
	begun      bool
	lr         float64
	hist       History
}

// pos is how far training has gone.
type pos struct {
	epoch  int // epochs completed
	step   int // steps completed in epoch epoch+1
	global int // optimizer steps completed over the run
	// steps and batch are the steps per epoch and batch size of epoch
	// epoch+1, set when it starts.
	steps, batch int
	run          Partial // of epoch epoch+1
}

// New returns a Trainer for net with loss l and optimizer opt, at epoch 0.
// The network's parameters (net.Params()), generators (RNGHolder) and
// buffers (nn.BuffersOf) are looked up once, here. New panics if net, l or opt
// is nil.
func New[T tensor.Float](net nn.Layer[T], l loss.Loss[T], opt optim.Optimizer[T], cfg Config) *Trainer[T] {
	if net == nil || l == nil || opt == nil {
		panic("train: New needs a network, a loss and an optimizer")
	}
	r := cfg.Rand
	if r == nil {
		r = rng.NewNumpy(cfg.Seed)
	}
	one := NewStep(net, l, opt)
	return &Trainer[T]{
		net: net, loss: l, opt: opt, cfg: cfg, params: one.Params(), one: one,
		rngs: rngsOf(net), bufs: nn.BuffersOf(net), rand: r, lr: opt.LR(),
	}
}

// Net returns the network being trained.
func (t *Trainer[T]) Net() nn.Layer[T] { return t.net }

// Loss returns the loss being minimized.
func (t *Trainer[T]) Loss() loss.Loss[T] { return t.loss }

// Optimizer returns the optimizer updating the parameters.
func (t *Trainer[T]) Optimizer() optim.Optimizer[T] { return t.opt }

// Config returns the Trainer's configuration.
func (t *Trainer[T]) Config() Config { return t.cfg }

// Epoch returns the number of epochs completed.
func (t *Trainer[T]) Epoch() int { return t.epoch }

// History returns the record of training so far. It belongs to the
// Trainer and grows as training goes on; Clone it to keep a copy.
func (t *Trainer[T]) History() *History { return &t.hist }

// Fit trains on trainSet from the epoch reached so far up to
// Config.Epochs, evaluating on testSet (which may be nil) after each
// epoch, and returns the History (the Trainer's own; see History).
//
// Each epoch draws a fresh permutation of trainSet with the shuffling
// generator and cuts it into batches of Config.BatchSize (data.Loader).
// Fit checks ctx before every step and every evaluation batch and returns
// ctx.Err() once it is done; the Trainer then stands between two steps and
// a later Fit (or Snapshot and Restore) continues from there. Fit returns
// an error wrapping ErrDiverged if a step's loss is NaN or infinite (the
// parameters are then not updated by that step, but may already be
// unusable; checkpoints already written are left alone), the first error an
// Observer returns other than ErrStop (which ends training with a nil
// error), or an error if the configuration is invalid, a set fails
// Set.Check, the network's outputs do not fit the number of classes, or a
// run interrupted mid-epoch is continued with a different batch size or
// training set size.
func (t *Trainer[T]) Fit(ctx context.Context, trainSet, testSet *data.Set[T]) (*History, error) {
	if err := t.cfg.check(); err != nil {
		return &t.hist, err
	}
	if trainSet == nil || trainSet.Len() == 0 {
		return &t.hist, errors.New("train: the training set is empty")
	}
	if err := trainSet.Check(); err != nil {
		return &t.hist, fmt.Errorf("train: training set: %w", err)
	}
	if testSet != nil && testSet.Len() == 0 {
		testSet = nil
	}
	if testSet != nil {
		if err := testSet.Check(); err != nil {
			return &t.hist, fmt.Errorf("train: test set: %w", err)
		}
	}
	if t.epoch >= t.cfg.Epochs {
		return &t.hist, nil
	}
	ld := data.NewLoader(trainSet, t.cfg.BatchSize, t.rand)
	ld.DropLast, ld.FoldLone = t.cfg.DropLast, t.cfg.FoldLone
	steps := ld.Len()
	if steps == 0 {
		return &t.hist, fmt.Errorf("train: %d training cases make no full batch of %d (DropLast is set)", trainSet.Len(), t.cfg.BatchSize)
	}
	if t.step > 0 && (steps != t.steps || t.cfg.BatchSize != t.batch) {
		return &t.hist, fmt.Errorf("train: cannot continue epoch %d, begun with %d steps of %d cases, with %d steps of %d cases",
			t.epoch+1, t.steps, t.batch, steps, t.cfg.BatchSize)
	}
	if t.cfg.Augment.On() {
		img, err := t.cfg.imageShape(trainSet.InputShape())
		if err != nil {
			return &t.hist, err
		}
		t.image = img
		if t.aug == nil {
			t.aug = &rng.MT{}
		}
	}
	t.sc = newScorer(trainSet.Classes, t.loss)
	if t.cfg.RecordSteps {
		t.hist.StepLosses = slices.Grow(t.hist.StepLosses, (t.cfg.Epochs-t.epoch)*steps-t.step)
	}
	for t.epoch < t.cfg.Epochs {
		if err := t.runEpoch(ctx, ld, steps, trainSet, testSet); err != nil {
			if errors.Is(err, ErrStop) {
				return &t.hist, nil
			}
			return &t.hist, err
		}
	}
	return &t.hist, nil
}

// runEpoch trains epoch t.epoch+1 from step t.step on, then evaluates,
// records the epoch and tells the observers (endEpoch).
func (t *Trainer[T]) runEpoch(ctx context.Context, ld *data.Loader[T], steps int, trainSet, testSet *data.Set[T]) error {
	start := time.Now()
	if t.begun {
		// Continue an interrupted epoch: shuffle again from the epoch's
		// starting state and skip the batches already trained on.
		if err := t.rand.UnmarshalBinary(t.epochStart); err != nil {
			return err
		}
	} else {
		t.epochStart, _ = t.rand.MarshalBinary()
		t.begun = true
	}
	if t.step == 0 {
		t.run = Partial{}
		t.steps, t.batch = steps, t.cfg.BatchSize
	}
	if t.cfg.Schedule != nil && !t.cfg.SchedulePerStep {
		optim.ApplySchedule(t.opt, t.cfg.Schedule, t.epoch)
	}
	done, i := t.step, 0
	for x, y := range ld.Epoch() {
		if i++; i <= done {
			continue
		}
		if err := ctx.Err(); err != nil {
			t.run.Seconds += time.Since(start).Seconds()
			return err
		}
		if t.cfg.Augment.On() {
			t.aug.SeedPython(uint64(t.global)<<32 | uint64(t.cfg.Seed))
			data.AugmentImages(t.cfg.Augment, x, t.image[0], t.image[1], t.image[2], t.aug)
		}
		l, err := t.trainStep(x, y)
		if err != nil {
			t.run.Seconds += time.Since(start).Seconds()
			return err
		}
		for _, o := range t.Observers {
			o.OnStep(t.epoch+1, t.step, steps, l)
		}
	}
	return t.endEpoch(ctx, start, trainSet, testSet)
}

// endEpoch measures the epoch whose steps are done (begun at start),
// records it, moves to the next epoch and tells the observers. It returns
// ErrStop if an observer asked to stop.
func (t *Trainer[T]) endEpoch(ctx context.Context, start time.Time, trainSet, testSet *data.Set[T]) error {
	st := EpochStats{Epoch: t.epoch + 1, TrainLoss: t.run.LossSum / float64(t.run.Seen),
		TrainAcc: nan, TestLoss: nan, TestAcc: nan, LR: t.lr}
	if t.sc.classes > 0 {
		st.TrainAcc = float64(t.run.Correct) / float64(t.run.Seen)
	}
	var err error
	if t.cfg.EvalTrain {
		var m Metrics
		if m, err = Evaluate(ctx, t.net, t.loss, trainSet, t.cfg.evalBatch()); err == nil {
			st.TrainLoss, st.TrainAcc = m.Loss, m.Accuracy
		}
	}
	if testSet != nil && err == nil {
		var m Metrics
		if m, err = Evaluate(ctx, t.net, t.loss, testSet, t.cfg.evalBatch()); err == nil {
			st.TestLoss, st.TestAcc = m.Loss, m.Accuracy
		}
	}
	if err != nil {
		t.run.Seconds += time.Since(start).Seconds()
		return err
	}
	st.Seconds = t.run.Seconds + time.Since(start).Seconds()

	t.hist.Epochs = append(t.hist.Epochs, st)
	t.epoch++
	t.step, t.run, t.begun = 0, Partial{}, false
	stopped := false
	for _, o := range t.Observers {
		if err := o.OnEpoch(&t.hist); err != nil {
			if !errors.Is(err, ErrStop) {
				return err
			}
			stopped = true
		}
	}
	if stopped {
		return ErrStop
	}
	return nil
}

// trainStep runs one step (Step) on the batch x, y: forward in training
// mode, loss, backward and the optimizer's update, scoring the output in
// between. It returns the batch's loss,
// or an error wrapping ErrDiverged (before any update) if the loss is not
// finite. In steady state it allocates nothing.
func (t *Trainer[T]) trainStep(x, y *tensor.Tensor[T]) (float64, error) {
	if t.cfg.Schedule != nil && t.cfg.SchedulePerStep {
		optim.ApplySchedule(t.opt, t.cfg.Schedule, t.global)
	}
	l, out := t.one.Forward(x, y)
	if math.IsNaN(l) || math.IsInf(l, 0) {
		return l, fmt.Errorf("%w: loss became %v at epoch %d, step %d", ErrDiverged, l, t.epoch+1, t.step+1)
	}
	if t.sc.classes > 0 {
		c, err := t.sc.correct(out, y)
		if err != nil {
			return l, err
		}
		t.run.Correct += c
	}
	b := x.Rows()
	t.run.LossSum += l * float64(b)
	t.run.Seen += b
	t.one.Backward()
	t.lr = t.opt.LR()
	t.one.Update()
	t.step++
	t.global++
	if t.cfg.RecordSteps {
		t.hist.StepLosses = append(t.hist.StepLosses, l)
	}
	return l, nil
}
