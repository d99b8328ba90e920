package tensor

import (
	"fmt"
	"sync"
	"unsafe"
)

// AddTo sets dst = a + b elementwise and returns dst. All three must have the
// same shape; dst may be a or b. On CPUs with AVX2 it adds 32 bytes at a
// time, and from parallelAXPY elements on in chunks on Parallel.
func AddTo[T Float](dst, a, b *Tensor[T]) *Tensor[T] {
	mustSame("AddTo", a, b)
	mustSame("AddTo", dst, a)
	d, x, y := dst.Data[:len(a.Data)], a.Data, b.Data[:len(a.Data)]
	if len(d) >= parallelAXPY {
		pool := Of[T](&addPools)
		c, ok := pool.Get().(*addChunks[T])
		if !ok {
			c = new(addChunks[T])
		}
		*c = addChunks[T]{d: d, a: x, b: y, chunks: min(len(d)/(parallelAXPY/4), 4)}
		Parallel(c, c.chunks)
		*c = addChunks[T]{} // hold no slices
		pool.Put(c)
		return dst
	}
	add(d, x, y)
	return dst
}

var addPools PerType[sync.Pool]

// addChunks is an AddTo cut into chunks of whole 32-byte blocks.
type addChunks[T Float] struct {
	d, a, b []T
	chunks  int
}

func (c *addChunks[T]) RunChunk(i int) {
	n := len(c.d)
	i0, i1 := blocks8(i, n, c.chunks)
	add(c.d[i0:i1], c.a[i0:i1], c.b[i0:i1])
}

// add sets d = a + b elementwise (equal lengths).
func add[T Float](d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	done := 0
	if useSIMD && len(d) >= 8 {
		if unsafe.Sizeof(T(0)) == 4 {
			done = len(d) &^ 7
			add32(&as[float32](d)[0], &as[float32](a)[0], &as[float32](b)[0], done/8)
		} else {
			done = len(d) &^ 3
			add64(&as[float64](d)[0], &as[float64](a)[0], &as[float64](b)[0], done/4)
		}
	}
	for i := done; i < len(d); i++ {
		d[i] = a[i] + b[i]
	}
}

// SubTo sets dst = a - b elementwise and returns dst; dst may be a or b.
func SubTo[T Float](dst, a, b *Tensor[T]) *Tensor[T] {
	mustSame("SubTo", a, b)
	mustSame("SubTo", dst, a)
	for i, v := range a.Data {
		dst.Data[i] = v - b.Data[i]
	}
	return dst
}

// MulTo sets dst = a * b elementwise (the Hadamard product) and returns dst;
// dst may be a or b.
func MulTo[T Float](dst, a, b *Tensor[T]) *Tensor[T] {
	mustSame("MulTo", a, b)
	mustSame("MulTo", dst, a)
	for i, v := range a.Data {
		dst.Data[i] = v * b.Data[i]
	}
	return dst
}

// ScaleTo sets dst = alpha * a and returns dst; dst may be a.
func ScaleTo[T Float](dst *Tensor[T], alpha T, a *Tensor[T]) *Tensor[T] {
	mustSame("ScaleTo", dst, a)
	for i, v := range a.Data {
		dst.Data[i] = alpha * v
	}
	return dst
}

// AddScaled sets dst += alpha * x (BLAS axpy) and returns dst.
func AddScaled[T Float](dst *Tensor[T], alpha T, x *Tensor[T]) *Tensor[T] {
	mustSame("AddScaled", dst, x)
	d := dst.Data[:len(x.Data)]
	if len(d) >= parallelAXPY {
		// A large layer's update: its gradient was just written by the
		// team's goroutines, whose caches hold parts of it.
		if unsafe.Sizeof(alpha) == 4 {
			parallelAddScaled(&axpy32Pool, as[float32](d), float32(alpha), as[float32](x.Data))
		} else {
			parallelAddScaled(&axpy64Pool, as[float64](d), float64(alpha), as[float64](x.Data))
		}
		return dst
	}
	addScaled(d, alpha, x.Data)
	return dst
}

// parallelAXPY is the length from which AddScaled cuts its work into
// chunks for Parallel.
const parallelAXPY = 1 << 15

var (
	axpy32Pool = sync.Pool{New: func() any { return new(axpyChunks[float32]) }}
	axpy64Pool = sync.Pool{New: func() any { return new(axpyChunks[float64]) }}
)

func parallelAddScaled[E float32 | float64](pool *sync.Pool, d []E, alpha E, x []E) {
	a := pool.Get().(*axpyChunks[E])
	a.y, a.x, a.alpha = d, x, alpha
	a.chunks = min(len(d)/(parallelAXPY/4), 4)
	Parallel(a, a.chunks)
	*a = axpyChunks[E]{}
	pool.Put(a)
}

// axpyChunks is an AddScaled cut into chunks of whole 32-byte blocks.
type axpyChunks[E float32 | float64] struct {
	y, x   []E
	alpha  E
	chunks int
}

func (a *axpyChunks[E]) RunChunk(i int) {
	n := len(a.y)
	i0, i1 := blocks8(i, n, a.chunks)
	addScaled(a.y[i0:i1], a.alpha, a.x[i0:i1])
}

// addScaled sets d += alpha·x elementwise.
func addScaled[T Float](d []T, alpha T, x []T) {
	x = x[:len(d)]
	done := 0
	if useSIMD && len(d) >= 8 {
		done = axpySIMD(d, alpha, x)
	}
	for i := done; i < len(d); i++ {
		d[i] += T(alpha * x[i]) // T(): never fused into an FMA
	}
}

// axpySIMD runs the assembly kernel of AddScaled on the longest prefix of
// 32-byte blocks and returns its length in elements.
func axpySIMD[T Float](y []T, alpha T, x []T) int {
	if unsafe.Sizeof(T(0)) == 4 {
		n := len(y) &^ 7
		axpy32(&as[float32](y)[0], &as[float32](x)[0], float32(alpha), n/8)
		return n
	}
	n := len(y) &^ 3
	axpy64(&as[float64](y)[0], &as[float64](x)[0], float64(alpha), n/4)
	return n
}

// ApplyTo sets dst[i] = f(a[i]) and returns dst; dst may be a.
func ApplyTo[T Float](dst, a *Tensor[T], f func(T) T) *Tensor[T] {
	mustSame("ApplyTo", dst, a)
	for i, v := range a.Data {
		dst.Data[i] = f(v)
	}
	return dst
}

// Add returns a + b.
func Add[T Float](a, b *Tensor[T]) *Tensor[T] { return AddTo(New[T](a.shape...), a, b) }

// Sub returns a - b.
func Sub[T Float](a, b *Tensor[T]) *Tensor[T] { return SubTo(New[T](a.shape...), a, b) }

// Mul returns the elementwise product a * b.
func Mul[T Float](a, b *Tensor[T]) *Tensor[T] { return MulTo(New[T](a.shape...), a, b) }

// Scale returns alpha * a.
func Scale[T Float](alpha T, a *Tensor[T]) *Tensor[T] { return ScaleTo(New[T](a.shape...), alpha, a) }

// Apply returns f applied to every element of a.
func Apply[T Float](a *Tensor[T], f func(T) T) *Tensor[T] { return ApplyTo(New[T](a.shape...), a, f) }

// AddRowTo sets dst = a + row, the vector row broadcast over every row of a
// viewed as [Rows, Cols] (a bias added to each case of a batch), and returns
// dst; dst may be a. row must have Cols elements.
func AddRowTo[T Float](dst, a, row *Tensor[T]) *Tensor[T] {
	mustSame("AddRowTo", dst, a)
	c := a.Cols()
	if len(row.Data) != c {
		panic(fmt.Sprintf("tensor: AddRowTo: row of shape %v does not match rows of %v", row.shape, a.shape))
	}
	r := row.Data
	for i := 0; i < a.Rows(); i++ {
		src, out := a.Data[i*c:(i+1)*c], dst.Data[i*c:(i+1)*c]
		for j, v := range src {
			out[j] = v + r[j]
		}
	}
	return dst
}

// SumRowsTo sets dst to the sum of a's rows (a reduction over the batch axis,
// numpy's a.sum(axis=0)) and returns dst. dst must have Cols elements.
// Each element is summed over the rows in order from 0 (with AddScaled's
// kernel at alpha 1, whose products 1·v are exact).
func SumRowsTo[T Float](dst, a *Tensor[T]) *Tensor[T] {
	c := a.Cols()
	if len(dst.Data) != c {
		panic(fmt.Sprintf("tensor: SumRowsTo: destination %v does not match rows of %v", dst.shape, a.shape))
	}
	clear(dst.Data)
	for i := 0; i < a.Rows(); i++ {
		addScaled(dst.Data, 1, a.Data[i*c:(i+1)*c])
	}
	return dst
}

// SumRows returns the sum of a's rows as a vector of Cols elements.
func SumRows[T Float](a *Tensor[T]) *Tensor[T] { return SumRowsTo(New[T](a.Cols()), a) }

// Sum returns the sum of all elements, accumulated in order.
func Sum[T Float](a *Tensor[T]) T {
	var s T
	for _, v := range a.Data {
		s += v
	}
	return s
}

// Max returns the largest element. It panics on an empty tensor.
func Max[T Float](a *Tensor[T]) T {
	if len(a.Data) == 0 {
		panic("tensor: Max of an empty tensor")
	}
	m := a.Data[0]
	for _, v := range a.Data[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

// ArgmaxRowsTo writes the index of the largest element of each row of a
// (viewed as [Rows, Cols]) into dst, the first one on ties, and returns dst.
// dst must have Rows elements.
func ArgmaxRowsTo[T Float](dst []int, a *Tensor[T]) []int {
	if len(dst) != a.Rows() {
		panic(fmt.Sprintf("tensor: ArgmaxRowsTo: %d destinations for %d rows of %v", len(dst), a.Rows(), a.shape))
	}
	c := a.Cols()
	for i := range dst {
		row := a.Data[i*c : (i+1)*c]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		dst[i] = best
	}
	return dst
}

// ArgmaxRows returns the index of the largest element of each row of a.
func ArgmaxRows[T Float](a *Tensor[T]) []int { return ArgmaxRowsTo(make([]int, a.Rows()), a) }

// MaxAbsDiff returns the largest |a[i] - b[i]|. It panics if the shapes differ.
func MaxAbsDiff[T Float](a, b *Tensor[T]) float64 {
	mustSame("MaxAbsDiff", a, b)
	var m float64
	for i, v := range a.Data {
		d := float64(v) - float64(b.Data[i])
		if d < 0 {
			d = -d
		}
		if d > m || d != d {
			m = d
		}
	}
	return m
}
