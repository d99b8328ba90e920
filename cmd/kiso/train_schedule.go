package main

import (
	"fmt"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/optim"
)

// checkSchedule checks --lr-schedule and the flags that shape it.
func (o *trainOptions) checkSchedule() error {
	switch o.LRSchedule {
	case "", "constant":
	case "cosine":
		if !(o.LRMin >= 0 && o.LRMin <= o.LR) {
			return usagef("--lr-min %v: must be between 0 and --lr (%v)", o.LRMin, o.LR)
		}
	case "step":
		if o.LRStep < 1 {
			return usagef("--lr-step %d: must be at least 1", o.LRStep)
		}
		if !(o.LRGamma > 0 && o.LRGamma <= 1) {
			return usagef("--lr-gamma %v: must be in (0, 1]", o.LRGamma)
		}
	default:
		return usagef("--lr-schedule %q: want constant, cosine or step", o.LRSchedule)
	}
	return nil
}

// schedule returns the learning-rate schedule --lr-schedule asks for, and
// whether it counts optimizer steps (true) or epochs (false); nil for a
// constant rate. steps is the number of optimizer steps in an epoch. The
// cosine anneals from --lr to --lr-min over the steps of all --epochs (so
// a resumed run given another --epochs anneals over the new count); the
// step decay multiplies the rate by --lr-gamma every --lr-step epochs.
func (o *trainOptions) schedule(steps int) (optim.Schedule, bool) {
	switch o.LRSchedule {
	case "cosine":
		return optim.Cosine{Base: o.LR, Min: o.LRMin, Total: max(1, o.Epochs*steps)}, true
	case "step":
		return optim.StepDecay{Base: o.LR, Every: o.LRStep, Gamma: o.LRGamma}, false
	}
	return nil, false
}

// scheduleName describes the schedule for the run's summary line ("" for
// a constant rate).
func (o *trainOptions) scheduleName() string {
	switch o.LRSchedule {
	case "cosine":
		return fmt.Sprintf(", cosine to %g", o.LRMin)
	case "step":
		return fmt.Sprintf(", x%g every %d epochs", o.LRGamma, o.LRStep)
	}
	return ""
}

// augmentName describes --augment for the run's summary line ("" for
// none).
func (o *trainOptions) augmentName() string {
	if a, err := data.ParseAugment(o.Augment); err == nil && a.On() {
		return ", augmented: " + a.String()
	}
	return ""
}
