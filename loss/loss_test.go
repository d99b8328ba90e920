package loss

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

func TestSoftmax(t *testing.T) {
	// softmax([0.3, 2.9, 4.0]), the book's example, computed by hand:
	// e^(x-4) / Σ e^(x-4).
	x := tensor.FromSlice([]float64{0.3, 2.9, 4.0})
	e := []float64{math.Exp(0.3 - 4), math.Exp(2.9 - 4), 1}
	s := e[0] + e[1] + e[2]
	y := Softmax(x)
	for i := range e {
		if !near(y.Data[i], e[i]/s, 1e-15) {
			t.Errorf("softmax[%d] = %v, want %v", i, y.Data[i], e[i]/s)
		}
	}
	// Huge logits must not overflow, and each row of a batch is separate.
	b := Softmax(tensor.FromRows([][]float64{{1000, 1010, 990}, {-5, -5, -5}}))
	for _, v := range b.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("softmax of large logits: %v", b.Data)
		}
	}
	if !near(b.At(1, 0), 1.0/3, 1e-15) || !near(b.At(0, 0)+b.At(0, 1)+b.At(0, 2), 1, 1e-15) {
		t.Errorf("batch softmax %v", b.Data)
	}
}

func TestCrossEntropyAndSumSquares(t *testing.T) {
	// The book's example: t = class 2, y = [0.1 0.05 0.6 0 0.05 0.1 0 0.1 0 0].
	y := tensor.FromSlice([]float64{0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0})
	onehot := tensor.New[float64](10)
	onehot.Data[2] = 1
	p := 0.6 // a variable, so that 0.6 + 1e-7 is rounded as at run time
	if got, want := CrossEntropy(y, onehot), -math.Log(p+1e-7); got != want {
		t.Errorf("cross entropy = %v, want %v", got, want)
	}
	if got, want := SumSquares(y, onehot), 0.5*(0.01+0.0025+0.16+0.0025+0.01+0.01); !near(got, want, 1e-15) {
		t.Errorf("sum of squares = %v, want %v", got, want)
	}
	// A batch: one-hot and index targets agree and average over the batch.
	yb := tensor.FromRows([][]float64{{0.7, 0.2, 0.1}, {0, 0.5, 0.5}})
	oh := tensor.FromRows([][]float64{{1, 0, 0}, {1, 0, 0}})
	idx := tensor.FromSlice([]float64{0, 0})
	p7 := 0.7
	want := -(math.Log(p7+1e-7) + math.Log(1e-7)) / 2
	if a, b := CrossEntropy(yb, oh), CrossEntropy(yb, idx); a != want || b != want {
		t.Errorf("batch cross entropy %v (one-hot), %v (indices), want %v", a, b, want)
	}
}

func TestLossesGradientMatchesDifferences(t *testing.T) {
	x := tensor.FromRows([][]float64{{0.2, -1.3, 0.5}, {2.0, 0.1, -0.4}})
	tests := []struct {
		name string
		l    Loss[float64]
		t    *tensor.Tensor[float64]
	}{
		{"softmax-CE indices", &SoftmaxCrossEntropy[float64]{}, tensor.FromSlice([]float64{2, 0})},
		{"softmax-CE one-hot", &SoftmaxCrossEntropy[float64]{}, tensor.FromRows([][]float64{{0, 0, 1}, {1, 0, 0}})},
		{"sigmoid-BCE", &SigmoidBCE[float64]{}, tensor.FromRows([][]float64{{0, 1, 1}, {1, 0, 0.5}})},
		{"MSE", &MSE[float64]{}, tensor.FromRows([][]float64{{1, 0, 2}, {-1, 0.5, 0}})},
	}
	for _, tt := range tests {
		tt.l.Forward(x, tt.t)
		g := tt.l.Backward().Clone()
		for i := range x.Data {
			old := x.Data[i]
			x.Data[i] = old + 1e-5
			fp := tt.l.Forward(x, tt.t)
			x.Data[i] = old - 1e-5
			fm := tt.l.Forward(x, tt.t)
			x.Data[i] = old
			if num := (fp - fm) / 2e-5; !near(g.Data[i], num, 1e-8) {
				t.Errorf("%s: dL/dx[%d] = %v, central difference %v", tt.name, i, g.Data[i], num)
			}
		}
	}
}

func TestSigmoidBCEExtremes(t *testing.T) {
	var l SigmoidBCE[float64]
	v := l.Forward(tensor.FromSlice([]float64{-1e4, 1e4}, 2, 1), tensor.FromSlice([]float64{1, 0}))
	if math.IsNaN(v) || math.IsInf(v, 0) || !near(v, 1e4, 1e-12) {
		t.Errorf("BCE at ±1e4 with wrong labels = %v, want 1e4", v)
	}
}

func TestBadTargetsPanic(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("class index 3 of 3 classes did not panic")
		}
	}()
	CrossEntropy(tensor.FromRows([][]float64{{0.5, 0.25, 0.25}}), tensor.FromSlice([]float64{3}))
}

func TestSoftmaxCrossEntropyOfLargeBatches(t *testing.T) {
	// From 512 elements on (tensor.SoftmaxTo), Forward computes the rows'
	// softmax in chunks on tensor.Parallel: the same bits as Softmax and
	// CrossEntropy one after the other, whatever GOMAXPROCS.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	r := rng.NewNumpy(3)
	for _, nc := range [][2]int{{100, 10}, {3, 200}, {257, 2}} {
		n, c := nc[0], nc[1]
		x := tensor.RandN[float32](r, 4, n, c)
		idx := tensor.New[float32](n)
		for i := range idx.Data {
			idx.Data[i] = float32(r.Below(c))
		}
		p := Softmax(x)
		want := CrossEntropy(p, idx)
		for _, procs := range []int{1, 2, 4} {
			runtime.GOMAXPROCS(procs)
			var l SoftmaxCrossEntropy[float32]
			if got := l.Forward(x, idx); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("%dx%d GOMAXPROCS=%d: loss %v, want %v", n, c, procs, got, want)
			}
			for i, v := range l.Probs().Data {
				if math.Float32bits(v) != math.Float32bits(p.Data[i]) {
					t.Fatalf("%dx%d GOMAXPROCS=%d: probability %d is %v, want %v", n, c, procs, i, v, p.Data[i])
				}
			}
		}
	}
}

func TestForTask(t *testing.T) {
	if _, ok := ForTask[float32](10).(*SoftmaxCrossEntropy[float32]); !ok {
		t.Errorf("ForTask(10) = %T, want softmax cross-entropy", ForTask[float32](10))
	}
	if _, ok := ForTask[float64](0).(*MSE[float64]); !ok {
		t.Errorf("ForTask(0) = %T, want MSE", ForTask[float64](0))
	}
}
