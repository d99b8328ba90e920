package optim

import (
	"fmt"
	"math"
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

var names = []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}

// Names returns the book's optimizers, the names New accepts besides
// "adamw", in the book's order of presentation with Nesterov after Momentum
// and RMSprop after AdaGrad. AdamW stays out of the list on purpose: its
// callers (the playground's menu, the tests that check each optimizer
// against the book's formula and its weight decay against an L2 term in
// the gradient) are about the book's optimizers, and AdamW's decay is
// decoupled, not L2. kiso train --optimizer accepts adamw through New.
func Names() []string { return append([]string(nil), names...) }

// New returns the optimizer called name (case-insensitive; see Names) with
// learning rate lr and the default values of its other hyperparameters
// (DefaultMomentum, DefaultDecay, DefaultBeta1, DefaultBeta2) and no weight
// decay; it also accepts "adamw" (AdamW, which is not one of the book's
// Names). It returns an error if the name is unknown or lr is negative or
// not finite.
func New[T tensor.Float](name string, lr float64) (Optimizer[T], error) {
	if !(lr >= 0) || math.IsInf(lr, 1) {
		return nil, fmt.Errorf("optim: learning rate %v must be finite and >= 0", lr)
	}
	switch strings.ToLower(name) {
	case "sgd":
		return NewSGD[T](lr), nil
	case "momentum":
		return NewMomentum[T](lr, DefaultMomentum), nil
	case "nesterov":
		return NewNesterov[T](lr, DefaultMomentum), nil
	case "adagrad":
		return NewAdaGrad[T](lr), nil
	case "rmsprop":
		return NewRMSprop[T](lr, DefaultDecay), nil
	case "adam":
		return NewAdam[T](lr, DefaultBeta1, DefaultBeta2), nil
	case "adamw": // not among the book's Names; here so that FromState resumes it
		return NewAdamW[T](lr, DefaultBeta1, DefaultBeta2, 0), nil
	}
	return nil, fmt.Errorf("optim: unknown optimizer %q (want one of %s)", name, strings.Join(names, ", "))
}

// FromState returns a new optimizer of the kind s names, with s loaded:
// the optimizer whose State s is, resumed. It returns an error if s names
// no optimizer or cannot be loaded (see LoadState).
func FromState[T tensor.Float](s State) (Optimizer[T], error) {
	o, err := New[T](s.Name, 0)
	if err != nil {
		return nil, err
	}
	if err := o.LoadState(s); err != nil {
		return nil, err
	}
	return o, nil
}
