package autograd

import (
	"fmt"
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

// DOT returns the Graphviz DOT text of the graph behind out, as DeZero's
// get_dot_graph writes it (step 26): variables are orange ellipses labelled
// with their names (and, when verbose, their shapes and element types),
// functions light-blue boxes labelled with their names, and an edge runs
// from each input to its function and from each function to its output.
// Functions are visited as DeZero visits them (last found, first written),
// and nodes are numbered in the order they are first written instead of by
// their addresses, so that the same graph gives the same text.
//
// The graph of a gradient made with CreateGraph is drawn the same way:
// DOT(x.Grad, false) draws the computation of the derivative (step 35).
func DOT[T tensor.Float](out *Variable[T], verbose bool) string {
	ids := map[any]int{}
	id := func(p any) int {
		if n, ok := ids[p]; ok {
			return n
		}
		ids[p] = len(ids) + 1
		return ids[p]
	}
	var b strings.Builder
	dotVar := func(v *Variable[T]) {
		name := v.Name
		if verbose {
			if name != "" {
				name += ": "
			}
			name += pyShape(v.Shape()) + " " + dtypeName[T]()
		}
		fmt.Fprintf(&b, "%d [label=%q, color=orange, style=filled]\n", id(v), name)
	}
	b.WriteString("digraph g {\n")
	var funcs []Function[T]
	seen := map[Function[T]]bool{}
	add := func(f Function[T]) {
		if !seen[f] {
			seen[f] = true
			funcs = append(funcs, f)
		}
	}
	dotVar(out)
	if out.creator != nil {
		add(out.creator.fn)
	}
	for len(funcs) > 0 {
		f := funcs[len(funcs)-1]
		funcs = funcs[:len(funcs)-1]
		n := f.AsNode()
		fmt.Fprintf(&b, "%d [label=%q, color=lightblue, style=filled, shape=box]\n", id(f), f.Name())
		for _, x := range n.Inputs() {
			fmt.Fprintf(&b, "%d -> %d\n", id(x), id(f))
		}
		fmt.Fprintf(&b, "%d -> %d\n", id(f), id(n.out))
		for _, x := range n.Inputs() {
			dotVar(x)
			if x.creator != nil {
				add(x.creator.fn)
			}
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// pyShape writes a shape as Python writes a tuple: (), (3,), (2, 3).
func pyShape(s []int) string {
	switch len(s) {
	case 0:
		return "()"
	case 1:
		return fmt.Sprintf("(%d,)", s[0])
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func dtypeName[T tensor.Float]() string {
	var z T
	if _, ok := any(z).(float32); ok {
		return "float32"
	}
	return "float64"
}
