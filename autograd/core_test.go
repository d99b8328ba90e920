package autograd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/tensor"
)

func vec(v ...float64) *tensor.Tensor[float64] { return tensor.FromSlice(v) }

func mat(r, c int, v ...float64) *tensor.Tensor[float64] { return tensor.FromSlice(v, r, c) }

// Step 33: Newton's method with the second derivative from a recorded
// gradient reaches 1.0 exactly, through DeZero's printed figures.
func TestNewtonStep33(t *testing.T) {
	f := func(x *Variable[float64]) *Variable[float64] {
		return Sub(Pow(x, 4), Mul(ConstScalar(2.0), Pow(x, 2)))
	}
	x := Scalar(2.0)
	var got []string
	for i := 0; i < 10; i++ {
		got = append(got, fmt.Sprint(i, " ", x))
		y := f(x)
		x.ClearGrad()
		y.Backward(CreateGraph)
		gx := x.Grad
		x.ClearGrad()
		gx.Backward()
		gx2 := x.Grad
		x.Data.Data[0] -= gx.Item() / gx2.Item()
	}
	want := []string{"0 variable(2.0)", "1 variable(1.4545454545454546)", "2 variable(1.1510467893775467)",
		"3 variable(1.0253259289766978)", "4 variable(1.0009084519430513)", "5 variable(1.0000012353089454)",
		"6 variable(1.000000000002289)", "7 variable(1.0)", "8 variable(1.0)", "9 variable(1.0)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Step 16: a variable used twice through branches of different lengths gets
// its whole gradient only if functions run in generation order.
func TestGenerationOrder(t *testing.T) {
	x := Scalar(2.0)
	a := Pow(x, 2)
	y := Add(Pow(a, 2), Pow(a, 2))
	y.Backward()
	if y.Item() != 32 || x.Grad.Item() != 64 {
		t.Fatalf("y = %v, x.grad = %v; want 32 and 64", y, x.Grad)
	}
}

func TestAccumulateAndClear(t *testing.T) {
	x := Scalar(3.0)
	y := Add(Add(x, x), x)
	y.Backward()
	if x.Grad.Item() != 3 {
		t.Fatalf("x + x + x: grad %v, want 3", x.Grad)
	}
	y = Add(x, x)
	y.Backward()
	if x.Grad.Item() != 5 {
		t.Fatalf("accumulated grad %v, want 5", x.Grad)
	}
	x.ClearGrad()
	Add(x, x).Backward()
	if x.Grad.Item() != 2 {
		t.Fatalf("after ClearGrad: grad %v, want 2", x.Grad)
	}
}

// Step 18: intermediate gradients are freed unless retained.
func TestRetainGrad(t *testing.T) {
	x0, x1 := Scalar(1.0), Scalar(1.0)
	tt := Add(x0, x1)
	y := Add(x0, tt)
	y.Backward()
	if y.Grad != nil || tt.Grad != nil {
		t.Fatalf("intermediate grads kept: %v %v", y.Grad, tt.Grad)
	}
	if x0.Grad.Item() != 2 || x1.Grad.Item() != 1 {
		t.Fatalf("grads %v %v, want 2 1", x0.Grad, x1.Grad)
	}
	x0.ClearGrad()
	x1.ClearGrad()
	tt = Add(x0, x1)
	y = Add(x0, tt)
	y.Backward(RetainGrad)
	if y.Grad.Item() != 1 || tt.Grad.Item() != 1 {
		t.Fatalf("retained grads %v %v, want 1 1", y.Grad, tt.Grad)
	}
}

func TestNoGradAndConst(t *testing.T) {
	x := New(vec(1, 2, 3))
	y := Mul(NoGrad(x), ConstScalar(2.0))
	if y.Creator() != nil || y.RequiresGrad() {
		t.Fatal("a result of a no-grad input recorded its creator")
	}
	if z := Add(y, x); z.Creator() != nil {
		t.Fatal("no-grad did not propagate")
	}
	c := Const(vec(1, 2, 3))
	if z := Exp(c); z.Creator() != nil || z.RequiresGrad() {
		t.Fatal("an op on constants only recorded its creator")
	}
	z := Sum(Mul(x, c), false)
	z.Backward()
	if c.Grad != nil {
		t.Fatal("a constant got a gradient")
	}
	if fmt.Sprint(x.Grad) != "variable([1. 2. 3.])" {
		t.Fatalf("x.grad = %v", x.Grad)
	}
	// Backward without CreateGraph records nothing.
	if x.Grad.Creator() != nil {
		t.Fatal("a gradient computed without CreateGraph has a creator")
	}
}

func TestStringStep19(t *testing.T) {
	for _, c := range []struct {
		v    *Variable[float64]
		want string
	}{
		{New(mat(2, 3, 1, 2, 3, 4, 5, 6)), "variable([[1. 2. 3.]\n          [4. 5. 6.]])"},
		{New(mat(1, 1, 2.1180736904154307)), "variable([[2.11807369]])"},
		{Scalar(0.07908606512411756), "variable(0.07908606512411756)"},
		{nil, "variable(None)"},
	} {
		if got := c.v.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if got := New(tensor.FromSlice([]float32{0.1, 2})).String(); got != "variable([0.1 2. ])" {
		t.Errorf("float32: got %q", got)
	}
}
