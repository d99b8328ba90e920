package model

import (
	"fmt"
	"slices"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// slot is one tensor of a network's state: a parameter or a buffer, under
// its state_dict name. A transposed slot is a Linear weight, held [in, out]
// by kiso and [out, in] by model files.
type slot[T tensor.Float] struct {
	name       string
	value      *tensor.Tensor[T]
	transposed bool
}

// fileShape returns the slot's shape as model files store it.
func (s slot[T]) fileShape() []int {
	shape := slices.Clone(s.value.Shape())
	if s.transposed {
		slices.Reverse(shape)
	}
	return shape
}

// state returns the parameters of net, then its buffers, in the order
// Params and nn.BuffersOf give them.
func state[T tensor.Float](net *nn.Sequential[T]) []slot[T] {
	var out []slot[T]
	for _, p := range net.Params() {
		out = append(out, slot[T]{p.Name, p.Value, p.Transposed})
	}
	for _, b := range nn.BuffersOf[T](net) {
		out = append(out, slot[T]{b.Name, b.Value, false})
	}
	return out
}

// walk calls f with every layer of l and its path of child names ("3",
// "1.fc1"), parents before children; l itself has path prefix.
func walk[T tensor.Float](prefix string, l nn.Layer[T], f func(path string, l nn.Layer[T])) {
	f(prefix, l)
	if c, ok := l.(nn.Container[T]); ok {
		for _, ch := range c.Children() {
			p := ch.Name
			if prefix != "" {
				p = prefix + "." + ch.Name
			}
			walk(p, ch.Layer, f)
		}
	}
}

// encodeState returns the state of net as safetensors tensors of dtype
// DType[T](), Linear weights transposed to [out, in].
func encodeState[T tensor.Float](net *nn.Sequential[T]) []Named {
	var out []Named
	for _, s := range state(net) {
		v := s.value
		if s.transposed {
			v = transpose(v)
		}
		out = append(out, FromTensor(s.name, v))
	}
	return out
}

// restore checks that tensors are exactly the state of net, by name and
// file shape, and if fill is set copies their values into net, converting
// from the file's dtype to T. Its errors name the first tensor that is
// missing, has the wrong shape or dtype, or is not part of net.
func restore[T tensor.Float](net *nn.Sequential[T], tensors []Named, fill bool) error {
	byName := make(map[string]Named, len(tensors))
	for _, t := range tensors {
		byName[t.Name] = t
	}
	for _, s := range state(net) {
		t, ok := byName[s.name]
		if !ok {
			return fmt.Errorf("missing tensor %q of shape %v", s.name, s.fileShape())
		}
		delete(byName, s.name)
		if want := s.fileShape(); !slices.Equal(t.Shape, want) {
			return fmt.Errorf("tensor %q has shape %v but the architecture wants %v", s.name, t.Shape, want)
		}
		if !fill {
			continue
		}
		v, err := ToTensor[T](t)
		if err != nil {
			return err
		}
		if s.transposed {
			v = transpose(v)
		}
		s.value.CopyFrom(v)
	}
	for _, t := range tensors {
		if _, extra := byName[t.Name]; extra {
			return fmt.Errorf("unexpected tensor %q: the architecture has no parameter or buffer of that name", t.Name)
		}
	}
	return nil
}

// transpose returns the transpose of a rank-2 tensor.
func transpose[T tensor.Float](a *tensor.Tensor[T]) *tensor.Tensor[T] {
	r, c := a.Dim(0), a.Dim(1)
	t := tensor.New[T](c, r)
	for i := range r {
		for j, v := range a.Data[i*c : (i+1)*c] {
			t.Data[j*r+i] = v
		}
	}
	return t
}
