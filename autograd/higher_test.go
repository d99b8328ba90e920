package autograd

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/tensor"
)

// nthDerivatives returns the first n derivatives of f at x, each by a
// Backward with CreateGraph over the graph of the one before (step 34).
func nthDerivatives(f func(*V) *V, x0 float64, n int) []float64 {
	x := Scalar(x0)
	y := f(x)
	var d []float64
	for i := 0; i < n; i++ {
		x.ClearGrad()
		y.Backward(CreateGraph)
		y = x.Grad
		d = append(d, y.Item())
	}
	return d
}

func TestNthDerivativeOfSin(t *testing.T) {
	x := 1.0
	got := nthDerivatives(Sin[float64], x, 8)
	want := []float64{math.Cos(x), -math.Sin(x), -math.Cos(x), math.Sin(x)}
	for i, g := range got {
		// Each order multiplies by exact ±1 and calls sin or cos once.
		if w := want[i%4]; g != w {
			t.Errorf("derivative %d of sin at 1: %v, want %v", i+1, g, w)
		}
	}
}

// tanh's n-th derivative is a polynomial P_n(t) in t = tanh x with
// P_0 = t and P_{n+1} = P_n'(t)·(1 - t²).
func TestNthDerivativeOfTanh(t *testing.T) {
	const n = 6
	x := 0.7
	th := math.Tanh(x)
	p := []float64{0, 1} // coefficients of t^k
	got := nthDerivatives(Tanh[float64], x, n)
	for i := 0; i < n; i++ {
		dp := make([]float64, len(p)+1)
		for k := 1; k < len(p); k++ { // P' · (1 - t²)
			dp[k-1] += float64(k) * p[k]
			dp[k+1] -= float64(k) * p[k]
		}
		p = dp
		w := 0.0
		for k := len(p) - 1; k >= 0; k-- {
			w = w*th + p[k]
		}
		// The polynomials' coefficients grow to a few hundred by order 6,
		// and the graph sums terms of both signs: 1e-12 relative.
		if math.Abs(got[i]-w) > 1e-12*math.Max(1, math.Abs(w)) {
			t.Errorf("derivative %d of tanh at %v: %v, want %v", i+1, x, got[i], w)
		}
	}
}

// A gradient penalty: the gradient with respect to w of |∂f/∂x|² for
// f = Σ tanh(x·w), checked against central differences of the penalty
// computed with plain first-order gradients.
func TestDoubleBackpropGradientPenalty(t *testing.T) {
	xd := tensor.FromSlice([]float64{0.3, -0.8, 1.1, 0.5, 0.2, -0.4}, 2, 3)
	wd := tensor.FromSlice([]float64{0.7, -0.2, 0.1, 0.9, -0.5, 0.3}, 3, 2)
	penalty := func(create bool) (*V, *V) {
		x, w := New(xd), New(wd)
		f := Sum(Tanh(MatMul(x, w)), false)
		if create {
			f.Backward(CreateGraph)
		} else {
			f.Backward()
		}
		gp := Sum(Pow(x.Grad, 2), false)
		w.ClearGrad()
		return gp, w
	}
	gp, w := penalty(true)
	gp.Backward()
	if w.Grad == nil {
		t.Fatal("the penalty's graph does not reach w")
	}
	const h = 1e-6
	for k := range wd.Data {
		old := wd.Data[k]
		wd.Data[k] = old + h
		p, _ := penalty(false)
		wd.Data[k] = old - h
		m, _ := penalty(false)
		wd.Data[k] = old
		num := (p.Item() - m.Item()) / (2 * h)
		if d := math.Abs(w.Grad.Data.Data[k] - num); d > 1e-8*(1+math.Abs(num)) {
			t.Errorf("d penalty / d w[%d] = %v, central difference %v", k, w.Grad.Data.Data[k], num)
		}
	}
}

func TestPanicsNameOpAndShapes(t *testing.T) {
	a := New(tensor.New[float64](2, 3))
	b := New(tensor.New[float64](4))
	for _, c := range []struct {
		f    func()
		want []string
	}{
		{func() { Add(a, b) }, []string{"autograd: Add:", "[2 3]", "[4]"}},
		{func() { MatMul(a, a) }, []string{"autograd: MatMul:", "[2 3]"}},
		{func() { Reshape(a, 4, 2) }, []string{"autograd: Reshape:", "[2 3]", "[4 2]"}},
		{func() { Sum(a, false, 2) }, []string{"autograd: Sum:", "[2 3]"}},
		{func() { Rows(a, 5) }, []string{"autograd: GetItem:", "[2 3]"}},
		{func() { SoftmaxCrossEntropy(a, []int{0}) }, []string{"autograd: SoftmaxCrossEntropy:", "[2 3]"}},
		{func() { Conv2D(a, a, nil, 1, 0) }, []string{"autograd: Conv2D:", "[2 3]"}},
		{func() { Concat(0, a, b) }, []string{"autograd: Concat:", "[2 3]", "[4]"}},
	} {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				for _, w := range c.want {
					if !strings.Contains(msg, w) {
						t.Errorf("panic %q lacks %q", msg, w)
					}
				}
			}()
			c.f()
		}()
	}
}
