package data

import (
	"fmt"
	"iter"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Loader cuts a Set into minibatches, epoch after epoch, as PyTorch's
// DataLoader does. Each epoch visits every case once; with a generator the
// order of each epoch is a fresh permutation drawn at its start, the one
// r.Perm(n) would return (Fisher-Yates through rng.MT.Shuffle), so the same
// seed gives the same batches. The last
// batch of an epoch holds the remaining cases and may be smaller than the
// batch size, unless DropLast is set.
//
// The batch tensors are owned by the Loader and reused: a batch stays valid
// only until the next call to Next or the next step of Epoch, and once the
// buffers have reached full size no batch allocates. A Loader is not safe
// for concurrent use.
type Loader[T tensor.Float] struct {
	// DropLast skips the last batch of an epoch when it would be smaller
	// than the batch size. Set it before the first batch.
	DropLast bool
	// FoldLone puts a last case that would make a batch of its own into
	// the batch before it, which then holds BatchSize+1 cases, when the
	// batch size is more than 1. Batch normalization cannot train on a
	// batch of one case (it has no variance); kiso train sets it. Set it
	// before the first batch; DropLast takes precedence.
	FoldLone bool
	// Numpy draws each epoch's order as numpy's np.random.permutation does
	// (rng.MT.Permutation), as DeZero's DataLoader shuffles, instead of
	// with Python's random.shuffle. Set it before the first batch.
	Numpy bool

	set    *Set[T]
	size   int
	r      *rng.MT
	order  []int // case order of the current epoch
	pos    int   // first case of the next batch in order
	cur    []int // the current batch's cases, a window of order
	epochs int
	x, y   *tensor.Tensor[T]
}

// NewLoader returns a loader over s giving batches of batchSize cases. With
// r non-nil every epoch is shuffled with r; with r nil the cases come in
// the set's order. The loader draws from r only when an epoch starts. It
// panics if batchSize < 1 or s is empty.
func NewLoader[T tensor.Float](s *Set[T], batchSize int, r *rng.MT) *Loader[T] {
	if batchSize < 1 {
		panic(fmt.Sprintf("data: NewLoader: batch size %d", batchSize))
	}
	n := s.Len()
	if n == 0 {
		panic("data: NewLoader: empty set")
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return &Loader[T]{set: s, size: batchSize, r: r, order: order, pos: n}
}

// BatchSize returns the number of cases in a full batch.
func (l *Loader[T]) BatchSize() int { return l.size }

// Len returns the number of batches in one epoch.
func (l *Loader[T]) Len() int {
	n := len(l.order)
	if l.DropLast {
		return n / l.size
	}
	if l.folds() {
		return n / l.size
	}
	return (n + l.size - 1) / l.size
}

// Epochs returns the number of epochs begun so far.
func (l *Loader[T]) Epochs() int { return l.epochs }

// Next returns the next batch: x of shape [b, X's other dimensions...] and
// y of shape [b, Y's other dimensions...], b at most the batch size (one
// more when FoldLone folds the last case in). When
// the current epoch is used up it begins a new one, reshuffling, so Next
// never runs out; step-based training loops call it alone. It panics if
// DropLast is set and the set is smaller than one batch.
func (l *Loader[T]) Next() (x, y *tensor.Tensor[T]) {
	if l.remaining() == 0 {
		l.startEpoch()
	}
	return l.take()
}

// Epoch returns an iterator over the batches of one new epoch:
//
//	for x, y := range loader.Epoch() { ... }
//
// Each call begins a new epoch (reshuffling), even if the last one was left
// unfinished.
func (l *Loader[T]) Epoch() iter.Seq2[*tensor.Tensor[T], *tensor.Tensor[T]] {
	return func(yield func(x, y *tensor.Tensor[T]) bool) {
		l.startEpoch()
		for l.remaining() > 0 {
			if !yield(l.take()) {
				return
			}
		}
	}
}

// Indices returns the set indices of the cases in the current batch, in
// batch order. The slice belongs to the loader and changes with the next
// batch.
func (l *Loader[T]) Indices() []int { return l.cur }

// remaining returns the number of cases the current epoch still yields.
func (l *Loader[T]) remaining() int {
	left := len(l.order) - l.pos
	if l.DropLast && left < l.size {
		return 0
	}
	return left
}

func (l *Loader[T]) startEpoch() {
	if l.DropLast && len(l.order) < l.size {
		panic(fmt.Sprintf("data: Loader: DropLast with %d cases and batch size %d gives no batch", len(l.order), l.size))
	}
	if l.r != nil {
		o := l.order
		for i := range o {
			o[i] = i
		}
		if l.Numpy {
			l.r.NumpyShuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		} else {
			l.r.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		}
	}
	l.pos = 0
	l.epochs++
}

// folds reports whether the last batch of an epoch would hold one case
// and FoldLone puts it into the batch before it.
func (l *Loader[T]) folds() bool {
	n := len(l.order)
	return l.FoldLone && !l.DropLast && l.size > 1 && n > l.size && n%l.size == 1
}

// take gathers the next batch of the current epoch.
func (l *Loader[T]) take() (x, y *tensor.Tensor[T]) {
	end := min(l.pos+l.size, len(l.order))
	if l.folds() && len(l.order)-end == 1 {
		end++
	}
	l.cur = l.order[l.pos:end:end]
	l.pos = end
	l.x, l.y = l.set.GatherTo(l.x, l.y, l.cur)
	return l.x, l.y
}
