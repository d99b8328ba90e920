package tensor

import (
	"fmt"
	"slices"
)

// BinaryOp names an elementwise operation of two operands for Binary.
type BinaryOp uint8

// The operations Binary computes.
const (
	OpAdd BinaryOp = iota // a + b
	OpSub                 // a - b
	OpMul                 // a * b
	OpDiv                 // a / b
)

var opNames = [...]string{"add", "sub", "mul", "div"}

// BroadcastShape returns the shape that a and b broadcast to under numpy's
// rules: shapes are aligned at their last dimension, and each pair of
// dimensions must be equal or one of them 1. It panics naming both shapes
// when they do not broadcast.
func BroadcastShape(a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 1; i <= n; i++ {
		da, db := 1, 1
		if i <= len(a) {
			da = a[len(a)-i]
		}
		if i <= len(b) {
			db = b[len(b)-i]
		}
		switch {
		case da == db || db == 1:
			out[n-i] = da
		case da == 1:
			out[n-i] = db
		default:
			panic(fmt.Sprintf("tensor: shapes %v and %v do not broadcast", a, b))
		}
	}
	return out
}

// broadcastStrides returns the strides of a tensor of shape s read as the
// larger shape out (aligned at the last dimension): 0 where s is broadcast.
func broadcastStrides(s, out []int) []int {
	st := make([]int, len(out))
	stride := 1
	for i := 1; i <= len(s); i++ {
		d := s[len(s)-i]
		if d != 1 {
			st[len(out)-i] = stride
		}
		stride *= d
	}
	return st
}

// Binary returns op(a, b) elementwise with numpy broadcasting; the result
// has shape BroadcastShape(a, b).
func Binary[T Float](op BinaryOp, a, b *Tensor[T]) *Tensor[T] {
	var out []int
	if EqualShape(a.shape, b.shape) {
		out = a.shape
	} else {
		out = BroadcastShape(a.shape, b.shape)
	}
	return BinaryTo(New[T](out...), op, a, b)
}

// BinaryTo sets dst = op(a, b) elementwise with numpy broadcasting and
// returns dst, whose shape must be BroadcastShape(a, b). dst may be a or b
// when that operand has dst's shape.
func BinaryTo[T Float](dst *Tensor[T], op BinaryOp, a, b *Tensor[T]) *Tensor[T] {
	d, x, y := dst.Data, a.Data, b.Data
	switch {
	case EqualShape(a.shape, b.shape) && EqualShape(dst.shape, a.shape):
		binaryRun(op, d, x, 1, y, 1)
		return dst
	case len(y) == 1 && EqualShape(dst.shape, a.shape) && len(b.shape) <= len(a.shape):
		binaryRun(op, d, x, 1, y, 0)
		return dst
	case len(x) == 1 && EqualShape(dst.shape, b.shape) && len(a.shape) <= len(b.shape):
		binaryRun(op, d, x, 0, y, 1)
		return dst
	}
	out := BroadcastShape(a.shape, b.shape)
	if !EqualShape(out, dst.shape) {
		panic(fmt.Sprintf("tensor: %s: shapes %v and %v broadcast to %v, not to dst %v", opNames[op], a.shape, b.shape, out, dst.shape))
	}
	if len(d) == 0 {
		return dst
	}
	sa, sb := broadcastStrides(a.shape, out), broadcastStrides(b.shape, out)
	r := len(out) - 1
	inner := out[r]
	ia, ib := sa[r], sb[r]
	idx := make([]int, r)
	oa, ob := 0, 0
	for off := 0; off < len(d); off += inner {
		binaryRun(op, d[off:off+inner], x[oa:], ia, y[ob:], ib)
		// Advance the outer index like an odometer.
		for k := r - 1; k >= 0; k-- {
			idx[k]++
			oa += sa[k]
			ob += sb[k]
			if idx[k] < out[k] {
				break
			}
			oa -= sa[k] * out[k]
			ob -= sb[k] * out[k]
			idx[k] = 0
		}
	}
	return dst
}

// binaryRun sets d[i] = op(x[i*sx], y[i*sy]) for i < len(d); sx and sy are
// 0 or 1.
func binaryRun[T Float](op BinaryOp, d, x []T, sx int, y []T, sy int) {
	n := len(d)
	switch {
	case sx == 1 && sy == 1:
		x, y = x[:n], y[:n]
		switch op {
		case OpAdd:
			for i := range d {
				d[i] = x[i] + y[i]
			}
		case OpSub:
			for i := range d {
				d[i] = x[i] - y[i]
			}
		case OpMul:
			for i := range d {
				d[i] = x[i] * y[i]
			}
		case OpDiv:
			for i := range d {
				d[i] = x[i] / y[i]
			}
		}
	case sx == 1:
		x = x[:n]
		c := y[0]
		switch op {
		case OpAdd:
			for i := range d {
				d[i] = x[i] + c
			}
		case OpSub:
			for i := range d {
				d[i] = x[i] - c
			}
		case OpMul:
			for i := range d {
				d[i] = x[i] * c
			}
		case OpDiv:
			for i := range d {
				d[i] = x[i] / c
			}
		}
	case sy == 1:
		y = y[:n]
		c := x[0]
		switch op {
		case OpAdd:
			for i := range d {
				d[i] = c + y[i]
			}
		case OpSub:
			for i := range d {
				d[i] = c - y[i]
			}
		case OpMul:
			for i := range d {
				d[i] = c * y[i]
			}
		case OpDiv:
			for i := range d {
				d[i] = c / y[i]
			}
		}
	default:
		var v T
		switch op {
		case OpAdd:
			v = x[0] + y[0]
		case OpSub:
			v = x[0] - y[0]
		case OpMul:
			v = x[0] * y[0]
		case OpDiv:
			v = x[0] / y[0]
		}
		for i := range d {
			d[i] = v
		}
	}
}

// BroadcastTo returns a new tensor of the given shape holding t repeated
// along its broadcast dimensions (numpy's broadcast_to, copied). It panics if
// t's shape does not broadcast to shape.
func BroadcastTo[T Float](t *Tensor[T], shape ...int) *Tensor[T] {
	if !canBroadcastTo(t.shape, shape) {
		panic(fmt.Sprintf("tensor: cannot broadcast %v to %v", t.shape, shape))
	}
	dst := New[T](shape...)
	if len(t.Data) == 1 {
		dst.Fill(t.Data[0])
		return dst
	}
	if len(dst.Data) == 0 {
		return dst
	}
	st := broadcastStrides(t.shape, shape)
	r := len(shape) - 1
	inner, is := shape[r], st[r]
	idx := make([]int, r)
	o := 0
	for off := 0; off < len(dst.Data); off += inner {
		run := dst.Data[off : off+inner]
		if is == 1 {
			copy(run, t.Data[o:o+inner])
		} else {
			v := t.Data[o]
			for i := range run {
				run[i] = v
			}
		}
		for k := r - 1; k >= 0; k-- {
			idx[k]++
			o += st[k]
			if idx[k] < shape[k] {
				break
			}
			o -= st[k] * shape[k]
			idx[k] = 0
		}
	}
	return dst
}

func canBroadcastTo(s, shape []int) bool {
	if len(s) > len(shape) {
		return false
	}
	for i := 1; i <= len(s); i++ {
		if d := s[len(s)-i]; d != 1 && d != shape[len(shape)-i] {
			return false
		}
	}
	return true
}

// SumTo returns t summed over the dimensions that broadcasting shape to t's
// shape would repeat (numpy's sum over those axes, kept to shape): the
// gradient of a broadcast. It panics if shape does not broadcast to t's shape.
func SumTo[T Float](t *Tensor[T], shape ...int) *Tensor[T] {
	if !canBroadcastTo(shape, t.shape) {
		panic(fmt.Sprintf("tensor: cannot sum %v to %v", t.shape, shape))
	}
	dst := New[T](shape...)
	if EqualShape(shape, t.shape) {
		copy(dst.Data, t.Data)
		return dst
	}
	if len(dst.Data) == 1 {
		dst.Data[0] = PairwiseSum(t.Data)
		return dst
	}
	if len(t.Data) == 0 {
		return dst
	}
	out := t.shape
	st := broadcastStrides(shape, out)
	r := len(out) - 1
	inner, is := out[r], st[r]
	idx := make([]int, r)
	o := 0
	d, x := dst.Data, t.Data
	for off := 0; off < len(x); off += inner {
		run := x[off : off+inner]
		if is == 1 {
			dd := d[o : o+inner]
			for i, v := range run {
				dd[i] += v
			}
		} else {
			d[o] += PairwiseSum(run)
		}
		for k := r - 1; k >= 0; k-- {
			idx[k]++
			o += st[k]
			if idx[k] < out[k] {
				break
			}
			o -= st[k] * out[k]
			idx[k] = 0
		}
	}
	return dst
}

// Transpose returns a new tensor with t's axes permuted: axis i of the
// result is axis axes[i] of t (numpy's transpose). With no axes the order is
// reversed. It panics unless axes is a permutation of t's dimensions.
func Transpose[T Float](t *Tensor[T], axes ...int) *Tensor[T] {
	n := len(t.shape)
	if len(axes) == 0 {
		axes = make([]int, n)
		for i := range axes {
			axes[i] = n - 1 - i
		}
	}
	if !isPerm(axes, n) {
		panic(fmt.Sprintf("tensor: axes %v are not a permutation for shape %v", axes, t.shape))
	}
	shape := make([]int, n)
	for i, a := range axes {
		shape[i] = t.shape[a]
	}
	dst := New[T](shape...)
	if n == 2 && axes[0] == 1 {
		r, c := t.shape[0], t.shape[1]
		for i := 0; i < r; i++ {
			row := t.Data[i*c : (i+1)*c]
			for j, v := range row {
				dst.Data[j*r+i] = v
			}
		}
		return dst
	}
	if n == 0 || len(dst.Data) == 0 {
		copy(dst.Data, t.Data)
		return dst
	}
	src := make([]int, n) // t's strides
	s := 1
	for i := n - 1; i >= 0; i-- {
		src[i] = s
		s *= t.shape[i]
	}
	st := make([]int, n) // strides of t read in dst's order
	for i, a := range axes {
		st[i] = src[a]
	}
	idx := make([]int, n)
	o := 0
	r := n - 1
	for off := 0; off < len(dst.Data); off += shape[r] {
		run := dst.Data[off : off+shape[r]]
		p, step := o, st[r]
		for i := range run {
			run[i] = t.Data[p]
			p += step
		}
		for k := r - 1; k >= 0; k-- {
			idx[k]++
			o += st[k]
			if idx[k] < shape[k] {
				break
			}
			o -= st[k] * shape[k]
			idx[k] = 0
		}
	}
	return dst
}

func isPerm(axes []int, n int) bool {
	if len(axes) != n {
		return false
	}
	seen := make([]bool, n)
	for _, a := range axes {
		if a < 0 || a >= n || seen[a] {
			return false
		}
		seen[a] = true
	}
	return true
}

// InversePerm returns the permutation that undoes axes.
func InversePerm(axes []int) []int {
	inv := make([]int, len(axes))
	for i, a := range axes {
		inv[a] = i
	}
	return inv
}

// ReducedShape returns shape with the given axes removed, or set to 1 when
// keepdims is true; negative axes count from the end, and no axes means all.
// It panics on an axis out of range or repeated.
func ReducedShape(shape []int, axes []int, keepdims bool) []int {
	red := reduceMask(shape, axes)
	out := make([]int, 0, len(shape))
	for i, d := range shape {
		switch {
		case !red[i]:
			out = append(out, d)
		case keepdims:
			out = append(out, 1)
		}
	}
	return out
}

func reduceMask(shape []int, axes []int) []bool {
	red := make([]bool, len(shape))
	if len(axes) == 0 {
		for i := range red {
			red[i] = true
		}
		return red
	}
	for _, a := range axes {
		if a < 0 {
			a += len(shape)
		}
		if a < 0 || a >= len(shape) || red[a] {
			panic(fmt.Sprintf("tensor: axes %v out of range or repeated for shape %v", axes, slices.Clone(shape)))
		}
		red[a] = true
	}
	return red
}

// SumAxes returns t summed over the given axes (all with none), keeping
// them as dimensions of size 1 when keepdims is set (numpy's sum).
func SumAxes[T Float](t *Tensor[T], keepdims bool, axes ...int) *Tensor[T] {
	kept := ReducedShape(t.shape, axes, true)
	s := SumTo(t, kept...)
	if keepdims {
		return s
	}
	return s.Reshape(ReducedShape(t.shape, axes, false)...)
}

// MaxAxes returns the largest element of t over the given axes (all with
// none), keeping them as dimensions of size 1 when keepdims is set (numpy's
// max), or the smallest when min is set. A NaN wins, as in numpy. It panics
// when a reduced axis is empty.
func MaxAxes[T Float](t *Tensor[T], min, keepdims bool, axes ...int) *Tensor[T] {
	kept := ReducedShape(t.shape, axes, true)
	if len(t.Data) == 0 {
		panic(fmt.Sprintf("tensor: max of an empty tensor %v", t.shape))
	}
	dst := New[T](kept...)
	first := make([]bool, len(dst.Data))
	st := broadcastStrides(kept, t.shape)
	n := len(t.shape)
	idx := make([]int, n)
	o := 0
	for _, v := range t.Data {
		cur := dst.Data[o]
		switch {
		case !first[o]:
			dst.Data[o], first[o] = v, true
		case cur != cur: // NaN stays
		case v != v || (!min && v > cur) || (min && v < cur):
			dst.Data[o] = v
		}
		for k := n - 1; k >= 0; k-- {
			idx[k]++
			o += st[k]
			if idx[k] < t.shape[k] {
				break
			}
			o -= st[k] * t.shape[k]
			idx[k] = 0
		}
	}
	if keepdims {
		return dst
	}
	return dst.Reshape(ReducedShape(t.shape, axes, false)...)
}

// PairwiseSum returns the sum of x added as numpy adds a contiguous run:
// runs shorter than 8 in order, up to 128 in eight interleaved partial
// sums, longer ones split in two halves (a multiple of 8 first) summed
// recursively. Sums of broadcast gradients match numpy's bits this way.
func PairwiseSum[T Float](x []T) T {
	n := len(x)
	switch {
	case n < 8:
		var s T
		for _, v := range x {
			s += v
		}
		return s
	case n <= 128:
		var r [8]T
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := range r {
				r[k] += x[i+k]
			}
		}
		s := (r[0] + r[1]) + (r[2] + r[3]) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += x[i]
		}
		return s
	}
	h := n / 2
	h -= h % 8
	return PairwiseSum(x[:h]) + PairwiseSum(x[h:])
}
