package data

import (
	"slices"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// epochCases runs one epoch of l, checking each batch against the loader's
// indices, and returns the case of every row in order and the batch sizes.
func epochCases(t *testing.T, l *Loader[float64]) (cases, sizes []int) {
	t.Helper()
	for x, y := range l.Epoch() {
		sizes = append(sizes, x.Rows())
		if y.Rows() != x.Rows() || len(l.Indices()) != x.Rows() {
			t.Fatalf("batch of %d inputs, %d targets, %d indices", x.Rows(), y.Rows(), len(l.Indices()))
		}
		for k := range x.Rows() {
			i := origin(t, x, y, k, 3)
			if i != l.Indices()[k] {
				t.Fatalf("row %d is case %d but Indices says %d", k, i, l.Indices()[k])
			}
			cases = append(cases, i)
		}
	}
	return cases, sizes
}

func TestLoaderBatches(t *testing.T) {
	for _, tc := range []struct {
		n, batch           int
		dropLast, foldLone bool
		wantSizes          []int
	}{
		{10, 3, false, false, []int{3, 3, 3, 1}},
		{10, 3, true, false, []int{3, 3, 3}},
		{9, 3, false, false, []int{3, 3, 3}},
		{9, 3, true, false, []int{3, 3, 3}},
		{4, 10, false, false, []int{4}},
		{1, 1, false, false, []int{1}},
		// FoldLone: a lone last case joins the batch before it.
		{10, 3, false, true, []int{3, 3, 4}},
		{11, 3, false, true, []int{3, 3, 3, 2}},
		{9, 3, false, true, []int{3, 3, 3}},
		{126, 5, false, true, append(slices.Repeat([]int{5}, 24), 6)},
		{2, 1, false, true, []int{1, 1}}, // batches of one are what was asked
		{1, 5, false, true, []int{1}},    // nothing to fold into
	} {
		s := seqSet(tc.n, 3)
		for _, shuffle := range []bool{false, true} {
			var r *rng.MT
			if shuffle {
				r = rng.NewNumpy(3)
			}
			l := NewLoader(s, tc.batch, r)
			l.DropLast, l.FoldLone = tc.dropLast, tc.foldLone
			if l.Len() != len(tc.wantSizes) {
				t.Errorf("%+v: Len %d, want %d", tc, l.Len(), len(tc.wantSizes))
			}
			cases, sizes := epochCases(t, l)
			if !slices.Equal(sizes, tc.wantSizes) {
				t.Errorf("%+v shuffle=%v: batch sizes %v", tc, shuffle, sizes)
			}
			// Each case at most once, and all of them unless dropped.
			want := make([]int, tc.n)
			for i := range want {
				want[i] = i
			}
			if shuffle {
				want = rng.NewNumpy(3).Perm(tc.n)
			}
			if !slices.Equal(cases, want[:len(cases)]) {
				t.Errorf("%+v shuffle=%v: cases %v, want a prefix of %v", tc, shuffle, cases, want)
			}
		}
	}
}

func TestLoaderReshufflesEachEpoch(t *testing.T) {
	s := seqSet(20, 3)
	r := rng.NewNumpy(5)
	l := NewLoader(s, 6, r)
	want := rng.NewNumpy(5)
	for e := range 3 {
		cases, _ := epochCases(t, l)
		if p := want.Perm(20); !slices.Equal(cases, p) {
			t.Errorf("epoch %d: cases %v, want r.Perm %v", e, cases, p)
		}
		if l.Epochs() != e+1 {
			t.Errorf("Epochs = %d after %d epochs", l.Epochs(), e+1)
		}
	}
}

func TestLoaderNextWrapsAround(t *testing.T) {
	s := seqSet(7, 3)
	next := NewLoader(s, 3, rng.NewNumpy(9))
	iter := NewLoader(s, 3, rng.NewNumpy(9))
	var fromNext, fromIter []int
	for range 9 { // three epochs of 3, 3, 1
		x, y := next.Next()
		for k := range x.Rows() {
			fromNext = append(fromNext, origin(t, x, y, k, 3))
		}
	}
	for range 3 {
		c, _ := epochCases(t, iter)
		fromIter = append(fromIter, c...)
	}
	if !slices.Equal(fromNext, fromIter) || next.Epochs() != 3 {
		t.Errorf("Next gave %v (%d epochs), Epoch gave %v", fromNext, next.Epochs(), fromIter)
	}
}

func TestLoaderEpochBreakStartsAfresh(t *testing.T) {
	l := NewLoader(seqSet(10, 3), 4, nil)
	for range l.Epoch() {
		break
	}
	cases, _ := epochCases(t, l)
	if len(cases) != 10 || l.Epochs() != 2 {
		t.Errorf("after a broken epoch: %d cases, %d epochs", len(cases), l.Epochs())
	}
}

func TestLoaderDeterministic(t *testing.T) {
	s := seqSet(50, 3)
	run := func(seed uint32) []float64 {
		l := NewLoader(s, 8, rng.NewNumpy(seed))
		var got []float64
		for range 20 {
			x, _ := l.Next()
			got = append(got, x.Data...)
		}
		return got
	}
	if !slices.Equal(run(1), run(1)) {
		t.Error("same seed, different batches")
	}
	if slices.Equal(run(1), run(2)) {
		t.Error("different seeds, same batches")
	}
}

func TestLoaderNoAllocations(t *testing.T) {
	l := NewLoader(seqSet(100, 3), 32, rng.NewNumpy(1)) // batches of 32, 32, 32, 4
	for range 8 {
		l.Next() // grow the buffers
	}
	if a := testing.AllocsPerRun(200, func() { l.Next() }); a != 0 {
		t.Errorf("Next allocates %v times per batch, want 0", a)
	}
}

func TestLoaderPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"batch 0":   func() { NewLoader(seqSet(3, 2), 0, nil) },
		"empty set": func() { NewLoader(seqSet(0, 2), 1, nil) },
		"drop all": func() {
			l := NewLoader(seqSet(3, 2), 4, nil)
			l.DropLast = true
			l.Next()
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// BenchmarkLoaderNext measures one MNIST-sized batch: 100 cases of 784
// float32 pixels gathered from a shuffled set of 60000, MNIST's training set (rows scattered over 188 MB, mostly out of cache).
func BenchmarkLoaderNext(b *testing.B) {
	s := &Set[float32]{X: tensor.New[float32](60000, 784), Y: tensor.New[float32](60000)}
	for i := range s.X.Data {
		s.X.Data[i] = float32(i % 256) // written: pages never written would all read the kernel's one zero page
	}
	l := NewLoader(s, 100, rng.NewNumpy(1))
	b.ReportAllocs()
	for b.Loop() {
		l.Next()
	}
}
