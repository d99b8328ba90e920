package train

import (
	"fmt"
	"slices"

	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// State is everything a Trainer's future depends on, detached from it: what
// a checkpoint saves so that a run resumed from it continues bit for bit as
// the uninterrupted run would have. Trainer.Snapshot returns one and
// Trainer.Restore takes one; MarshalBinary and UnmarshalBinary turn it into
// checksummed bytes, and SaveState and LoadState into a file.
//
// A State may be taken between any two steps: at an epoch boundary (from
// Observer.OnEpoch, Step == 0) or in the middle of an epoch (from
// Observer.OnStep, or after Fit returned ctx.Err()). The network's
// architecture, the loss and the Config are not part of it: the resuming
// program builds the same ones and restores the State into them.
type State struct {
	// DType is the element type of the parameters: "float32" or "float64".
	DType string
	// Epoch is the number of epochs completed; Step the number of steps
	// completed in epoch Epoch+1; GlobalStep the number of steps over the
	// whole run (what a per-step Schedule counts).
	Epoch, Step, GlobalStep int
	// StepsPerEpoch and BatchSize are those of epoch Epoch+1 when Step > 0
	// (a resumed epoch must keep them), and 0 otherwise.
	StepsPerEpoch, BatchSize int
	// Shuffle is the shuffling generator's state (rng.MT.MarshalBinary) at
	// the start of epoch Epoch+1, before it draws the epoch's permutation.
	Shuffle []byte
	// RNGs holds the states of the network's own generators (RNGHolder),
	// in order.
	RNGs [][]byte
	// Optimizer is the optimizer's state (optim.Optimizer.State).
	Optimizer optim.State
	// Params holds the network's parameters in the order of Params(), and
	// Buffers its buffers in the order of nn.BuffersOf, as float64 (exact
	// for float32).
	Params, Buffers []Tensor
	// Partial holds the running sums of epoch Epoch+1 so far.
	Partial Partial
	// History is the history up to epoch Epoch.
	History History
	// Meta is for the program that saves the State: whatever it needs to
	// rebuild the same network, loss and Config on resume (kiso train
	// keeps its options there, as JSON). Snapshot leaves it empty and
	// Restore ignores it.
	Meta []byte
}

// Tensor is a named tensor of a State, its elements as float64.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float64
}

// Partial holds the running sums of an epoch in progress, from which its
// training loss and accuracy are computed when it ends.
type Partial struct {
	// LossSum is the sum over steps of the step's mean loss times its
	// number of cases.
	LossSum float64
	// Correct counts the correctly classified cases, Seen all cases.
	Correct, Seen int
	// Seconds is the wall-clock time spent on the epoch so far.
	Seconds float64
}

// Snapshot returns the Trainer's State: the position reached, a copy of the
// parameters, buffers, generator states and optimizer state, and the
// history. Call it between steps (not from another goroutine during Fit).
// The error is always nil today; it is there for states that may fail to
// encode.
func (t *Trainer[T]) Snapshot() (*State, error) {
	s := &State{
		DType: tensor.DTypeName[T](), Epoch: t.epoch, Step: t.step, GlobalStep: t.global,
		Optimizer: t.opt.State(), Partial: t.run, History: *t.hist.Clone(),
	}
	var err error
	if t.step > 0 {
		s.StepsPerEpoch, s.BatchSize = t.steps, t.batch
	}
	if t.begun {
		s.Shuffle = slices.Clone(t.epochStart)
	} else if s.Shuffle, err = t.rand.MarshalBinary(); err != nil {
		return nil, err
	}
	for _, r := range t.rngs {
		b, err := r.MarshalBinary()
		if err != nil {
			return nil, err
		}
		s.RNGs = append(s.RNGs, b)
	}
	for _, p := range t.params {
		s.Params = append(s.Params, tensorOf(p.Name, p.Value))
	}
	for _, b := range t.bufs {
		s.Buffers = append(s.Buffers, tensorOf(b.Name, b.Value))
	}
	return s, nil
}

func tensorOf[T tensor.Float](name string, v *tensor.Tensor[T]) Tensor {
	d := make([]float64, v.Len())
	for i, x := range v.Data {
		d[i] = float64(x)
	}
	return Tensor{Name: name, Shape: slices.Clone(v.Shape()), Data: d}
}

// Restore sets the Trainer to s: parameters, buffers and generators are
// overwritten in place, the optimizer loads s.Optimizer, and the position
// and history become those of s, so that the next Fit continues where the
// Trainer that took s stood. The Trainer's network must have the
// parameters of the one that took s (same names and shapes, same element
// type), the same numbers of generators and buffers, and an optimizer of
// the same kind; otherwise Restore returns an error naming the first
// difference and changes nothing. Config.Seed and Config.Rand's state are
// superseded by s.Shuffle.
func (t *Trainer[T]) Restore(s *State) error {
	if err := t.check(s); err != nil {
		return err
	}
	if err := t.opt.LoadState(s.Optimizer); err != nil {
		return fmt.Errorf("train: restore: %w", err)
	}
	for i, p := range t.params {
		for j, v := range s.Params[i].Data {
			p.Value.Data[j] = T(v)
		}
	}
	for i, b := range t.bufs {
		for j, v := range s.Buffers[i].Data {
			b.Value.Data[j] = T(v)
		}
	}
	for i, r := range t.rngs {
		r.UnmarshalBinary(s.RNGs[i]) // checked by t.check
	}
	t.rand.UnmarshalBinary(s.Shuffle)
	t.epochStart, t.begun = slices.Clone(s.Shuffle), true
	t.pos = pos{epoch: s.Epoch, step: s.Step, global: s.GlobalStep,
		steps: s.StepsPerEpoch, batch: s.BatchSize, run: s.Partial}
	t.hist = *s.History.Clone()
	t.lr = t.opt.LR()
	return nil
}

// check returns the first reason s cannot be restored into t.
func (t *Trainer[T]) check(s *State) error {
	if want := tensor.DTypeName[T](); s.DType != want {
		return fmt.Errorf("train: restore: the state holds %s parameters, the network is %s", s.DType, want)
	}
	switch {
	case s.Epoch < 0 || s.Step < 0 || s.GlobalStep < 0:
		return fmt.Errorf("train: restore: negative position (epoch %d, step %d, global step %d)", s.Epoch, s.Step, s.GlobalStep)
	case s.Step > 0 && (s.Step > s.StepsPerEpoch || s.BatchSize < 1):
		return fmt.Errorf("train: restore: step %d of an epoch of %d steps of %d cases", s.Step, s.StepsPerEpoch, s.BatchSize)
	case len(s.History.Epochs) != s.Epoch:
		return fmt.Errorf("train: restore: the history holds %d epochs, the state is at epoch %d", len(s.History.Epochs), s.Epoch)
	}
	if err := checkTensors("parameter", s.Params, len(t.params), func(i int) (string, []int) {
		return t.params[i].Name, t.params[i].Value.Shape()
	}); err != nil {
		return err
	}
	if err := checkTensors("buffer", s.Buffers, len(t.bufs), func(i int) (string, []int) {
		return t.bufs[i].Name, t.bufs[i].Value.Shape()
	}); err != nil {
		return err
	}
	if len(s.RNGs) != len(t.rngs) {
		return fmt.Errorf("train: restore: the state holds %d generators, the network has %d", len(s.RNGs), len(t.rngs))
	}
	var r rng.MT
	for i, b := range s.RNGs {
		if err := r.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("train: restore: generator %d: %w", i, err)
		}
	}
	if err := r.UnmarshalBinary(s.Shuffle); err != nil {
		return fmt.Errorf("train: restore: shuffling generator: %w", err)
	}
	if s.Optimizer.Name != t.opt.Name() {
		return fmt.Errorf("train: restore: the state is for optimizer %q, the trainer has %q", s.Optimizer.Name, t.opt.Name())
	}
	if err := optim.CheckState(s.Optimizer, t.params); err != nil {
		return fmt.Errorf("train: restore: %w", err)
	}
	return nil
}

// checkTensors compares the saved tensors with the n held by the trainer,
// whose names and shapes have returns.
func checkTensors(what string, saved []Tensor, n int, have func(i int) (string, []int)) error {
	if len(saved) != n {
		return fmt.Errorf("train: restore: the state holds %d %ss, the network has %d", len(saved), what, n)
	}
	for i, s := range saved {
		name, shape := have(i)
		if s.Name != name || !tensor.EqualShape(s.Shape, shape) || len(s.Data) != numel(shape) {
			return fmt.Errorf("train: restore: %s %d is %q %v in the state, %q %v in the network", what, i, s.Name, s.Shape, name, shape)
		}
	}
	return nil
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
