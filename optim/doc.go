// Package optim holds kiso's optimizers: SGD, Momentum, Nesterov, AdaGrad,
// RMSprop and Adam, L2 weight decay, learning-rate schedules, and the state
// a trainer saves to resume training bit for bit.
//
// Each optimizer follows the book "Deep Learning from Scratch" (Saito),
// chapter 6.1, and its code in common/optimizer.py: the doc comment of each
// type gives the update it performs, element by element, with the book's
// equation numbers where the book has them. Concepts and names follow
// PyTorch's torch.optim (Step, lr, weight_decay, state). In float64 each
// optimizer retraces the book's NumPy code bit for bit (tested on the
// function of the book's figure 6-8): the package computes in the book's
// order of operations, with explicit conversions that keep the compiler
// from fusing a multiply and an add (as it may on arm64 or amd64 v3), so
// that a run gives the same bits whether or not the platform fuses.
//
// An optimizer updates p.Value in place from p.Grad for each parameter
// passed to Step; it never writes p.Grad. Optimizers with per-parameter
// state (Momentum's velocity, Adam's moments, ...) key it by the position of
// the parameter in the slice, so Step must be given the same parameters in
// the same order every time (as nn.Layer.Params returns them). A parameter
// whose Grad is nil is skipped by that Step: its value and its buffers stay
// as they are (DeZero's optimizers skip a parameter whose grad is None;
// autograd/layers' Optimizer passes nil with SkipNoGrad). The buffers
// are allocated on the first Step; after that Step allocates nothing. A
// Step whose parameters differ in number or size from the state's panics.
//
// Programmer mistakes (invalid hyperparameters, a changed parameter set)
// panic with a message starting "optim:"; a State that cannot be loaded
// (a corrupt or mismatched checkpoint) is reported as an error.
package optim

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Optimizer updates parameters from their gradients.
//
// Step applies one update to every p.Value from p.Grad (and, where
// WeightDecay is set, from p.Value for the parameters with p.Decay). params
// must be the same parameters in the same order at every Step; see the
// package doc.
//
// LR and SetLR get and set the learning rate η; SetLR panics if lr is
// negative or not finite. WeightDecay and SetWeightDecay get and set the L2
// coefficient λ (0 by default; see SetWeightDecay of any optimizer). Steps
// returns the number of Steps taken (Adam's t).
//
// State returns a copy of everything Step depends on; LoadState replaces
// it, so that an optimizer given the State of another of the same kind and
// element type continues exactly as that one would have (bit for bit).
type Optimizer[T tensor.Float] interface {
	Name() string
	Step(params []*nn.Param[T])
	LR() float64
	SetLR(lr float64)
	WeightDecay() float64
	SetWeightDecay(lambda float64)
	Steps() int
	State() State
	LoadState(s State) error
}

// Eps is the constant added to square roots in denominators (AdaGrad,
// RMSprop, Adam) to avoid dividing by zero: 1e-7, as in the book's code.
// (PyTorch uses 1e-10 for AdaGrad and 1e-8 for RMSprop and Adam.)
const Eps = 1e-7

// Defaults for the hyperparameters that New does not take, as in the book's
// code (and, for the momentum and betas, PyTorch's examples).
const (
	DefaultMomentum = 0.9   // Momentum and Nesterov: α
	DefaultDecay    = 0.99  // RMSprop: ρ, the decay rate of the mean square
	DefaultBeta1    = 0.9   // Adam: β1, the decay rate of the first moment
	DefaultBeta2    = 0.999 // Adam: β2, the decay rate of the second moment
	DefaultAdamLR   = 0.001 // Adam: the book's and PyTorch's default η
)
