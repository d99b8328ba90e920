package train

import (
	"fmt"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
)

// Config holds the settings of a training run.
type Config struct {
	// Epochs is the total number of epochs of the run. A Trainer that has
	// already trained (or was restored from a State) continues from the
	// epoch it reached up to Epochs.
	Epochs int
	// BatchSize is the number of cases per training step; it must be at
	// least 1. The last batch of an epoch holds the remaining cases and may
	// be smaller, unless DropLast is set.
	BatchSize int
	// DropLast skips the last batch of each epoch when it would be smaller
	// than BatchSize.
	DropLast bool
	// FoldLone puts a last case that would make a batch of its own into
	// the batch before it (data.Loader.FoldLone): batch normalization
	// cannot train on a batch of one case.
	FoldLone bool

	// Seed seeds the generator that shuffles the training set at the start
	// of every epoch, rng.NewNumpy(Seed), unless Rand is set.
	Seed uint32
	// Rand, if non-nil, shuffles the training set instead of a generator
	// seeded with Seed. The Trainer owns it from New on: nothing else may
	// draw from it, or a resumed run would not repeat the same batches.
	Rand *rng.MT

	// Schedule, if non-nil, sets the optimizer's learning rate before each
	// step: with SchedulePerStep to Schedule.LR(s) for the run's s-th
	// optimizer step (counting from 0 over all epochs), otherwise to
	// Schedule.LR(e) for every step of the e-th epoch (counting from 0), as
	// PyTorch's schedulers are usually stepped. Without a Schedule the
	// learning rate is the optimizer's own.
	Schedule        optim.Schedule
	SchedulePerStep bool

	// Augment, when it changes anything, changes the images of each
	// training batch before its step (data.AugmentImages) with a generator
	// seeded for that step alone, as Python's random.seed(s<<32 | Seed) for
	// the run's s-th optimizer step (counting from 0), so that a run
	// resumed mid-epoch makes the same changes as one never stopped. The
	// test set and EvalTrain's passes are left as they are. The training
	// inputs must be images: of ImageShape, or of the set's own shape [n,
	// c, h, w].
	Augment data.Augment
	// ImageShape is the shape c, h, w of one image when the inputs are
	// flat rows (an MLP's [n, 784] for MNIST); zero means the set's input
	// shape. Only Augment uses it.
	ImageShape [3]int

	// EvalTrain replaces the training loss and accuracy of each epoch, by
	// default the running means over the epoch's steps (as PyTorch scripts
	// report them, computed in training mode while the weights change), by
	// an evaluation of the whole training set in evaluation mode at the end
	// of the epoch (as the book's curves do). It costs an extra pass.
	EvalTrain bool
	// EvalBatch is the batch size of evaluation passes; 0 means BatchSize.
	EvalBatch int

	// RecordSteps keeps the loss of every training step in
	// History.StepLosses (8 bytes per step), for per-step curves.
	RecordSteps bool
}

// check returns an error naming the first invalid setting.
func (c *Config) check() error {
	switch {
	case c.Epochs < 0:
		return fmt.Errorf("train: %d epochs, want >= 0", c.Epochs)
	case c.BatchSize < 1:
		return fmt.Errorf("train: batch size %d, want >= 1", c.BatchSize)
	case c.EvalBatch < 0:
		return fmt.Errorf("train: evaluation batch size %d, want >= 0", c.EvalBatch)
	case c.Augment.Shift < 0 || c.Augment.Shift > data.MaxShift:
		return fmt.Errorf("train: augmentation shift %d, want 0 to %d", c.Augment.Shift, data.MaxShift)
	}
	return nil
}

// imageShape returns the shape c, h, w of the images of inputs whose
// shape per case is in (Set.InputShape), for Augment.
func (c *Config) imageShape(in []int) ([3]int, error) {
	size := 1
	for _, d := range in {
		size *= d
	}
	if c.ImageShape != [3]int{} {
		s := c.ImageShape
		if s[0] < 1 || s[1] < 1 || s[2] < 1 || s[0]*s[1]*s[2] != size {
			return s, fmt.Errorf("train: augmentation: image shape %v does not fit inputs of shape %v", s, in)
		}
		return s, nil
	}
	if len(in) != 3 {
		return [3]int{}, fmt.Errorf("train: augmentation needs images: inputs of shape %v are not [c, h, w] (set Config.ImageShape)", in)
	}
	return [3]int{in[0], in[1], in[2]}, nil
}

// evalBatch returns the batch size of evaluation passes.
func (c *Config) evalBatch() int {
	if c.EvalBatch > 0 {
		return c.EvalBatch
	}
	return c.BatchSize
}
