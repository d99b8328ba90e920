package autograd

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestRecycleGrad: after RecycleGrad, the next Backward writes a weight's
// gradient (Linear's and MatMul's products) into the old gradient's
// storage, with the bits of a gradient computed afresh.
func TestRecycleGrad(t *testing.T) {
	r := rng.NewNumpy(0)
	x := Const(tensor.RandN[float32](r, 1, 100, 300))
	W, V, b := New(tensor.RandN[float32](r, 1, 300, 200)), New(tensor.RandN[float32](r, 1, 200, 10)), New(tensor.RandN[float32](r, 1, 200))
	loss := func() *Variable[float32] { return Sum(MatMul(Sigmoid(Linear(x, W, b)), V), false) }
	loss().Backward()
	gW, gV := W.Grad.Data, V.Grad.Data
	want := [][]float32{append([]float32(nil), gW.Data...), append([]float32(nil), gV.Data...)}
	W.RecycleGrad()
	V.RecycleGrad()
	if W.Grad != nil || V.Grad != nil {
		t.Fatal("RecycleGrad left a gradient")
	}
	gW.Data[0], gV.Data[0] = float32(math.NaN()), float32(math.NaN()) // overwritten, not added to
	loss().Backward()
	for i, g := range []*Variable[float32]{W.Grad, V.Grad} {
		if &g.Data.Data[0] != &[]*tensor.Tensor[float32]{gW, gV}[i].Data[0] {
			t.Errorf("gradient %d: new storage, want the recycled one", i)
		}
		for j, v := range g.Data.Data {
			if math.Float32bits(v) != math.Float32bits(want[i][j]) {
				t.Fatalf("gradient %d, element %d: %v, want %v", i, j, v, want[i][j])
			}
		}
	}
}

// TestRecycleGradShared: a gradient that Backward hands to two inputs, or
// passes on from the output, or records (CreateGraph), is no one
// variable's alone, and RecycleGrad keeps nothing of it.
func TestRecycleGradShared(t *testing.T) {
	r := rng.NewNumpy(0)
	a, b := New(tensor.RandN[float64](r, 1, 4, 3)), New(tensor.RandN[float64](r, 1, 4, 3))
	W := New(tensor.RandN[float64](r, 1, 3, 3))
	// MatMul's gradient of a reaches Add, which hands it on to a and b.
	Sum(MatMul(Add(a, b), W), false).Backward()
	if a.Grad != b.Grad {
		t.Fatal("want a and b to share one gradient variable (SumTo passes it on)")
	}
	a.RecycleGrad()
	b.RecycleGrad()
	if a.spare != nil || b.spare != nil {
		t.Error("RecycleGrad kept a gradient shared by two variables")
	}
	W.RecycleGrad()
	if W.spare == nil {
		t.Error("RecycleGrad did not keep W's gradient")
	}
	W.spare = nil
	Sum(MatMul(a, W), false).Backward(CreateGraph)
	W.RecycleGrad()
	if W.spare != nil {
		t.Error("RecycleGrad kept a recorded gradient")
	}
}
