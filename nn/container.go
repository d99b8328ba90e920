package nn

import (
	"github.com/kiso-go/kiso/tensor"
)

// Container is implemented by modules made of sub-modules: Sequential, and
// composite modules such as ResidualMLP whose Forward and Backward are Go
// code over their parts. Children returns the parts under their names, in
// a fixed order; the state of a network (parameters, buffers, random
// generators) is found by walking it, and each tensor is named by its path
// of child names, as PyTorch's state_dict names it: "blocks.0.attn.qkv.weight".
//
// A composite module keeps its parts in fields and calls them in its
// Forward and Backward however its computation needs (a skip connection,
// several inputs, several outputs); ResidualMLP in residual.go is the
// example. Within package nn it implements Params with a paramList over its
// children, outside it with ParamsOf; BuffersOf and model's walks find its
// children's buffers and exporters through Children. A part keeps the
// state of one Forward for its Backward, so a module that needs a part's
// computation at several places in one pass (a cell unrolled over time)
// does not call the part twice: it keeps the per-call state itself and
// sums the parameter gradients of the calls, as RNN, LSTM and GRU do in
// recurrent.go.
type Container[T tensor.Float] interface {
	Layer[T]
	Children() []Child[T]
}

var _ Container[float64] = (*Sequential[float64])(nil)

// Child is a named part of a Container.
type Child[T tensor.Float] struct {
	Name  string
	Layer Layer[T]
}

// paramList is a container's list of its children's parameters under their
// path names. The names are the container's own: a child's Params are
// copied (sharing Value and Grad, so updates and gradients are the
// child's), never renamed, so that a layer in two containers is named
// correctly in each. The list is rebuilt whenever a child or one of its
// parameters has changed, and otherwise reused without allocating.
type paramList[T tensor.Float] struct {
	src   []*Param[T] // the children's parameters the list was made from
	names []string    // child name of each child, as made
	kids  []Layer[T]
	out   []*Param[T]
	made  bool
}

// get returns the parameters of the n children that child(i) gives.
func (pl *paramList[T]) get(n int, child func(i int) (string, Layer[T])) []*Param[T] {
	if pl.made && pl.fresh(n, child) {
		return pl.out
	}
	pl.src, pl.names, pl.kids, pl.out = nil, nil, nil, nil
	for i := 0; i < n; i++ {
		name, l := child(i)
		pl.names = append(pl.names, name)
		pl.kids = append(pl.kids, l)
		for _, p := range l.Params() {
			pl.src = append(pl.src, p)
			q := *p
			q.Name = name + "." + p.Name
			pl.out = append(pl.out, &q)
		}
	}
	pl.made = true
	return pl.out
}

// fresh reports whether the list still matches the children.
func (pl *paramList[T]) fresh(n int, child func(i int) (string, Layer[T])) bool {
	if n != len(pl.kids) {
		return false
	}
	k := 0
	for i := 0; i < n; i++ {
		name, l := child(i)
		if l != pl.kids[i] || name != pl.names[i] {
			return false
		}
		for _, p := range l.Params() {
			if k >= len(pl.src) || pl.src[k] != p || pl.out[k].Value != p.Value || pl.out[k].Grad != p.Grad {
				return false
			}
			k++
		}
	}
	return k == len(pl.src)
}

// ParamsOf returns the parameters of the children, named
// "<child>.<name>": the Params of a composite module. It allocates; a
// module whose Params is called often keeps a list (see Sequential).
func ParamsOf[T tensor.Float](children []Child[T]) []*Param[T] {
	var pl paramList[T]
	return pl.get(len(children), func(i int) (string, Layer[T]) { return children[i].Name, children[i].Layer })
}
