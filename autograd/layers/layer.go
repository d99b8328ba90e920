// Package layers holds modules written with autograd, as DeZero's
// dezero.layers and dezero.models hold them: a Base that keeps parameters
// and sub-layers by name, a lazily shaped Linear (the input size taken from
// the first call, as L.Linear(out)), MLP, the recurrent RNN and LSTM, an
// Optimizer that drives any of package optim's optimizers over a layer's
// parameters (NewDeZeroAdam: DeZero's Adam), Save and Load of the
// parameters as a safetensors file, and FromNN, which puts any nn layer
// into a graph as one function whose backward is the layer's own.
//
// A layer is any type with a Base (embed layers.Base[T] and register the
// parameters and sub-layers in the constructor). Parameters are named by
// their path through the sub-layers, joined by dots as PyTorch's state_dict
// names them ("l0.W", "rnn.x2h.b").
package layers

import (
	"fmt"
	"strings"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/tensor"
)

// Layer is a module with parameters: anything that embeds a Base.
type Layer[T tensor.Float] interface {
	base() *Base[T]
}

// Base keeps a layer's parameters and sub-layers in the order they were
// registered. Embed it in a layer's struct; its zero value is empty.
type Base[T tensor.Float] struct {
	entries []entry[T]
}

type entry[T tensor.Float] struct {
	name    string
	p       *ag.Variable[T]
	sub     Layer[T]
	float32 bool
}

func (b *Base[T]) base() *Base[T] { return b }

func (b *Base[T]) check(name string) {
	if name == "" || strings.Contains(name, ".") {
		panic(fmt.Sprintf("layers: a parameter or sub-layer needs a name without dots, got %q", name))
	}
	for _, e := range b.entries {
		if e.name == name {
			panic(fmt.Sprintf("layers: %q is registered twice", name))
		}
	}
}

// Param registers p as the parameter name and returns it. p's Data may
// be nil until the first call of a lazily shaped layer.
func (b *Base[T]) Param(name string, p *ag.Variable[T]) *ag.Variable[T] {
	b.check(name)
	if p.Name == "" {
		p.Name = name
	}
	b.entries = append(b.entries, entry[T]{name: name, p: p})
	return p
}

// Param32 registers p as Param does and marks it as holding float32
// values inside float64 arithmetic, as DeZero's parameters are (its layers
// store float32 arrays, and numpy computes with them in float64 and rounds
// what an in-place update stores): Optimizer.Update rounds it to float32
// after each step. It matters only when T is float64.
func (b *Base[T]) Param32(name string, p *ag.Variable[T]) *ag.Variable[T] {
	b.Param(name, p)
	b.entries[len(b.entries)-1].float32 = true
	return p
}

// Add registers l as the sub-layer name and returns it.
func Add[T tensor.Float, L Layer[T]](b *Base[T], name string, l L) L {
	b.check(name)
	b.entries = append(b.entries, entry[T]{name: name, sub: l})
	return l
}

// Named is a parameter and its path.
type Named[T tensor.Float] struct {
	Path string
	V    *ag.Variable[T]
	// Float32 is set for parameters registered with Param32.
	Float32 bool
}

// NamedParams returns l's parameters and those of its sub-layers, depth
// first in the order of registration, with their paths.
func NamedParams[T tensor.Float](l Layer[T]) []Named[T] {
	var out []Named[T]
	var walk func(prefix string, b *Base[T])
	walk = func(prefix string, b *Base[T]) {
		for _, e := range b.entries {
			if e.sub != nil {
				walk(prefix+e.name+".", e.sub.base())
				continue
			}
			out = append(out, Named[T]{Path: prefix + e.name, V: e.p, Float32: e.float32})
		}
	}
	walk("", l.base())
	return out
}

// Params returns l's parameters as NamedParams orders them.
func Params[T tensor.Float](l Layer[T]) []*ag.Variable[T] {
	var out []*ag.Variable[T]
	for _, n := range NamedParams(l) {
		out = append(out, n.V)
	}
	return out
}

// ClearGrads clears the gradient of every parameter of l (DeZero's
// cleargrads) with RecycleGrad: the next Backward writes the new
// gradients into the old ones' storage where it can, so a gradient read
// before ClearGrads must be copied to be kept.
func ClearGrads[T tensor.Float](l Layer[T]) {
	for _, n := range NamedParams(l) {
		n.V.RecycleGrad()
	}
}

// Round32 rounds every element of t to the nearest float32, as numpy does
// when it stores a float64 result into a float32 array.
func Round32[T tensor.Float](t *tensor.Tensor[T]) {
	for i, v := range t.Data {
		t.Data[i] = T(float32(v))
	}
}
