package numgrad

import (
	"sync"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// LayersGradient stores in every parameter's Grad the central-difference
// gradient (step h) of the loss l of the chain of layers on x against t,
// and returns the loss at the unperturbed parameters.
//
// It gives the same bits as GradientTo over the whole chain, with less
// work, by two exact shortcuts:
//
//   - a parameter of layer k cannot change the outputs of layers 0..k-1,
//     so for its perturbations the chain is run from layer k on, from the
//     input layer k saw (layers are taken last to first, so that those
//     inputs are never overwritten before they are used);
//   - when a perturbation leaves the output of a layer bitwise unchanged
//     (a weight that multiplies an input of exactly 0, a ReLU that stays
//     off), the rest of the chain would compute exactly the unperturbed
//     loss, so that loss is taken without running it.
//
// Both need what a numerical gradient needs anyway: every Forward is a
// deterministic function of its input and parameters (Dropout frozen),
// and no parameter is shared between layers. The loss is still, in value,
// evaluated twice per parameter element; that cost is the lesson of the
// numerical gradient. On return the layers' and the loss's remembered
// state is that of some perturbed evaluation: run Forward again before
// Backward.
func LayersGradient[T tensor.Float](layers []nn.Layer[T], l loss.Loss[T], x, t *tensor.Tensor[T], train bool, h float64) float64 {
	// ins[k] is the input of layer k; each belongs to the layer before it
	// (or is x) and stays valid while that layer is not run again.
	sc := getScratch[T]()
	defer putScratch(sc)
	ins := append(sc.ins[:0], x)
	size := 0
	for k, layer := range layers {
		ins = append(ins, layer.Forward(ins[k], train))
		size += len(ins[k+1].Data)
	}
	f0 := l.Forward(ins[len(layers)], t)
	// outs[k] is a copy of layer k's unperturbed output.
	outs := sc.outs[:0]
	if cap(sc.buf) < size {
		sc.buf = make([]T, size)
	}
	buf := sc.buf[:size]
	sc.ins = ins
	for k := range layers {
		n := len(ins[k+1].Data)
		outs = append(outs, buf[:n:n])
		copy(outs[k], ins[k+1].Data)
		buf = buf[n:]
	}
	sc.outs = outs
	for k := len(layers) - 1; k >= 0; k-- {
		params := layers[k].Params()
		if len(params) == 0 {
			continue
		}
		for _, p := range params {
			// GradientTo's loop, with the chain run from layer k.
			x, dst := p.Value.Data, p.Grad.Data[:len(p.Value.Data)]
			for i, tmp := range x {
				x[i] = T(float64(tmp) + h)
				fxh1 := chainFrom(k, layers, ins, outs, l, t, train, f0)
				x[i] = T(float64(tmp) - h)
				fxh2 := chainFrom(k, layers, ins, outs, l, t, train, f0)
				dst[i] = T((fxh1 - fxh2) / (2 * h))
				x[i] = tmp
			}
		}
	}
	return f0
}

// scratch is LayersGradient's bookkeeping, kept in a pool between calls so
// that a step of a small network allocates nothing.
type scratch[T tensor.Float] struct {
	ins  []*tensor.Tensor[T]
	outs [][]T
	buf  []T
}

// scratchPools keeps one pool per element type.
var scratchPools tensor.PerType[sync.Pool]

func getScratch[T tensor.Float]() *scratch[T] {
	if sc, ok := tensor.Of[T](&scratchPools).Get().(*scratch[T]); ok {
		return sc
	}
	return new(scratch[T])
}

func putScratch[T tensor.Float](sc *scratch[T]) {
	clear(sc.ins) // hold no tensors
	tensor.Of[T](&scratchPools).Put(sc)
}

// chainFrom returns the loss of the chain run from layer k on its input
// ins[k], or f0 as soon as a layer's output equals its unperturbed one,
// outs[j], bit for bit.
func chainFrom[T tensor.Float](k int, layers []nn.Layer[T], ins []*tensor.Tensor[T], outs [][]T, l loss.Loss[T], t *tensor.Tensor[T], train bool, f0 float64) float64 {
	y := ins[k]
	for j := k; j < len(layers); j++ {
		y = layers[j].Forward(y, train)
		if tensor.SameBits(y.Data, outs[j]) {
			return f0
		}
	}
	return l.Forward(y, t)
}

// LayersGradientRuns returns the most times LayersGradient(layers, ...)
// runs each layer's Forward, runs[k] for layers[k], and the loss's,
// lossRuns: once each for the unperturbed loss, then, for each of the two
// perturbations of every parameter element of layer i, layers i and after
// and the loss. It runs fewer where a perturbation leaves a layer's output
// unchanged. It runs nothing itself.
//
// With the time of one forward pass taken layer by layer, these counts
// estimate what a numerical gradient costs without paying for it, which
// grows with the number of parameters (2·N+1 runs of the last layer for N
// parameter elements) where a forward pass does not.
func LayersGradientRuns[T tensor.Float](layers []nn.Layer[T]) (runs []int, lossRuns int) {
	runs = make([]int, len(layers))
	perturbed := 0 // evaluations that start at or before layer k
	for k, layer := range layers {
		for _, p := range layer.Params() {
			perturbed += 2 * p.Value.Len()
		}
		runs[k] = 1 + perturbed
	}
	return runs, 1 + perturbed
}
