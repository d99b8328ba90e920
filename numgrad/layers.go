package numgrad

import (
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// LayersGradient stores in every parameter's Grad the central-difference
// gradient (step h) of the loss l of the chain of layers on x against t,
// and returns the loss at the unperturbed parameters.
//
// It gives the same bits as GradientTo over the whole chain, with less
// work: a parameter of layer k cannot change the outputs of layers 0..k-1,
// so for its perturbations the chain is run from layer k on, from the input
// layer k saw. Layers are taken last to first, so that those inputs are
// never overwritten before they are used. The number of loss evaluations,
// two per parameter element, is unchanged; that cost is the lesson of the
// numerical gradient.
func LayersGradient[T tensor.Float](layers []nn.Layer[T], l loss.Loss[T], x, t *tensor.Tensor[T], train bool, h float64) float64 {
	// ins[k] is the input of layer k; each belongs to the layer before it
	// (or is x) and stays valid while that layer is not run again.
	ins := make([]*tensor.Tensor[T], len(layers)+1)
	ins[0] = x
	for k, layer := range layers {
		ins[k+1] = layer.Forward(ins[k], train)
	}
	f0 := l.Forward(ins[len(layers)], t)
	for k := len(layers) - 1; k >= 0; k-- {
		params := layers[k].Params()
		if len(params) == 0 {
			continue
		}
		from := func() float64 {
			y := ins[k]
			for _, later := range layers[k:] {
				y = later.Forward(y, train)
			}
			return l.Forward(y, t)
		}
		for _, p := range params {
			GradientTo(p.Grad, from, p.Value, h)
		}
	}
	return f0
}
