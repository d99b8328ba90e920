package autograd

import (
	"slices"
	"sync/atomic"

	"github.com/kiso-go/kiso/tensor"
)

// BackwardOption changes what Backward keeps and records.
type BackwardOption uint8

const (
	// RetainGrad keeps the gradients of intermediate variables; without
	// it only leaves keep theirs (DeZero's retain_grad).
	RetainGrad BackwardOption = 1 << iota
	// CreateGraph records the computation of the gradients, so that they
	// can be differentiated in turn (DeZero's create_graph).
	CreateGraph
)

// pass numbers the Backward calls, so that a node knows whether the current
// pass has reached it without a set.
var pass atomic.Uint64

// Backward computes the gradient of v with respect to every variable of the
// graph behind it that wants one and adds it to that variable's Grad (the
// gradients of several Backward calls accumulate until ClearGrad). When v's
// Grad is nil it starts from ones of v's shape, as DeZero does. Functions
// are visited from the highest generation down, so that each receives its
// whole output gradient before running; ties go as in DeZero (the latest
// reached first), so sums happen in the same order.
func (v *Variable[T]) Backward(opts ...BackwardOption) {
	var o BackwardOption
	for _, x := range opts {
		o |= x
	}
	create := o&CreateGraph != 0
	if v.Grad == nil {
		ones := tensor.New[T](v.Shape()...)
		ones.Fill(1)
		v.Grad = &Variable[T]{Data: ones}
		if !create {
			v.Grad.flags = constant | noGrad
		}
	}
	if v.creator == nil {
		return
	}
	id := pass.Add(1)
	h := &fnHeap[T]{}
	var seq uint32
	push := func(n *Node[T]) {
		if n.mark == id {
			return
		}
		n.mark = id
		seq++
		n.seq = seq
		h.push(n)
	}
	push(v.creator)
	retain := o&RetainGrad != 0
	var gx []*Variable[T]
	for len(h.fs) > 0 {
		n := h.pop()
		gy := n.out.Grad
		if gy == nil {
			continue // the output's gradient was cleared meanwhile
		}
		if n.out.op != 0 && !create {
			scalarBackward(n, gy, id, retain, push)
			continue
		}
		f := n.fn
		// Every gradient of n.out has arrived; from here on gy may be
		// handed on (as an input's gradient), so nothing adds into it.
		gy.acc = 0
		if !create && gy.flags&noGrad == 0 {
			gy = NoGrad(gy)
		}
		in := n.Inputs()
		if cap(gx) < len(in) {
			gx = make([]*Variable[T], len(in))
		} else {
			gx = gx[:len(in)]
			clear(gx)
		}
		f.Backward(gy, gx)
		for i, x := range in {
			g := gx[i]
			if g == nil || x.flags&constant != 0 {
				continue
			}
			if !tensor.EqualShape(g.Shape(), x.Shape()) {
				panicf(f.Name(), "backward made a gradient of shape %v for input %d of shape %v", g.Shape(), i, x.Shape())
			}
			if g.flags&owned != 0 && (g == gy || slices.Contains(gx[:i], g)) {
				// Passed on, or given to two inputs: no longer one
				// variable's alone (see RecycleGrad).
				g.flags &^= owned
			}
			switch {
			case x.Grad == nil:
				x.Grad = g
			case x.Grad.acc == id:
				// A sum this pass made: add in place.
				d := x.Grad.Data.Data
				for j, v := range g.Data.Data {
					d[j] += v
				}
			default:
				x.Grad = Add(x.Grad, g)
				if !create {
					x.Grad.acc = id
				}
			}
			if x.creator != nil {
				push(x.creator)
			}
		}
		if !retain {
			n.out.Grad = nil
		}
	}
}

// scalarBackward is Backward's step through a scalar Add, Sub or Mul when
// no graph of the gradients is recorded: the two input gradients are
// computed as numbers, with the same operations (so the same bits) as the
// functions' Backward methods, and summed into the inputs' gradients
// without making variables where it can. The output's gradient gy, when
// this pass made it and nothing else holds it (acc == id) and it is not to
// be retained, becomes the gradient of the first input that has none.
func scalarBackward[T tensor.Float](n *Node[T], gy *Variable[T], id uint64, retain bool, push func(*Node[T])) {
	a, b := n.two[0], n.two[1]
	g := gy.Data.Data[0]
	var g0, g1 T
	switch n.out.op {
	case opAdd:
		g0, g1 = g, g
	case opSub:
		g0, g1 = g, -g
	default: // opMul
		g0, g1 = g*b.Data.Data[0], g*a.Data.Data[0]
	}
	var free *Variable[T]
	if !retain {
		if gy.acc == id {
			free = gy
		}
		n.out.Grad = nil
	}
	gy.acc = 0
	for i, x := range n.two {
		if x.flags&constant != 0 {
			continue
		}
		gi := g0
		if i == 1 {
			gi = g1
		}
		switch {
		case x.Grad == nil:
			if free != nil {
				free.Data.Data[0] = gi
				free.acc = id
				x.Grad, free = free, nil
			} else {
				x.Grad = scalarGrad(gi, id)
			}
		case x.Grad.acc == id:
			x.Grad.Data.Data[0] += gi
		default:
			x.Grad = scalarGrad(x.Grad.Data.Data[0]+gi, id)
		}
		if x.creator != nil {
			push(x.creator)
		}
	}
}

// fnHeap is a max-heap of functions' nodes by (generation, insertion
// order).
type fnHeap[T tensor.Float] struct{ fs []*Node[T] }

func less[T tensor.Float](na, nb *Node[T]) bool {
	if na.gen != nb.gen {
		return na.gen < nb.gen
	}
	return na.seq < nb.seq
}

func (h *fnHeap[T]) push(f *Node[T]) {
	h.fs = append(h.fs, f)
	i := len(h.fs) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(h.fs[p], h.fs[i]) {
			break
		}
		h.fs[p], h.fs[i] = h.fs[i], h.fs[p]
		i = p
	}
}

func (h *fnHeap[T]) pop() *Node[T] {
	top := h.fs[0]
	last := len(h.fs) - 1
	h.fs[0] = h.fs[last]
	h.fs[last] = nil
	h.fs = h.fs[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && less(h.fs[m], h.fs[l]) {
			m = l
		}
		if r < last && less(h.fs[m], h.fs[r]) {
			m = r
		}
		if m == i {
			return top
		}
		h.fs[i], h.fs[m] = h.fs[m], h.fs[i]
		i = m
	}
}
