package data

import (
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// seqSet returns a set of n cases whose X row i is [i, 10i, 100i] and whose
// label is i mod classes, so every copied case can be traced to its origin.
func seqSet(n, classes int) *Set[float64] {
	x := tensor.New[float64](n, 3)
	y := tensor.New[float64](n)
	for i := range n {
		copy(x.Row(i), []float64{float64(i), 10 * float64(i), 100 * float64(i)})
		y.Data[i] = float64(i % classes)
	}
	return &Set[float64]{X: x, Y: y, Classes: classes, ClassNames: []string{"a", "b", "c"}[:classes]}
}

// origin returns which case of seqSet row is a copy of, checking the row
// and its label are consistent.
func origin(t *testing.T, x, y *tensor.Tensor[float64], k, classes int) int {
	t.Helper()
	row := x.Row(k)
	i := int(row[0])
	if row[1] != 10*row[0] || row[2] != 100*row[0] || y.Data[k] != float64(i%classes) {
		t.Fatalf("row %d = %v label %v is not a copy of one case", k, row, y.Data[k])
	}
	return i
}

func TestSubset(t *testing.T) {
	s := seqSet(10, 3)
	for _, idx := range [][]int{{}, {0}, {9, 2, 2, 5}, {3, 1, 4, 1, 5, 9, 2, 6}} {
		sub := s.Subset(idx)
		if !slices.Equal(sub.X.Shape(), []int{len(idx), 3}) || !slices.Equal(sub.Y.Shape(), []int{len(idx)}) {
			t.Fatalf("Subset(%v): shapes %v %v", idx, sub.X.Shape(), sub.Y.Shape())
		}
		for k, want := range idx {
			if got := origin(t, sub.X, sub.Y, k, 3); got != want {
				t.Errorf("Subset(%v) case %d comes from %d", idx, k, got)
			}
		}
		if sub.Classes != 3 || len(sub.ClassNames) != 3 {
			t.Errorf("Subset lost the class information: %+v", sub)
		}
		if err := sub.Check(); err != nil {
			t.Error(err)
		}
	}
	// A subset is a copy.
	sub := s.Subset([]int{4})
	sub.X.Data[0] = -1
	if s.X.At(4, 0) != 4 {
		t.Error("Subset shares storage with the set")
	}
}

func TestSubsetRegressionAndImages(t *testing.T) {
	s := &Set[float32]{
		X: tensor.New[float32](5, 1, 2, 2),
		Y: tensor.New[float32](5, 2),
	}
	for i := range s.X.Data {
		s.X.Data[i] = float32(i)
	}
	for i := range s.Y.Data {
		s.Y.Data[i] = -float32(i)
	}
	sub := s.Subset([]int{3, 0})
	if !slices.Equal(sub.X.Shape(), []int{2, 1, 2, 2}) || !slices.Equal(sub.Y.Shape(), []int{2, 2}) {
		t.Fatalf("shapes %v %v", sub.X.Shape(), sub.Y.Shape())
	}
	wantX := append(slices.Clone(s.X.Data[12:16]), s.X.Data[0:4]...)
	wantY := append(slices.Clone(s.Y.Data[6:8]), s.Y.Data[0:2]...)
	if !slices.Equal(sub.X.Data, wantX) || !slices.Equal(sub.Y.Data, wantY) {
		t.Errorf("got X %v Y %v, want %v %v", sub.X.Data, sub.Y.Data, wantX, wantY)
	}
}

func TestGatherToPanicsOutOfRange(t *testing.T) {
	s := seqSet(4, 2)
	for _, idx := range [][]int{{4}, {-1}, {0, 7}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "data: ") {
					t.Errorf("GatherTo(%v): panic %v, want a data: panic", idx, r)
				}
			}()
			s.GatherTo(nil, nil, idx)
		}()
	}
}

func TestGatherToLargeBatches(t *testing.T) {
	// Batches past gatherSplit are copied in chunks on tensor.Parallel:
	// the same rows, in order, and nothing allocated.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n, cols = 300, 784
	x := tensor.New[float32](n, cols)
	for i := range x.Data {
		x.Data[i] = float32(i)
	}
	s := &Set[float32]{X: x, Y: tensor.New[float32](n), Classes: 1}
	r := rng.NewNumpy(2)
	for _, size := range []int{100, 41, 299} { // 313, 128 and 937 KB: all cut
		idx := r.Perm(n)[:size]
		bx, by := s.GatherTo(nil, nil, idx)
		for k, i := range idx {
			if !slices.Equal(bx.Row(k), x.Row(i)) {
				t.Fatalf("batch of %d: row %d is not case %d", size, k, i)
			}
		}
		if allocs := testing.AllocsPerRun(20, func() { bx, by = s.GatherTo(bx, by, idx) }); allocs != 0 && !raceEnabled {
			t.Errorf("batch of %d: GatherTo allocates %v times", size, allocs)
		}
	}
}

func TestGatherToReusesBuffers(t *testing.T) {
	s := seqSet(50, 3)
	r := rng.NewNumpy(1)
	idx := r.Perm(50)
	x, y := s.GatherTo(nil, nil, idx[:16])
	allocs := testing.AllocsPerRun(100, func() {
		x, y = s.GatherTo(x, y, idx[:16])
		x, y = s.GatherTo(x, y, idx[16:23]) // a smaller batch fits too
	})
	if allocs != 0 {
		t.Errorf("GatherTo allocates %v times per call pair, want 0", allocs)
	}
	for k, want := range idx[16:23] {
		if got := origin(t, x, y, k, 3); got != want {
			t.Errorf("case %d comes from %d, want %d", k, got, want)
		}
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		n        int
		frac     float64
		wantTest int
	}{{10, 0.2, 2}, {10, 0, 0}, {10, 1, 10}, {7, 0.5, 4}, {100, 0.25, 25}, {1, 0.3, 0}} {
		s := seqSet(tc.n, 3)
		train, test := Split(s, tc.frac, rng.NewNumpy(7))
		if test.Len() != tc.wantTest || train.Len() != tc.n-tc.wantTest {
			t.Errorf("n=%d frac=%v: %d train, %d test; want %d test", tc.n, tc.frac, train.Len(), test.Len(), tc.wantTest)
		}
		// Together the parts hold every case once, in the order of r.Perm.
		var seen []int
		for _, part := range []*Set[float64]{test, train} {
			for k := range part.Len() {
				seen = append(seen, origin(t, part.X, part.Y, k, 3))
			}
		}
		if want := rng.NewNumpy(7).Perm(tc.n); !slices.Equal(seen, want) {
			t.Errorf("n=%d frac=%v: cases %v, want the permutation %v", tc.n, tc.frac, seen, want)
		}
	}
}

func TestSplitDeterministic(t *testing.T) {
	s := seqSet(30, 3)
	a1, b1 := Split(s, 0.3, rng.NewNumpy(42))
	a2, b2 := Split(s, 0.3, rng.NewNumpy(42))
	a3, _ := Split(s, 0.3, rng.NewNumpy(43))
	if !slices.Equal(a1.X.Data, a2.X.Data) || !slices.Equal(b1.Y.Data, b2.Y.Data) {
		t.Error("same seed, different split")
	}
	if slices.Equal(a1.X.Data, a3.X.Data) {
		t.Error("different seeds, same split")
	}
}

func TestSplitPanics(t *testing.T) {
	for _, frac := range []float64{-0.1, 1.5} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("Split(%v) did not panic", frac)
				}
			}()
			Split(seqSet(3, 2), frac, rng.NewNumpy(1))
		}()
	}
}

func TestOneHot(t *testing.T) {
	y := tensor.FromSlice([]float32{2, 0, 1, 2})
	got := OneHot(y, 3)
	want := []float32{0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}
	if !slices.Equal(got.Shape(), []int{4, 3}) || !slices.Equal(got.Data, want) {
		t.Errorf("OneHot = %v %v, want %v", got.Shape(), got.Data, want)
	}
	// OneHotTo reuses its destination and clears what was there.
	dst := tensor.New[float32](4, 3)
	dst.Fill(7)
	if OneHotTo(dst, y, 3) != dst || !slices.Equal(dst.Data, want) {
		t.Errorf("OneHotTo = %v", dst.Data)
	}
	if a := testing.AllocsPerRun(10, func() { OneHotTo(dst, y, 3) }); a != 0 {
		t.Errorf("OneHotTo allocates %v times", a)
	}
	for _, bad := range [][]float32{{3}, {-1}, {0.5}} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("OneHot(%v, 3) did not panic", bad)
				}
			}()
			OneHot(tensor.FromSlice(bad), 3)
		}()
	}
}
