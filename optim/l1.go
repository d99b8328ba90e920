package optim

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// AddL1 adds λ·sign(w) to the gradient of every element w of each
// parameter with p.Decay set (weights, not biases): the gradient of the
// L1 penalty λ‖W‖₁ (book §6.4.2 names it beside L2), with sign(0) = 0.
// Call it after the gradients are computed and before Step. Unlike weight
// decay (SetWeightDecay), which every optimizer folds into its formula
// without touching p.Grad, AddL1 writes p.Grad, as the book adds its
// penalties' gradients before update. Parameters without a gradient are
// skipped; lambda 0 changes nothing. It panics if lambda is negative,
// infinite or NaN.
func AddL1[T tensor.Float](params []*nn.Param[T], lambda float64) {
	rate.must("AddL1", "lambda", lambda)
	if lambda == 0 {
		return
	}
	l := T(lambda)
	for _, p := range params {
		if !p.Decay || p.Grad == nil {
			continue
		}
		g := p.Grad.Data[:len(p.Value.Data)]
		for i, w := range p.Value.Data {
			switch {
			case w > 0:
				g[i] += l
			case w < 0:
				g[i] -= l
			}
		}
	}
}
