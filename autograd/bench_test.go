package autograd

import "testing"

// scalarChain builds y = (((x·a + b)·a + b)·a + b)... with n operations on
// 0-dimensional variables (the micrograd way of computing) and
// backpropagates through it.
func scalarChain(n int) (y, a, b *Variable[float64]) {
	x, a, b := Scalar(0.0), Scalar(0.5), Scalar(1.0)
	y = x
	for range n / 2 {
		y = Add(Mul(y, a), b)
	}
	y.Backward()
	return y, a, b
}

// BenchmarkScalarChain times the forward and backward passes of a chain of
// 10,000 scalar operations; ns/op divided by 10,000 is the cost of a node.
func BenchmarkScalarChain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		scalarChain(10_000)
	}
}

func TestScalarChain(t *testing.T) {
	// y converges to b/(1-a) = 2; dy/da = Σ a^k·(2 - ...) → 4, dy/db = 2.
	y, a, b := scalarChain(10_000)
	if y.Item() != 2 || a.Grad.Item() != 4 || b.Grad.Item() != 2 {
		t.Fatalf("y %v, dy/da %v, dy/db %v; want 2, 4, 2", y.Item(), a.Grad.Item(), b.Grad.Item())
	}
}

// TestInPlaceSums checks that Backward's in-place sums of gradients touch
// only sums the pass made itself: a gradient handed to two inputs (Add's),
// retained gradients and a gradient kept from an earlier pass keep their
// values.
func TestInPlaceSums(t *testing.T) {
	x := Scalar(3.0)
	u := Add(x, x) // 6; both of Add's input gradients are u's gradient
	v := Mul(u, u) // 36
	s := Add(v, u)
	w := Add(s, x) // w = u² + u + x
	w.Backward(RetainGrad)
	// dw/du = 2u + 1 = 13; dw/dx = 2·13 + 1 = 27.
	if u.Grad.Item() != 13 || v.Grad.Item() != 1 || x.Grad.Item() != 27 {
		t.Fatalf("dw/du %v, dw/dv %v, dw/dx %v; want 13, 1, 27", u.Grad.Item(), v.Grad.Item(), x.Grad.Item())
	}
	first := x.Grad
	for _, p := range []*Variable[float64]{u, v, s, w} {
		p.ClearGrad()
	}
	w.Backward()
	if first.Item() != 27 || x.Grad.Item() != 54 {
		t.Fatalf("the first pass's gradient became %v, the sum is %v; want 27 and 54", first.Item(), x.Grad.Item())
	}
}
