package tutorial

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// fastCases returns rows cases of in inputs, a third of them exactly 0
// (where the fast path skips work), and targets of out classes: one-hot,
// or soft (two non-zero entries) if soft.
func fastCases(rows, in, out int, soft bool, r *rng.MT) (x, t *tensor.Tensor[float64]) {
	x, t = tensor.New[float64](rows, in), tensor.New[float64](rows, out)
	for i := range x.Data {
		if r.Below(3) != 0 {
			x.Data[i] = 2*r.Float64() - 1
		}
	}
	for i := range rows {
		k := r.Below(out)
		if soft {
			t.Data[i*out+k] = 0.75
			t.Data[i*out+(k+1)%out] += 0.25
		} else {
			t.Data[i*out+k] = 1
		}
	}
	return x, t
}

// sameParams reports the first parameter element whose bits differ
// between a and b, or "".
func sameParams(a, b *TwoLayerNet[float64]) string {
	for i, p := range a.Params() {
		q := b.Params()[i]
		for j, v := range p.Value.Data {
			if math.Float64bits(v) != math.Float64bits(q.Value.Data[j]) {
				return fmt.Sprintf("%s[%d]: fast %v, generic %v", p.Name, j, v, q.Value.Data[j])
			}
		}
	}
	return ""
}

// TestFastPathSameBits trains float64 networks of several sizes with the
// numerical gradient twice from the same seeds, once on the fast path and
// once on the generic one (the layers and numgrad.LayersGradient), and
// requires the same bits in every recorded loss and every parameter.
func TestFastPathSameBits(t *testing.T) {
	tests := []struct {
		in, hid, out, rows, steps int
		soft                      bool
		lr                        float64
	}{
		{2, 1, 2, 4, 3000, false, 0.1},
		{2, 2, 2, 4, 3000, false, 0.1},
		{2, 3, 2, 4, 3000, false, 0.1},
		{2, 5, 2, 4, 2000, false, 0.5},
		{3, 5, 4, 8, 1000, false, 1},
		{2, 3, 3, 6, 1000, true, 0.3},
		{2, 127, 2, 4, 20, false, 0.1}, // the largest W1 and W2 the fast path takes
		{1, 7, 36, 4, 100, false, 2},   // W2 252 elements
	}
	for _, tc := range tests {
		for seed := range uint32(3) {
			name := fmt.Sprintf("%d-%d-%d/soft=%v/seed=%d", tc.in, tc.hid, tc.out, tc.soft, seed)
			var x, tg *tensor.Tensor[float64]
			if tc.in == 2 && tc.out == 2 && !tc.soft {
				x, tg = xorCases()
			} else {
				x, tg = fastCases(tc.rows, tc.in, tc.out, tc.soft, rng.NewNumpy(seed+100))
			}
			var nets [2]*TwoLayerNet[float64]
			var losses [2][]float64
			for i, generic := range []bool{false, true} {
				nets[i] = NewTwoLayerNet[float64](tc.in, tc.hid, tc.out, 1, rng.NewNumpy(seed))
				nets[i].generic = generic
				record := func(_ int, l float64) { losses[i] = append(losses[i], l) }
				if err := nets[i].Learn(context.Background(), x, tg, tc.steps, tc.lr, Numerical, rng.NewPython(uint64(seed)), record); err != nil {
					t.Fatal(err)
				}
			}
			if nets[0].fastState == nil || nets[1].fastState != nil {
				t.Fatalf("%s: the fast path was not taken where it should be, or taken where forced off", name)
			}
			for s, l := range losses[0] {
				if math.Float64bits(l) != math.Float64bits(losses[1][s]) {
					t.Fatalf("%s: step %d: fast loss %v, generic %v", name, s, l, losses[1][s])
				}
			}
			if d := sameParams(nets[0], nets[1]); d != "" {
				t.Errorf("%s: after %d steps %s", name, tc.steps, d)
			}
			// NumericalGradient on one case, with the same parameters.
			xi, ti := tensor.FromSlice(x.Row(1), tc.in), tensor.FromSlice(tg.Row(1), tc.out)
			for _, n := range nets {
				n.NumericalGradient(xi, ti)
			}
			for i, p := range nets[0].Params() {
				for j, g := range p.Grad.Data {
					if q := nets[1].Params()[i].Grad.Data[j]; math.Float64bits(g) != math.Float64bits(q) {
						t.Fatalf("%s: NumericalGradient %s[%d]: fast %v, generic %v", name, p.Name, j, g, q)
					}
				}
			}
		}
	}
}

// TestFastPathLimits checks that the fast path stays off where it does not
// reproduce the generic path: float32, class-index targets, a parameter
// replaced by one of the wrong size, and products of fastMax elements or
// more.
func TestFastPathLimits(t *testing.T) {
	x, tg := xorCases()
	n32 := NewTwoLayerNet[float32](2, 2, 2, 0.1, rng.NewNumpy(0))
	n32.Learn(context.Background(), tensor.Convert[float32](x), tensor.Convert[float32](tg), 10, 0.1, Numerical, rng.NewPython(0), nil)
	if n32.fastState != nil {
		t.Error("float32 network took the fast path")
	}
	idx := tensor.FromSlice([]float64{0, 1, 1, 0}, 4)
	n := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
	n.Learn(context.Background(), x, idx, 10, 0.1, Numerical, rng.NewPython(0), nil)
	if n.fastState != nil {
		t.Error("class-index targets took the fast path")
	}
	odd := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
	odd.W2.Value = tensor.New[float64](3, 2)
	if odd.fast(x, tg) != nil {
		t.Error("a W2 of the wrong size took the fast path")
	}
	big := NewTwoLayerNet[float64](2, fastMax/2, 2, 0.1, rng.NewNumpy(0))
	big.Learn(context.Background(), x, tg, 2, 0.1, Numerical, rng.NewPython(0), nil)
	if big.fastState != nil {
		t.Errorf("a 2-%d-2 network took the fast path", fastMax/2)
	}
}

// TestFastPathCancels checks that the fast path looks at ctx when the
// generic loop does: a record function that cancels at step 1500 stops
// both after step 2047, with the same parameters; a context cancelled
// before the start records nothing.
func TestFastPathCancels(t *testing.T) {
	x, tg := xorCases()
	var nets [2]*TwoLayerNet[float64]
	var recorded [2]int
	for i, generic := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		nets[i] = NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(5))
		nets[i].generic = generic
		record := func(step int, _ float64) {
			recorded[i]++
			if step == 1500 {
				cancel()
			}
		}
		if err := nets[i].Learn(ctx, x, tg, 30000, 0.1, Numerical, rng.NewPython(5), record); err != context.Canceled {
			t.Errorf("generic=%v: Learn returned %v, want context.Canceled", generic, err)
		}
		cancel()
	}
	if recorded[0] != 2048 || recorded[1] != 2048 {
		t.Errorf("recorded %d steps on the fast path and %d on the generic one, want 2048", recorded[0], recorded[1])
	}
	if d := sameParams(nets[0], nets[1]); d != "" {
		t.Errorf("after cancelling: %s", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
	calls := 0
	err := n.Learn(ctx, x, tg, 100, 0.1, Numerical, rng.NewPython(0), func(int, float64) { calls++ })
	if err != context.Canceled || calls != 0 {
		t.Errorf("cancelled before the start: Learn returned %v after %d steps", err, calls)
	}
}
