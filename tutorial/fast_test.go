package tutorial

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
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
	return sameBits(a, b, func(p *nn.Param[float64]) []float64 { return p.Value.Data }, "")
}

// sameGrads reports the first gradient element whose bits differ between
// a and b, or "".
func sameGrads(a, b *TwoLayerNet[float64]) string {
	return sameBits(a, b, func(p *nn.Param[float64]) []float64 { return p.Grad.Data }, "grad ")
}

// sameBits reports the first element of part of a parameter whose bits
// differ between a and b, or "".
func sameBits(a, b *TwoLayerNet[float64], part func(*nn.Param[float64]) []float64, what string) string {
	for i, p := range a.Params() {
		q := part(b.Params()[i])
		for j, v := range part(p) {
			if math.Float64bits(v) != math.Float64bits(q[j]) {
				return fmt.Sprintf("%s%s[%d]: fast %v, generic %v", what, p.Name, j, v, q[j])
			}
		}
	}
	return ""
}

// TestFastPathSameBits trains float64 networks of several sizes with each
// gradient method twice from the same seeds, once on the fast path and
// once on the generic one (the layers, with numgrad.LayersGradient for the
// numerical gradient), and requires the same bits in every recorded loss,
// every parameter and every gradient; then the same of NumericalGradient
// or Gradient (and its loss) on one case.
func TestFastPathSameBits(t *testing.T) {
	tests := []struct {
		in, hid, out, rows, steps int
		soft                      bool
		lr, std                   float64
	}{
		{2, 1, 2, 4, 3000, false, 0.1, 1},
		{2, 2, 2, 4, 3000, false, 0.1, 1},
		{2, 3, 2, 4, 3000, false, 0.1, 1},
		{2, 5, 2, 4, 2000, false, 0.5, 1},
		{3, 5, 4, 8, 1000, false, 1, 1},
		{2, 3, 3, 6, 1000, true, 0.3, 1},
		{2, 127, 2, 4, 20, false, 0.1, 1},  // the largest W1 and W2 the fast path takes
		{1, 7, 36, 4, 100, false, 2, 1},    // W2 252 elements
		{3, 6, 3, 6, 100, true, 0.1, 1000}, // saturated: hidden outputs and probabilities of exactly 0
	}
	for _, m := range []Method{Numerical, Backprop} {
		for _, tc := range tests {
			steps := tc.steps
			if m == Backprop {
				steps *= 4 // backpropagation is cheap
			}
			for seed := range uint32(3) {
				name := fmt.Sprintf("%v/%d-%d-%d/soft=%v/seed=%d", m, tc.in, tc.hid, tc.out, tc.soft, seed)
				var x, tg *tensor.Tensor[float64]
				if tc.in == 2 && tc.out == 2 && !tc.soft {
					x, tg = xorCases()
				} else {
					x, tg = fastCases(tc.rows, tc.in, tc.out, tc.soft, rng.NewNumpy(seed+100))
				}
				// Fast and generic, recording the losses; fast again
				// without (Learn then skips the loss after the update).
				var nets [3]*TwoLayerNet[float64]
				var picks [3]*rng.MT
				var losses [2][]float64
				for i, generic := range []bool{false, true, false} {
					nets[i] = NewTwoLayerNet[float64](tc.in, tc.hid, tc.out, tc.std, rng.NewNumpy(seed))
					nets[i].generic = generic
					var record func(int, float64)
					if i < 2 {
						record = func(_ int, l float64) { losses[i] = append(losses[i], l) }
					}
					picks[i] = rng.NewPython(uint64(seed))
					if err := nets[i].Learn(context.Background(), x, tg, steps, tc.lr, m, picks[i], record); err != nil {
						t.Fatal(err)
					}
				}
				if nets[0].fastState == nil || nets[1].fastState != nil || nets[2].fastState == nil {
					t.Fatalf("%s: the fast path was not taken where it should be, or taken where forced off", name)
				}
				if !samePick(picks[0], picks[1]) || !samePick(picks[2], picks[1]) {
					t.Errorf("%s: the fast path drew a different number of cases", name)
				}
				if d := sameParams(nets[2], nets[1]); d != "" {
					t.Errorf("%s: without record, after %d steps %s", name, steps, d)
				}
				if len(losses[0]) != steps || len(losses[1]) != steps {
					t.Fatalf("%s: recorded %d losses on the fast path and %d on the generic one, want %d", name, len(losses[0]), len(losses[1]), steps)
				}
				for s, l := range losses[0] {
					if math.Float64bits(l) != math.Float64bits(losses[1][s]) {
						t.Fatalf("%s: step %d: fast loss %v, generic %v", name, s, l, losses[1][s])
					}
				}
				if d := sameParams(nets[0], nets[1]); d != "" {
					t.Errorf("%s: after %d steps %s", name, steps, d)
				}
				if d := sameGrads(nets[0], nets[1]); d != "" {
					t.Errorf("%s: after %d steps %s", name, steps, d)
				}
				// The gradient on one case, with the same parameters.
				xi, ti := tensor.FromSlice(x.Row(1), tc.in), tensor.FromSlice(tg.Row(1), tc.out)
				var ls [2]float64
				for i, n := range nets[:2] {
					for _, p := range n.Params() {
						p.Grad.Fill(math.NaN()) // every element must be written
					}
					if m == Numerical {
						n.NumericalGradient(xi, ti)
					} else {
						ls[i] = n.Gradient(xi, ti)
					}
				}
				if math.Float64bits(ls[0]) != math.Float64bits(ls[1]) {
					t.Errorf("%s: Gradient's loss: fast %v, generic %v", name, ls[0], ls[1])
				}
				if d := sameGrads(nets[0], nets[1]); d != "" {
					t.Errorf("%s: one case: %s", name, d)
				}
			}
		}
	}
}

// samePick reports whether a and b are in the same state.
func samePick(a, b *rng.MT) bool {
	sa, err := a.MarshalBinary()
	if err != nil {
		panic(err)
	}
	sb, err := b.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return bytes.Equal(sa, sb)
}

// TestFastPathLimits checks that the fast path stays off where it does not
// reproduce the generic path, with each method: float32, class-index
// targets, a parameter replaced by one of the wrong size, products of
// fastMax elements or more, and the gradient of a batch of several cases.
func TestFastPathLimits(t *testing.T) {
	x, tg := xorCases()
	for _, m := range []Method{Numerical, Backprop} {
		n32 := NewTwoLayerNet[float32](2, 2, 2, 0.1, rng.NewNumpy(0))
		n32.Learn(context.Background(), tensor.Convert[float32](x), tensor.Convert[float32](tg), 10, 0.1, m, rng.NewPython(0), nil)
		if n32.fastState != nil {
			t.Errorf("%v: float32 network took the fast path", m)
		}
		idx := tensor.FromSlice([]float64{0, 1, 1, 0}, 4)
		n := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
		n.Learn(context.Background(), x, idx, 10, 0.1, m, rng.NewPython(0), nil)
		if n.fastState != nil {
			t.Errorf("%v: class-index targets took the fast path", m)
		}
		big := NewTwoLayerNet[float64](2, fastMax/2, 2, 0.1, rng.NewNumpy(0))
		big.Learn(context.Background(), x, tg, 2, 0.1, m, rng.NewPython(0), nil)
		if big.fastState != nil {
			t.Errorf("%v: a 2-%d-2 network took the fast path", m, fastMax/2)
		}
		batch := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
		if m == Numerical {
			batch.NumericalGradient(x, tg)
		} else {
			batch.Gradient(x, tg)
		}
		if batch.fastState != nil {
			t.Errorf("%v: the gradient of a batch of 4 took the fast path", m)
		}
	}
	odd := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
	odd.W2.Value = tensor.New[float64](3, 2)
	if odd.fast(x, tg) != nil {
		t.Error("a W2 of the wrong size took the fast path")
	}
}

// TestFastPathCancels checks that the fast path looks at ctx when the
// generic loop does, with each method: a record function that cancels at
// step 1500 stops both after step 2047, with the same parameters and the
// same cases drawn; a context cancelled before the start records nothing.
func TestFastPathCancels(t *testing.T) {
	x, tg := xorCases()
	for _, m := range []Method{Numerical, Backprop} {
		var nets [2]*TwoLayerNet[float64]
		var picks [2]*rng.MT
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
			picks[i] = rng.NewPython(5)
			if err := nets[i].Learn(ctx, x, tg, 30000, 0.1, m, picks[i], record); err != context.Canceled {
				t.Errorf("%v, generic=%v: Learn returned %v, want context.Canceled", m, generic, err)
			}
			cancel()
		}
		if recorded[0] != 2048 || recorded[1] != 2048 {
			t.Errorf("%v: recorded %d steps on the fast path and %d on the generic one, want 2048", m, recorded[0], recorded[1])
		}
		if d := sameParams(nets[0], nets[1]); d != "" {
			t.Errorf("%v: after cancelling: %s", m, d)
		}
		if !samePick(picks[0], picks[1]) {
			t.Errorf("%v: after cancelling, the fast path had drawn a different number of cases", m)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		n := NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(0))
		calls := 0
		err := n.Learn(ctx, x, tg, 100, 0.1, m, rng.NewPython(0), func(int, float64) { calls++ })
		if err != context.Canceled || calls != 0 {
			t.Errorf("%v: cancelled before the start: Learn returned %v after %d steps", m, err, calls)
		}
	}
}
