package autograd

import (
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

// Variable is a node of a computation graph: a tensor, the gradient of the
// last Backward with respect to it, and the function that created it (nil
// for a leaf). Make leaves with New, Scalar, Const or ConstScalar; every
// operation of the package returns a new Variable.
type Variable[T tensor.Float] struct {
	// Data is the value. Operations never modify it; code that updates a
	// parameter in place (an optimizer step) writes into Data directly.
	Data *tensor.Tensor[T]
	// Grad is the gradient accumulated by Backward, nil before the first
	// and after ClearGrad. It is a Variable so that it can be
	// differentiated again (see CreateGraph).
	Grad *Variable[T]
	// Name is shown by String's callers and by graph drawings.
	Name string

	creator *Node[T]
	// spare is the storage of v's last gradient, kept by RecycleGrad for
	// the next Backward to write v's gradient into (see gradBuf).
	spare *tensor.Tensor[T]
	// acc is the Backward pass whose sum of gradients this variable holds,
	// made by that pass and shared with nothing else: the pass adds
	// further gradients into it in place (see Backward).
	acc   uint64
	gen   int32
	flags uint8
	// op is the scalar operation (opAdd...) that made this 0-dimensional
	// variable, 0 for any other: Backward computes its gradients inline.
	op uint8
}

const (
	constant uint8 = 1 << iota // wants no gradient
	noGrad                     // nothing computed from it records
	// owned marks an unrecorded gradient whose Data Backward made for it
	// alone: RecycleGrad may keep that storage for reuse.
	owned
)

// New returns a leaf variable holding t (not a copy) that wants a gradient,
// as DeZero's Variable(data).
func New[T tensor.Float](t *tensor.Tensor[T]) *Variable[T] {
	return &Variable[T]{Data: t}
}

// Named returns a leaf variable holding t with the given name.
func Named[T tensor.Float](name string, t *tensor.Tensor[T]) *Variable[T] {
	return &Variable[T]{Data: t, Name: name}
}

// Scalar returns a 0-dimensional leaf variable holding v that wants a
// gradient, as DeZero's Variable(np.array(v)).
func Scalar[T tensor.Float](v T) *Variable[T] {
	t := tensor.New[T]()
	t.Data[0] = v
	return &Variable[T]{Data: t}
}

// Const returns a leaf holding t that wants no gradient: data, targets,
// literals. Backward skips it.
func Const[T tensor.Float](t *tensor.Tensor[T]) *Variable[T] {
	return &Variable[T]{Data: t, flags: constant}
}

// ConstScalar returns a 0-dimensional constant holding v, for literals in
// formulas (1 - y², 2·x): it broadcasts against any shape.
func ConstScalar[T tensor.Float](v T) *Variable[T] {
	t := tensor.New[T]()
	t.Data[0] = v
	return &Variable[T]{Data: t, flags: constant}
}

// NoGrad returns a variable sharing v's data that records nothing: no
// operation with it among its inputs records a function, and their results
// are no-grad too. Use it for inference (model(NoGrad(x))) and wherever
// DeZero writes "with no_grad():".
func NoGrad[T tensor.Float](v *Variable[T]) *Variable[T] {
	if v.flags&noGrad != 0 {
		return v
	}
	return &Variable[T]{Data: v.Data, Name: v.Name, flags: constant | noGrad}
}

// Detach returns a leaf that shares v's data and wants a gradient of its
// own: the graph behind v is cut.
func (v *Variable[T]) Detach() *Variable[T] { return &Variable[T]{Data: v.Data, Name: v.Name} }

// Creator returns the function that made v, or nil for a leaf and for a
// result that recorded nothing.
func (v *Variable[T]) Creator() Function[T] {
	if v.creator == nil {
		return nil
	}
	return v.creator.fn
}

// Generation returns v's generation: 0 for a leaf, one more than its
// creator's generation otherwise.
func (v *Variable[T]) Generation() int { return int(v.gen) }

// RequiresGrad reports whether Backward computes a gradient for v.
func (v *Variable[T]) RequiresGrad() bool { return v.flags&constant == 0 }

// Shape returns the shape of v's data; the slice must not be modified.
func (v *Variable[T]) Shape() []int { return v.Data.Shape() }

// Rank returns the number of dimensions of v's data.
func (v *Variable[T]) Rank() int { return v.Data.Rank() }

// Len returns the number of elements of v's data.
func (v *Variable[T]) Len() int { return v.Data.Len() }

// Item returns the single element of a variable with one element. It
// panics otherwise.
func (v *Variable[T]) Item() T {
	if v.Data.Len() != 1 {
		panic("autograd: Item of a variable of shape " + shapeString(v.Shape()))
	}
	return v.Data.Data[0]
}

// ClearGrad forgets v's gradient (DeZero's cleargrad), so that the next
// Backward starts from zero instead of accumulating.
func (v *Variable[T]) ClearGrad() { v.Grad = nil }

// RecycleGrad forgets v's gradient as ClearGrad does and, when Backward
// made that gradient's storage for v alone (without CreateGraph), keeps the
// storage so that the next Backward writes v's new gradient into it where
// it can (the matrix products of MatMul and Linear overwrite it) instead of
// allocating and clearing a new one: PyTorch's zero_grad keeping its
// buffers. The old gradient must not be used after RecycleGrad; copy it
// first to keep it. layers.ClearGrads recycles every parameter's gradient,
// which a training loop reads only in the optimizer's update.
func (v *Variable[T]) RecycleGrad() {
	if g := v.Grad; g != nil && g.flags&owned != 0 {
		v.spare = g.Data
	}
	v.Grad = nil
}

// gradBuf returns storage of v's shape for a new gradient of v that the
// caller overwrites entirely: what RecycleGrad kept (its contents
// arbitrary), else a new zero tensor. Pass the result to gradOf.
func gradBuf[T tensor.Float](v *Variable[T]) *tensor.Tensor[T] {
	s := v.spare
	v.spare = nil
	if s != nil && tensor.EqualShape(s.Shape(), v.Shape()) {
		return s
	}
	return tensor.New[T](v.Shape()...)
}

// Unchain forgets v's creator, making v a leaf.
func (v *Variable[T]) Unchain() { v.creator, v.gen = nil, 0 }

// UnchainBackward unchains every variable of the graph behind v (DeZero's
// unchain_backward, used for truncated backpropagation through time): v
// keeps its value, and the memory of the functions behind it can be freed.
func (v *Variable[T]) UnchainBackward() {
	if v.creator == nil {
		return
	}
	stack := []*Node[T]{v.creator}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, x := range n.Inputs() {
			if x.creator != nil {
				stack = append(stack, x.creator)
				x.Unchain()
			}
		}
	}
}

// String formats v as DeZero prints a variable: "variable(" and numpy's
// str of the data, continuation lines indented by nine spaces, ")".
func (v *Variable[T]) String() string {
	if v == nil || v.Data == nil {
		return "variable(None)"
	}
	return "variable(" + strings.ReplaceAll(tensor.FormatNumpy(v.Data), "\n", "\n         ") + ")"
}
