package train

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/tensor"
)

// Step is one training step of a network with a loss and an optimizer:
// Forward in training mode, the loss, Backward, and the optimizer's
// update. The Trainer runs one per batch; a caller with its own loop (the
// playground, the experiments) runs the same. Run does the whole step;
// Forward, Backward and Update are its parts, for a caller that looks at
// the output or computes the gradients another way in between. In steady
// state (the same shapes as the step before) a step allocates nothing. A
// Step is not safe for concurrent use.
type Step[T tensor.Float] struct {
	Net  nn.Layer[T]
	Loss loss.Loss[T]
	Opt  optim.Optimizer[T]
	// L1 is the coefficient λ of an L1 penalty λ‖W‖₁ on the weights,
	// whose gradient Update adds before the optimizer's (optim.AddL1);
	// 0, the default, leaves it out. (The L2 penalty is the optimizer's
	// weight decay.)
	L1 float64

	params []*nn.Param[T]
}

// NewStep returns the step of net with loss l and optimizer opt; the
// network's parameters are looked up once, here. It panics if net, l or
// opt is nil.
func NewStep[T tensor.Float](net nn.Layer[T], l loss.Loss[T], opt optim.Optimizer[T]) *Step[T] {
	if net == nil || l == nil || opt == nil {
		panic("train: NewStep needs a network, a loss and an optimizer")
	}
	return &Step[T]{Net: net, Loss: l, Opt: opt, params: net.Params()}
}

// Params returns the parameters the step updates (the network's, as
// NewStep found them).
func (s *Step[T]) Params() []*nn.Param[T] { return s.params }

// Run runs the whole step on the batch x with targets y and returns the
// batch's loss. If the loss is NaN or infinite, Run returns an error
// wrapping ErrDiverged and neither computes gradients nor updates the
// parameters.
func (s *Step[T]) Run(x, y *tensor.Tensor[T]) (float64, error) {
	l, _ := s.Forward(x, y)
	if err := finiteLoss(l); err != nil {
		return l, err
	}
	s.Backward()
	s.Update()
	return l, nil
}

// Forward runs the network on x in training mode and returns the loss
// against y and the network's output (owned by the network, valid until
// its next Forward).
func (s *Step[T]) Forward(x, y *tensor.Tensor[T]) (float64, *tensor.Tensor[T]) {
	out := s.Net.Forward(x, true)
	return s.Loss.Forward(out, y), out
}

// Backward stores in every parameter's Grad the gradient of the last
// Forward's loss. Nothing reads the gradient with respect to the data, so
// a Sequential network is told to skip it (nn.Sequential.NoInputGrad) for
// this pass and restored afterwards; the parameter gradients are the same
// bits either way.
func (s *Step[T]) Backward() {
	dy := s.Loss.Backward()
	if q, ok := s.Net.(*nn.Sequential[T]); ok && !q.NoInputGrad {
		q.NoInputGrad = true
		defer func() { q.NoInputGrad = false }() // even if a layer panics
		q.Backward(dy)
		return
	}
	s.Net.Backward(dy)
}

// Update adds the L1 penalty's gradient if L1 is set, then applies the
// optimizer to the parameters from their gradients.
func (s *Step[T]) Update() {
	if s.L1 != 0 {
		optim.AddL1(s.params, s.L1)
	}
	s.Opt.Step(s.params)
}

// finiteLoss returns an error wrapping ErrDiverged if l is NaN or
// infinite.
func finiteLoss(l float64) error {
	if math.IsNaN(l) || math.IsInf(l, 0) {
		return fmt.Errorf("%w: loss became %v", ErrDiverged, l)
	}
	return nil
}
