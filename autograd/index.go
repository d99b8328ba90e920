package autograd

import (
	"github.com/kiso-go/kiso/tensor"
)

// Indexing is one primitive: a gather of equal blocks. The result is the
// concatenation of blocks of n contiguous elements of x starting at the
// flat offsets src; its gradient scatters (adds) the blocks back, and the
// gradient of that scatter is the gather again, to any order.

type gatherFn[T tensor.Float] struct {
	Node[T]
	src []int
	n   int
}

func gather[T tensor.Float](x *Variable[T], src []int, n int, shape []int) *Variable[T] {
	y := tensor.New[T](shape...)
	for j, s := range src {
		copy(y.Data[j*n:(j+1)*n], x.Data.Data[s:s+n])
	}
	return Apply(&gatherFn[T]{src: src, n: n}, y, x)
}

func (f *gatherFn[T]) Name() string { return "GetItem" }

func (f *gatherFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = scatter(gy, f.src, f.n, f.Inputs()[0].Shape())
}

type scatterFn[T tensor.Float] struct {
	Node[T]
	src []int
	n   int
}

// scatter returns a zero tensor of shape with block j of g added at src[j]
// (numpy's np.add.at): repeated indices add up.
func scatter[T tensor.Float](g *Variable[T], src []int, n int, shape []int) *Variable[T] {
	y := tensor.New[T](shape...)
	for j, s := range src {
		d := y.Data[s : s+n]
		for i, v := range g.Data.Data[j*n : (j+1)*n] {
			d[i] += v
		}
	}
	return Apply(&scatterFn[T]{src: src, n: n}, y, g)
}

func (f *scatterFn[T]) Name() string { return "GetItemGrad" }

func (f *scatterFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	gx[0] = gather(gy, f.src, f.n, f.Inputs()[0].Shape())
}

func inner(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Rows returns the rows of x at the given indices along its first axis,
// repeats allowed and negative indices counting from the end (numpy's
// x[idx] with an integer array): shape [len(idx), x.Shape()[1:]...]. The
// gradient adds back into every row picked (a scatter-add).
func Rows[T tensor.Float](x *Variable[T], idx ...int) *Variable[T] {
	if x.Rank() == 0 {
		panicf("GetItem", "cannot index a 0-dimensional variable with %v", idx)
	}
	s := x.Shape()
	n := inner(s[1:])
	src := make([]int, len(idx))
	for j, i := range idx {
		if i < 0 {
			i += s[0]
		}
		if i < 0 || i >= s[0] {
			panicf("GetItem", "index %d out of range for shape %v", idx[j], s)
		}
		src[j] = i * n
	}
	return gather(x, src, n, append([]int{len(idx)}, s[1:]...))
}

// Index returns x[i], the sub-array at index i of the first axis (the axis
// dropped); a negative i counts from the end.
func Index[T tensor.Float](x *Variable[T], i int) *Variable[T] {
	if x.Rank() == 0 {
		panicf("GetItem", "cannot index a 0-dimensional variable with %d", i)
	}
	return Reshape(Rows(x, i), x.Shape()[1:]...)
}

// Slice returns the elements of x with indices start <= i < stop along
// axis (numpy's x[..., start:stop, ...] with a step of 1); negative bounds
// count from the end and bounds past the ends are clipped, as in numpy.
func Slice[T tensor.Float](x *Variable[T], axis, start, stop int) *Variable[T] {
	axis = normAxis("Slice", x, axis)
	s := x.Shape()
	d := s[axis]
	start, stop = clipBound(start, d), clipBound(stop, d)
	if stop < start {
		stop = start
	}
	n := inner(s[axis+1:])
	outer := inner(s[:axis])
	src := make([]int, 0, outer)
	for o := 0; o < outer; o++ {
		src = append(src, (o*d+start)*n)
	}
	shape := append([]int(nil), s...)
	shape[axis] = stop - start
	return gather(x, src, (stop-start)*n, shape)
}

func clipBound(i, d int) int {
	if i < 0 {
		i += d
	}
	return min(max(i, 0), d)
}

// Pick returns x[arange(N), idx] for x [N, C]: element idx[i] of row i,
// as a vector [N] (how cross-entropy picks the log-probability of each
// label).
func Pick[T tensor.Float](x *Variable[T], idx []int) *Variable[T] {
	if x.Rank() != 2 || len(idx) != x.Shape()[0] {
		panicf("Pick", "needs x [N, C] and N indices, got shape %v and %d indices", x.Shape(), len(idx))
	}
	c := x.Shape()[1]
	src := make([]int, len(idx))
	for i, k := range idx {
		if k < 0 || k >= c {
			panicf("Pick", "index %d out of range for shape %v", k, x.Shape())
		}
		src[i] = i*c + k
	}
	return gather(x, src, 1, []int{len(idx)})
}

type concatFn[T tensor.Float] struct {
	Node[T]
	axis int
}

// Concat joins xs along axis; their other dimensions must agree
// (numpy's concatenate).
func Concat[T tensor.Float](axis int, xs ...*Variable[T]) *Variable[T] {
	if len(xs) == 0 {
		panic("autograd: Concat: no inputs")
	}
	axis = normAxis("Concat", xs[0], axis)
	s0 := xs[0].Shape()
	shape := append([]int(nil), s0...)
	shape[axis] = 0
	for _, x := range xs {
		s := x.Shape()
		ok := len(s) == len(s0)
		for k := 0; ok && k < len(s); k++ {
			ok = k == axis || s[k] == s0[k]
		}
		if !ok {
			panicf("Concat", "shapes %s do not fit along axis %d", shapesOf(xs...), axis)
		}
		shape[axis] += s[axis]
	}
	y := tensor.New[T](shape...)
	outer, n := inner(shape[:axis]), inner(shape[axis+1:])
	off := 0
	for _, x := range xs {
		w := x.Shape()[axis] * n
		for o := 0; o < outer; o++ {
			copy(y.Data[o*shape[axis]*n+off:], x.Data.Data[o*w:(o+1)*w])
		}
		off += w
	}
	return Apply(&concatFn[T]{axis: axis}, y, xs...)
}

func (f *concatFn[T]) Name() string { return "Concat" }

func (f *concatFn[T]) Backward(gy *Variable[T], gx []*Variable[T]) {
	start := 0
	for i, x := range f.Inputs() {
		d := x.Shape()[f.axis]
		if f.NeedsGrad(i) {
			gx[i] = Slice(gy, f.axis, start, start+d)
		}
		start += d
	}
}
