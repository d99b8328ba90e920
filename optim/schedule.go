package optim

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate to use at each step of training.
//
// LR returns the learning rate for step, counting from 0. The caller
// chooses the unit: optimizer steps (batches) or epochs, as PyTorch's
// schedulers are usually stepped. Schedules are pure functions of step, so
// a resumed run needs only its step (or epoch) count to continue one.
type Schedule interface {
	LR(step int) float64
}

// Constant is a schedule that always returns the same learning rate.
type Constant float64

// LR returns c.
func (c Constant) LR(step int) float64 { return float64(c) }

// StepDecay multiplies the learning rate by Gamma every Every steps
// (PyTorch's StepLR):
//
//	lr(step) = Base · Gamma^⌊step/Every⌋
type StepDecay struct {
	Base  float64 // learning rate for the first Every steps
	Every int     // steps between decays; must be at least 1
	Gamma float64 // factor applied at each decay, usually in (0, 1)
}

// LR returns Base·Gamma^⌊step/Every⌋. It panics if Every < 1 or step < 0.
func (s StepDecay) LR(step int) float64 {
	if s.Every < 1 {
		panic(fmt.Sprintf("optim: StepDecay.Every = %d, want >= 1", s.Every))
	}
	mustStep(step)
	return s.Base * math.Pow(s.Gamma, float64(step/s.Every))
}

// Cosine anneals the learning rate from Base to Min along half a cosine
// over Total steps, then stays at Min (PyTorch's CosineAnnealingLR with
// T_max = Total and eta_min = Min, without restarts):
//
//	lr(step) = Min + (Base − Min)·(1 + cos(π·step/Total))/2   for step ≤ Total
//	lr(step) = Min                                            for step > Total
type Cosine struct {
	Base  float64 // learning rate at step 0
	Min   float64 // learning rate from step Total on
	Total int     // length of the annealing; must be at least 1
}

// LR returns the annealed learning rate. It panics if Total < 1 or
// step < 0.
func (c Cosine) LR(step int) float64 {
	if c.Total < 1 {
		panic(fmt.Sprintf("optim: Cosine.Total = %d, want >= 1", c.Total))
	}
	mustStep(step)
	if step >= c.Total {
		return c.Min
	}
	return c.Min + float64((c.Base-c.Min)*(1+math.Cos(math.Pi*float64(step)/float64(c.Total)))/2)
}

func mustStep(step int) {
	if step < 0 {
		panic(fmt.Sprintf("optim: schedule asked for negative step %d", step))
	}
}

// ApplySchedule sets o's learning rate to s.LR(step) and returns it; call
// it before the Step (or at the start of the epoch) that step counts. o is
// any Optimizer; SetLR panics if the schedule gives a negative or
// non-finite rate.
func ApplySchedule(o interface{ SetLR(lr float64) }, s Schedule, step int) float64 {
	lr := s.LR(step)
	o.SetLR(lr)
	return lr
}
