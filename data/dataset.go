// Package data holds datasets and batching: the XOR cases, toy 2-D sets,
// CSV files and MNIST (IDX readers over io.Reader; fetching kept apart from
// parsing).
//
// A [Set] holds inputs X and targets Y with the case as first dimension;
// class targets are always indices, and [OneHot] turns them into one-hot
// rows. [Split] divides a set, [FitStandardizer] scales its features, and a
// [Loader] cuts it into shuffled minibatches whose buffers are reused from
// step to step. The sets come from [XOR], [Toy], [ReadCSV] and [LoadMNIST];
// [FetchMNIST] (in fetch.go, the only file that touches the network) puts
// the MNIST files into a local cache first.
package data

import (
	"fmt"
	"math"
	"sync"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Set is an in-memory dataset.
//
// X holds the inputs with the case as first dimension: [n, features] for
// tabular data, [n, 1, 28, 28] for images. Y holds the targets: for
// classification (Classes > 0) a vector [n] of class indices 0..Classes-1
// stored as T; for regression (Classes == 0) a matrix [n, outputs].
//
// A set of images may keep its inputs as bytes instead (XBytes, X nil):
// Len, InputShape, Check, GatherTo, Subset and a Loader serve it alike,
// converting each batch as they gather it.
type Set[T tensor.Float] struct {
	X, Y *tensor.Tensor[T]
	// XBytes, when X is nil, holds the inputs as bytes (MNISTOptions.Bytes).
	XBytes  *ByteInputs
	Classes int
	// ClassNames, if set, names each class index (CSV labels given as
	// strings); FeatureNames names the columns of X for tabular data.
	ClassNames   []string
	FeatureNames []string
}

// ByteInputs holds a set's inputs as unsigned bytes, one per value, in the
// row-major layout X would have: MNIST's 60,000 training images take 47 MB
// instead of 188 MB as float32. Byte b stands for the value T(b), or
// T(b)/255 computed in T when Div255 is set: the values LoadMNIST stores
// in X otherwise, bit for bit.
type ByteInputs struct {
	Data   []uint8
	Shape  []int // [n, the dimensions of one case...]
	Div255 bool
}

// div returns the divisor of b's bytes for tensor.BytesTo: Byte b stands
// for T(b)/div.
func (b *ByteInputs) div() float64 {
	if b.Div255 {
		return 255
	}
	return 1
}

// Len returns the number of cases.
func (s *Set[T]) Len() int {
	if s.X == nil && s.XBytes != nil {
		return s.XBytes.Shape[0]
	}
	return s.X.Rows()
}

// InputShape returns the shape of one case's input (X's shape without its
// first dimension), whether X or XBytes holds the inputs. The slice belongs
// to the set.
func (s *Set[T]) InputShape() []int {
	if s.X == nil && s.XBytes != nil {
		return s.XBytes.Shape[1:]
	}
	return s.X.Shape()[1:]
}

// Check verifies that X and Y hold the same number of cases and that every
// class index is an integer in range; it returns an error naming the first
// problem.
func (s *Set[T]) Check() error {
	if s.Len() != s.Y.Rows() {
		return fmt.Errorf("%d inputs but %d targets", s.Len(), s.Y.Rows())
	}
	if s.Classes > 0 {
		if s.Y.Rank() != 1 {
			return fmt.Errorf("class targets must be a vector, got shape %v", s.Y.Shape())
		}
		for i, v := range s.Y.Data {
			if v != T(int(v)) || v < 0 || int(v) >= s.Classes {
				return fmt.Errorf("case %d: label %v out of range [0, %d)", i, v, s.Classes)
			}
		}
	}
	return nil
}

// Subset returns a new set holding copies of the cases idx, in that order
// (an index may repeat). Classes, ClassNames and FeatureNames are carried
// over. The copy holds its inputs in X, converted from XBytes if need be.
// It panics if an index is out of range.
func (s *Set[T]) Subset(idx []int) *Set[T] {
	x, y := s.GatherTo(nil, nil, idx)
	return &Set[T]{X: x, Y: y, Classes: s.Classes, ClassNames: s.ClassNames, FeatureNames: s.FeatureNames}
}

// GatherTo copies the cases idx, in that order, into xdst and ydst and
// returns them: x has shape [len(idx), X's other dimensions...] and y
// [len(idx), Y's other dimensions...]. The destinations are resized with
// tensor.Reuse, so their storage is reused whenever it is large enough and
// a loop over same-sized batches allocates nothing; either may be nil.
// Inputs held as bytes (XBytes) are converted to T as they are copied. It
// panics if an index is out of range.
func (s *Set[T]) GatherTo(xdst, ydst *tensor.Tensor[T], idx []int) (x, y *tensor.Tensor[T]) {
	n := s.Len()
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("data: GatherTo: index %d out of range [0, %d)", i, n))
		}
	}
	if s.X == nil && s.XBytes != nil {
		return gatherBytesTo(xdst, s.XBytes, idx), gatherTo(ydst, s.Y, idx)
	}
	return gatherTo(xdst, s.X, idx), gatherTo(ydst, s.Y, idx)
}

// gatherBytesTo converts rows idx of src into dst, resized to
// [len(idx), ...], through tensor.BytesTo.
func gatherBytesTo[T tensor.Float](dst *tensor.Tensor[T], src *ByteInputs, idx []int) *tensor.Tensor[T] {
	var buf [8]int // room for the shape without a heap allocation
	shape := append(append(buf[:0], len(idx)), src.Shape[1:]...)
	dst = tensor.Reuse(dst, shape...)
	c := 1
	for _, d := range src.Shape[1:] {
		c *= d
	}
	g, _ := tensor.Of[T](&byteGatherPools).Get().(*byteGather[T])
	if g == nil {
		g = new(byteGather[T])
	}
	g.div = T(src.div())
	g.dst, g.src, g.idx, g.row = dst.Data, src.Data, idx, c
	// Two cores convert a batch of MNIST images (78 KB of bytes read from
	// rows scattered over 47 MB, 313 KB of float32 written) faster than one.
	if g.chunks = 1; len(idx) >= 2 && len(idx)*c*tensor.Size[T]() >= gatherSplit {
		g.chunks = min(len(idx), gatherChunks)
	}
	if g.chunks == 1 {
		g.RunChunk(0)
	} else {
		tensor.Parallel(g, g.chunks)
	}
	g.dst, g.src, g.idx = nil, nil, nil
	tensor.Of[T](&byteGatherPools).Put(g)
	return dst
}

// byteGather is a gatherBytesTo cut into chunks for tensor.Parallel.
type byteGather[T tensor.Float] struct {
	div         T
	touched     [gatherChunks]uint8 // keeps each chunk's reads of its rows (touchRows)
	dst         []T
	src         []uint8
	idx         []int
	row, chunks int
}

// byteGatherPools holds the pool of byteGather[T] of each element type.
var byteGatherPools tensor.PerType[sync.Pool]

// RunChunk converts the rows of chunk i.
func (g *byteGather[T]) RunChunk(i int) {
	k0, k1 := i*len(g.idx)/g.chunks, (i+1)*len(g.idx)/g.chunks
	r := g.row
	g.touched[i] = touchRows(g.src, g.idx[k0:k1], r)
	for k := k0; k < k1; k++ {
		j := g.idx[k]
		tensor.BytesTo(g.dst[k*r:(k+1)*r], g.src[j*r:(j+1)*r], g.div)
	}
}

// gatherTo copies rows idx of src into dst, resized to [len(idx), ...].
func gatherTo[T tensor.Float](dst, src *tensor.Tensor[T], idx []int) *tensor.Tensor[T] {
	var buf [8]int // room for the shape without a heap allocation
	shape := append(append(buf[:0], len(idx)), src.Shape()[1:]...)
	dst = tensor.Reuse(dst, shape...)
	c := src.Cols()
	if bytes := len(idx) * c * tensor.Size[T](); bytes < gatherSplit || len(idx) < 2 {
		for k, i := range idx {
			copy(dst.Data[k*c:(k+1)*c], src.Data[i*c:(i+1)*c])
		}
		return dst
	}
	// A batch of MNIST images (300 KB, rows scattered over 180 MB) copies
	// faster from two cores than from one.
	g := gatherPool.Get().(*gather)
	g.dst, g.src, g.idx = tensor.Bytes(dst.Data), tensor.Bytes(src.Data), idx
	g.row, g.chunks = c*tensor.Size[T](), min(len(idx), gatherChunks)
	tensor.Parallel(g, g.chunks)
	*g = gather{}
	gatherPool.Put(g)
	return dst
}

// gatherChunks is the most chunks a gather is cut into.
const gatherChunks = 4

// gatherSplit is the size in bytes of a gather from which gatherTo cuts it
// into chunks for tensor.Parallel.
const gatherSplit = 1 << 17

// gather is a gatherTo of rows of row bytes, cut into chunks for
// tensor.Parallel.
type gather struct {
	dst, src    []byte
	idx         []int
	row, chunks int
}

var gatherPool = sync.Pool{New: func() any { return new(gather) }}

// RunChunk copies the rows of chunk i.
func (g *gather) RunChunk(i int) {
	k0, k1 := i*len(g.idx)/g.chunks, (i+1)*len(g.idx)/g.chunks
	r := g.row
	for k := k0; k < k1; k++ {
		j := g.idx[k]
		copy(g.dst[k*r:(k+1)*r], g.src[j*r:(j+1)*r])
	}
}

// touchRows reads one byte of each 64-byte cache line of rows idx of src
// (rows of r bytes) and returns their OR, for the caller to keep. A batch's
// rows lie scattered over a set larger than the caches (MNIST: 47 MB as
// bytes, 188 MB as float32); loads that do not wait for each other bring
// their lines from memory at once, where copying row after row waits for
// each row's lines in turn. BenchmarkLoaderNextBytes (rows of 784 bytes),
// 15 pairs: 0.049 ms a batch against 0.078 without on one core, 0.037
// against 0.049 on two. Not for rows of float32 (BenchmarkLoaderNext, rows
// of 3136 bytes): copy streams them, and reading them first made it 8%
// slower.
func touchRows(src []uint8, idx []int, r int) uint8 {
	var t uint8
	for _, j := range idx {
		row := src[j*r:][:r]
		for q := 0; q < len(row); q += 64 {
			t |= row[q]
		}
	}
	return t
}

// Split shuffles the cases of s with r and divides them into a training
// and a test set, as scikit-learn's train_test_split does: the test set
// takes the first round(testFrac·n) cases of the permutation r.Perm(n) and
// the training set the rest, both in permuted order. The same generator
// state gives the same split. It panics unless 0 <= testFrac <= 1.
func Split[T tensor.Float](s *Set[T], testFrac float64, r *rng.MT) (train, test *Set[T]) {
	if !(testFrac >= 0 && testFrac <= 1) {
		panic(fmt.Sprintf("data: Split: test fraction %v outside [0, 1]", testFrac))
	}
	n := s.Len()
	nTest := int(math.Round(testFrac * float64(n)))
	perm := r.Perm(n)
	return s.Subset(perm[nTest:]), s.Subset(perm[:nTest])
}
