// Package tensor holds kiso's dense, row-major tensors and the operations on
// them: constructors, seeded random fills, matrix products, elementwise
// operations, broadcasts of a bias row over a batch, reductions over the
// batch axis and per-row argmax.
//
// A Tensor[T] is a shape and a flat slice in row-major (C) order, generic over
// float32 and float64. Ranks 1 to 4 are used by kiso: a vector [n], a batch of
// rows [batch, features], and a batch of images [batch, channels, height,
// width].
//
// Functions whose name ends in To write into a destination that the caller
// passes, so hot loops allocate nothing; a destination may be one of the
// inputs when the doc says so. Other functions allocate their result. Inputs
// are never modified. Shape misuse is a programmer's mistake and panics with
// a message that starts with "tensor:" and names the shapes involved.
//
// Large products and elementwise passes run in chunks on Parallel, on the
// calling goroutine and on helper goroutines (up to GOMAXPROCS in all)
// that the package keeps; other packages use Parallel for their own large
// passes. Results have the same bits whatever GOMAXPROCS is.
package tensor

import (
	"fmt"
	"slices"
	"strings"
)

// Float is the element type of a tensor: float32 or float64.
type Float interface{ ~float32 | ~float64 }

// Tensor is a dense row-major tensor. Data holds the elements; its length is
// always the product of the shape. The zero Tensor is not usable: make one
// with New, FromSlice or a fill.
type Tensor[T Float] struct {
	shape []int
	// Data holds the elements in row-major order; element (i, j) of a
	// rank-2 tensor of shape [r, c] is Data[i*c+j].
	Data []T
}

// New returns a zero tensor of the given shape. It panics if a dimension is
// negative.
func New[T Float](shape ...int) *Tensor[T] {
	return &Tensor[T]{shape: cloneShape(shape), Data: make([]T, numel(shape))}
}

// FromSlice returns a tensor of the given shape that uses data as its storage
// (not a copy). With no shape, the tensor is a vector of len(data). It panics
// if len(data) is not the product of the shape.
func FromSlice[T Float](data []T, shape ...int) *Tensor[T] {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	if numel(shape) != len(data) {
		panic(fmt.Sprintf("tensor: %d elements do not fill shape %v", len(data), shape))
	}
	return &Tensor[T]{shape: cloneShape(shape), Data: data}
}

// FromRows returns a rank-2 tensor with a copy of rows, which must all have
// the same length.
func FromRows[T Float](rows [][]T) *Tensor[T] {
	if len(rows) == 0 {
		return New[T](0, 0)
	}
	c := len(rows[0])
	t := New[T](len(rows), c)
	for i, r := range rows {
		if len(r) != c {
			panic(fmt.Sprintf("tensor: row %d has %d elements, row 0 has %d", i, len(r), c))
		}
		copy(t.Data[i*c:], r)
	}
	return t
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("tensor: negative dimension in shape %v", slices.Clone(shape)))
		}
		n *= d
	}
	return n
}

func cloneShape(s []int) []int { return append(make([]int, 0, len(s)), s...) }

// Shape returns the tensor's dimensions. The slice belongs to the tensor and
// must not be modified.
func (t *Tensor[T]) Shape() []int { return t.shape }

// Rank returns the number of dimensions.
func (t *Tensor[T]) Rank() int { return len(t.shape) }

// Dim returns the size of dimension i; a negative i counts from the end.
func (t *Tensor[T]) Dim(i int) int {
	if i < 0 {
		i += len(t.shape)
	}
	if i < 0 || i >= len(t.shape) {
		panic(fmt.Sprintf("tensor: dimension %d out of range for shape %v", i, t.shape))
	}
	return t.shape[i]
}

// Len returns the number of elements.
func (t *Tensor[T]) Len() int { return len(t.Data) }

// Rows returns the size of the first dimension (the batch size), and Cols the
// number of elements in each row: the product of the other dimensions.
func (t *Tensor[T]) Rows() int {
	if len(t.shape) == 0 {
		return 1
	}
	return t.shape[0]
}

// Cols returns the number of elements per row (see Rows).
func (t *Tensor[T]) Cols() int {
	switch len(t.shape) {
	case 0:
		return 1
	case 2:
		return t.shape[1]
	}
	c := 1
	for _, d := range t.shape[1:] {
		c *= d
	}
	return c
}

// Row returns row i of the tensor viewed as [Rows, Cols], sharing storage.
func (t *Tensor[T]) Row(i int) []T {
	c := t.Cols()
	return t.Data[i*c : (i+1)*c : (i+1)*c]
}

// SameShape reports whether a and b have identical shapes.
func SameShape[T Float](a, b *Tensor[T]) bool { return EqualShape(a.shape, b.shape) }

// EqualShape reports whether two shapes are identical.
func EqualShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (t *Tensor[T]) offset(idx []int) int {
	if len(idx) != len(t.shape) {
		panic(fmt.Sprintf("tensor: %d indices for shape %v", len(idx), t.shape))
	}
	off := 0
	for k, i := range idx {
		if i < 0 || i >= t.shape[k] {
			panic(fmt.Sprintf("tensor: index %v out of range for shape %v", idx, t.shape))
		}
		off = off*t.shape[k] + i
	}
	return off
}

// At returns the element at the given indices, one per dimension.
func (t *Tensor[T]) At(idx ...int) T { return t.Data[t.offset(idx)] }

// Set stores v at the given indices, one per dimension.
func (t *Tensor[T]) Set(v T, idx ...int) { t.Data[t.offset(idx)] = v }

// Reshape returns a tensor that shares t's storage with a new shape. One
// dimension may be -1 and is then inferred. It panics if the element counts
// differ.
func (t *Tensor[T]) Reshape(shape ...int) *Tensor[T] {
	s := cloneShape(shape)
	infer, known := -1, 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panic(fmt.Sprintf("tensor: cannot reshape %v to %v", t.shape, shape))
		default:
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || len(t.Data)%known != 0 {
			panic(fmt.Sprintf("tensor: cannot reshape %v to %v", t.shape, shape))
		}
		s[infer] = len(t.Data) / known
		known *= s[infer]
	}
	if known != len(t.Data) {
		panic(fmt.Sprintf("tensor: cannot reshape %v to %v", t.shape, shape))
	}
	return &Tensor[T]{shape: s, Data: t.Data}
}

// Clone returns a deep copy of t.
func (t *Tensor[T]) Clone() *Tensor[T] {
	return &Tensor[T]{shape: cloneShape(t.shape), Data: append([]T(nil), t.Data...)}
}

// CopyFrom copies src's elements into t. It panics if the shapes differ.
func (t *Tensor[T]) CopyFrom(src *Tensor[T]) {
	mustSame("CopyFrom", t, src)
	copy(t.Data, src.Data)
}

// Zero sets every element to 0.
func (t *Tensor[T]) Zero() { clear(t.Data) }

// Fill sets every element to v.
func (t *Tensor[T]) Fill(v T) { fill(t.Data, v) }

// fill sets every element of s to v: the first by hand, the rest by
// copies of what is already set, doubling (memmove moves 32 bytes at a
// time where a loop of stores moves 4 or 8).
func fill[T Float](s []T, v T) {
	if len(s) == 0 {
		return
	}
	s[0] = v
	for k := 1; k < len(s); k *= 2 {
		copy(s[k:], s[:k])
	}
}

// Reuse returns a tensor of the given shape, reusing t's storage when its
// capacity suffices and allocating otherwise; t may be nil. The contents are
// unspecified. Layers use it to keep per-batch buffers across steps.
func Reuse[T Float](t *Tensor[T], shape ...int) *Tensor[T] {
	if t == nil {
		return New[T](shape...)
	}
	if EqualShape(t.shape, shape) {
		return t
	}
	n := numel(shape)
	if cap(t.Data) < n {
		t.Data = make([]T, n)
	}
	t.Data = t.Data[:n]
	t.shape = append(t.shape[:0], shape...)
	return t
}

// Convert returns a copy of t with elements converted to type U.
func Convert[U, T Float](t *Tensor[T]) *Tensor[U] {
	u := New[U](t.shape...)
	for i, v := range t.Data {
		u.Data[i] = U(v)
	}
	return u
}

// String formats a tensor like numpy prints an array, rows on their own lines.
func (t *Tensor[T]) String() string {
	var b strings.Builder
	var rec func(dim, off int)
	rec = func(dim, off int) {
		if len(t.shape) == 0 {
			fmt.Fprint(&b, t.Data[0])
			return
		}
		b.WriteByte('[')
		stride := 1
		for _, d := range t.shape[dim+1:] {
			stride *= d
		}
		for i := 0; i < t.shape[dim]; i++ {
			if i > 0 {
				if dim == len(t.shape)-1 {
					b.WriteByte(' ')
				} else {
					b.WriteString("\n" + strings.Repeat(" ", dim+1))
				}
			}
			if dim == len(t.shape)-1 {
				fmt.Fprintf(&b, "%.8g", float64(t.Data[off+i]))
			} else {
				rec(dim+1, off+i*stride)
			}
		}
		b.WriteByte(']')
	}
	rec(0, 0)
	return b.String()
}

func mustSame[T Float](op string, a, b *Tensor[T]) {
	if !EqualShape(a.shape, b.shape) {
		panic(fmt.Sprintf("tensor: %s: shape mismatch %v and %v", op, a.shape, b.shape))
	}
}
