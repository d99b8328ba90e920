package train

import (
	"errors"
	"fmt"
	"math"
)

// ErrStop, returned by Observer.OnEpoch, ends training after the current
// epoch without an error: Fit returns the history and nil.
var ErrStop = errors.New("train: stop requested")

// Observer is told about training as it goes.
//
// OnStep is called after every training step with the epoch (from 1), the
// step within it (from 1 to steps), the number of steps per epoch and the
// step's loss. It is called on the training goroutine for every step, so
// it must be cheap (a progress bar throttles its own redraws).
//
// OnEpoch is called after every epoch with the history so far; h.Last() is
// the epoch just finished. h belongs to the Trainer and must not be
// modified; it may be read until OnEpoch returns. Returning ErrStop ends
// training after this epoch (the other observers still see it); returning
// any other error ends training at once and Fit returns that error.
//
// During both calls the Trainer is between steps, so an observer may call
// Trainer.Snapshot.
type Observer interface {
	OnStep(epoch, step, steps int, loss float64)
	OnEpoch(h *History) error
}

// Funcs is an Observer made of functions; either may be nil.
type Funcs struct {
	Step  func(epoch, step, steps int, loss float64)
	Epoch func(h *History) error
}

// OnStep calls f.Step if it is set.
func (f Funcs) OnStep(epoch, step, steps int, loss float64) {
	if f.Step != nil {
		f.Step(epoch, step, steps, loss)
	}
}

// OnEpoch calls f.Epoch if it is set.
func (f Funcs) OnEpoch(h *History) error {
	if f.Epoch != nil {
		return f.Epoch(h)
	}
	return nil
}

// EarlyStopping stops training when a monitored figure has not improved
// for Patience epochs, as Keras's and PyTorch Lightning's EarlyStopping do.
//
// It keeps no state of its own: each epoch it finds the best value in the
// history, so a resumed run stops exactly where the uninterrupted one
// would have. (It does not restore the best weights; save them with a
// Checkpoint if you want them.)
type EarlyStopping struct {
	// Monitor names the figure watched: "test_loss" (the default when
	// empty), "test_acc", "train_loss" or "train_acc".
	Monitor string
	// Patience is the number of epochs in a row without improvement after
	// which training stops; values below 1 count as 1.
	Patience int
	// MinDelta is the least change that counts as an improvement: a loss
	// must fall below best − MinDelta, an accuracy rise above
	// best + MinDelta.
	MinDelta float64
}

// OnStep does nothing.
func (EarlyStopping) OnStep(int, int, int, float64) {}

// OnEpoch returns ErrStop once Patience epochs have passed since the best
// value of the monitored figure. It returns an error if Monitor is unknown
// or the figure was not measured (NaN: no test set, or no accuracy for
// regression).
func (es EarlyStopping) OnEpoch(h *History) error {
	monitor := es.Monitor
	if monitor == "" {
		monitor = "test_loss"
	}
	get, higher, ok := monitored(monitor)
	if !ok {
		return fmt.Errorf("train: early stopping: unknown figure %q (want test_loss, test_acc, train_loss or train_acc)", monitor)
	}
	best, bestAt := math.NaN(), 0
	for i := range h.Epochs {
		v := get(&h.Epochs[i])
		if math.IsNaN(v) {
			return fmt.Errorf("train: early stopping: %s was not measured at epoch %d", monitor, h.Epochs[i].Epoch)
		}
		improved := v < best-es.MinDelta
		if higher {
			improved = v > best+es.MinDelta
		}
		if i == 0 || improved {
			best, bestAt = v, i
		}
	}
	if len(h.Epochs) > 0 && len(h.Epochs)-1-bestAt >= max(es.Patience, 1) {
		return ErrStop
	}
	return nil
}

// monitored returns the accessor of a figure by its CSV name and whether
// higher is better.
func monitored(name string) (get func(*EpochStats) float64, higher, ok bool) {
	switch name {
	case "test_loss":
		return func(e *EpochStats) float64 { return e.TestLoss }, false, true
	case "test_acc":
		return func(e *EpochStats) float64 { return e.TestAcc }, true, true
	case "train_loss":
		return func(e *EpochStats) float64 { return e.TrainLoss }, false, true
	case "train_acc":
		return func(e *EpochStats) float64 { return e.TrainAcc }, true, true
	}
	return nil, false, false
}

// Checkpoint calls Save after every Every-th epoch (epochs Every,
// 2·Every, ...; every epoch if Every < 1). Save receives the epoch just
// finished, counting from 1; what it writes is the caller's choice,
// typically a model file or the Trainer's State, written atomically so
// that a crash leaves the last good checkpoint intact:
//
//	tr.Observers = append(tr.Observers, train.Checkpoint{Every: 5, Save: func(int) error {
//		s, err := tr.Snapshot()
//		if err != nil {
//			return err
//		}
//		return train.SaveState("run.state", s)
//	}})
//
// A failed Save ends training with its error. A run that diverges stops
// before its epoch ends, so no checkpoint is written from diverged
// parameters.
type Checkpoint struct {
	Every int
	Save  func(epoch int) error
}

// OnStep does nothing.
func (Checkpoint) OnStep(int, int, int, float64) {}

// OnEpoch calls Save if the epoch just finished is a multiple of Every.
func (c Checkpoint) OnEpoch(h *History) error {
	epoch := h.Last().Epoch
	if epoch < 1 || epoch%max(c.Every, 1) != 0 {
		return nil
	}
	if err := c.Save(epoch); err != nil {
		return fmt.Errorf("train: checkpoint after epoch %d: %w", epoch, err)
	}
	return nil
}
