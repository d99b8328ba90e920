package autograd

import (
	"fmt"
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

// Function is an operation recorded in a graph. A package's own operations
// and outside ones (an nn layer used inside a graph) alike are a struct that
// embeds Node and implements Name and Backward, and a Go function that
// computes the forward value and calls Apply.
type Function[T tensor.Float] interface {
	// Name is the operation's name in messages and drawings ("Mul").
	Name() string
	// Backward sets gx[i] to the gradient of the output with respect to
	// input i, given the output's gradient gy, using the package's
	// operations on Variables so that the gradient can be recorded in turn
	// (CreateGraph). gx has one slot per input, all nil on entry; a slot
	// left nil adds nothing (an input that wants no gradient, see
	// NeedsGrad). Each gx[i] must have input i's shape.
	Backward(gy *Variable[T], gx []*Variable[T])
	// AsNode returns the embedded Node.
	AsNode() *Node[T]
}

// Node is the part of a Function that the graph needs: its inputs, its
// output and its generation. Embed it in a Function's struct.
type Node[T tensor.Float] struct {
	// two holds one or two inputs (two[1] nil for one); more, when not
	// nil, holds all of three or more.
	two  [2]*Variable[T]
	more *[]*Variable[T]
	out  *Variable[T]
	fn   Function[T] // the Function embedding this Node, for Backward
	mark uint64      // the last Backward that reached this node
	gen  int32
	seq  uint32 // order of insertion during a Backward (DeZero's tie order)
}

// AsNode returns n, so that structs embedding Node satisfy Function.
func (n *Node[T]) AsNode() *Node[T] { return n }

// Inputs returns the function's inputs; the slice must not be modified.
func (n *Node[T]) Inputs() []*Variable[T] {
	if n.more != nil {
		return *n.more
	}
	if n.two[1] == nil {
		return n.two[:1]
	}
	return n.two[:]
}

// Input returns input i.
func (n *Node[T]) Input(i int) *Variable[T] { return n.Inputs()[i] }

// Output returns the variable the function made.
func (n *Node[T]) Output() *Variable[T] { return n.out }

// Generation returns the largest generation of the inputs.
func (n *Node[T]) Generation() int { return int(n.gen) }

// NeedsGrad reports whether input i wants a gradient; Backward may skip the
// work for an input that does not.
func (n *Node[T]) NeedsGrad(i int) bool { return n.Inputs()[i].flags&constant == 0 }

// Apply returns a new variable holding y, the value of f on inputs, and
// records f as its creator when one of the inputs wants a gradient and none
// is no-grad (see NoGrad). f's Node is filled in here. y must not share
// storage with an input unless f's value is a view that nothing modifies.
func Apply[T tensor.Float](f Function[T], y *tensor.Tensor[T], inputs ...*Variable[T]) *Variable[T] {
	return applyTo(f, &Variable[T]{Data: y}, inputs...)
}

// applyTo is Apply with the output variable made by the caller (with its
// Data set), so that a scalar result can share one allocation with it.
func applyTo[T tensor.Float](f Function[T], out *Variable[T], inputs ...*Variable[T]) *Variable[T] {
	flags := constant
	var gen int32
	for _, x := range inputs {
		if x.flags&noGrad != 0 {
			out.flags = constant | noGrad
			return out
		}
		flags &= x.flags
		gen = max(gen, x.gen)
	}
	if flags&constant != 0 {
		out.flags = constant
		return out
	}
	n := f.AsNode()
	if len(inputs) <= len(n.two) {
		copy(n.two[:], inputs)
	} else {
		n.more = moreInputs(inputs)
	}
	n.out = out
	n.gen = gen
	n.fn = f
	out.creator = n
	out.gen = gen + 1
	return out
}

// moreInputs returns a copy of three or more inputs, in one allocation
// for up to four.
func moreInputs[T tensor.Float](inputs []*Variable[T]) *[]*Variable[T] {
	if len(inputs) <= 4 {
		p := &struct {
			s []*Variable[T]
			a [4]*Variable[T]
		}{}
		p.s = p.a[:len(inputs)]
		copy(p.s, inputs)
		return &p.s
	}
	s := append([]*Variable[T](nil), inputs...)
	return &s
}

func shapeString(s []int) string { return fmt.Sprint(s) }

// panicf panics with "autograd: op: " and the formatted message.
func panicf(op, format string, args ...any) {
	panic("autograd: " + op + ": " + fmt.Sprintf(format, args...))
}

func shapesOf[T tensor.Float](xs ...*Variable[T]) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x.Shape())
	}
	return strings.Join(parts, " and ")
}
