package data

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func TestStandardizer(t *testing.T) {
	r := rng.NewNumpy(4)
	n := 200
	x := tensor.New[float64](n, 3)
	for i := range n {
		// A shifted, scaled normal column; a uniform one; a constant one
		// whose value is not exact in binary.
		copy(x.Row(i), []float64{50 + 7*r.Norm(), r.Float64(), 0.1})
	}
	s := &Set[float64]{X: x, Y: tensor.New[float64](n, 1)}
	train, test := Split(s, 0.25, r)
	testCopy := test.X.Clone()

	st := FitStandardizer(train)
	st.Apply(train)
	for j := range 3 {
		var mean, sq float64
		for i := range train.Len() {
			mean += train.X.At(i, j)
		}
		mean /= float64(train.Len())
		for i := range train.Len() {
			d := train.X.At(i, j) - mean
			sq += d * d
		}
		std := math.Sqrt(sq / float64(train.Len()))
		wantStd := 1.0
		if j == 2 {
			wantStd = 0 // a constant column is only centred
		}
		if math.Abs(mean) > 1e-12 || math.Abs(std-wantStd) > 1e-12 {
			t.Errorf("column %d after Apply: mean %v std %v, want 0 and %v", j, mean, std, wantStd)
		}
	}
	if st.Std[2] != 1 {
		t.Errorf("constant column Std %v, want 1", st.Std[2])
	}

	// The test part is scaled with the training statistics.
	st.Apply(test)
	for i := range test.Len() {
		for j := range 3 {
			want := (testCopy.At(i, j) - st.Mean[j]) / st.Std[j]
			if got := test.X.At(i, j); got != want {
				t.Fatalf("test (%d, %d) = %v, want %v", i, j, got, want)
			}
		}
	}
}

func TestStandardizerFloat32AndPanics(t *testing.T) {
	s := &Set[float32]{X: tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2), Y: tensor.New[float32](2)}
	st := FitStandardizer(s)
	st.Apply(s)
	want := []float32{-1, -1, 1, 1}
	for i, v := range s.X.Data {
		if v != want[i] {
			t.Errorf("got %v, want %v", s.X.Data, want)
			break
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("ApplyTo with 3 columns did not panic")
		}
	}()
	st.ApplyTo(tensor.New[float32](2, 3))
}
