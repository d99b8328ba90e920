package autograd

import (
	"fmt"
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type V = Variable[float64]

// opCase is one row of the derivative tables: a function of some inputs,
// the inputs' shapes and how to fill them, and the same function in
// PyTorch (an expression of x[0], x[1], ... with torch and F in scope) for
// the comparison with torch.autograd.
type opCase struct {
	name   string
	shapes [][]int
	fill   func(r *rng.MT, i int, t *tensor.Tensor[float64]) // nil: normal deviates
	f      func(x []*V) *V
	torch  string // "" when PyTorch has no same-semantics op (dropout's mask)
}

func positive(r *rng.MT, _ int, t *tensor.Tensor[float64]) {
	for i := range t.Data {
		t.Data[i] = 0.5 + 2*r.Float64()
	}
}

// apart fills distinct values at least 0.05 apart (no ties for max, no
// kinks near zero for ReLU), shuffled.
func apart(r *rng.MT, _ int, t *tensor.Tensor[float64]) {
	n := len(t.Data)
	for i := range t.Data {
		t.Data[i] = 0.1*float64(i-n/2) + 0.025 + 0.02*r.Float64()
	}
	for i := n - 1; i > 0; i-- {
		j := int(r.Float64() * float64(i+1))
		t.Data[i], t.Data[j] = t.Data[j], t.Data[i]
	}
}

var win = Window{KH: 2, KW: 3, Stride: 1, Pad: 1}

var opCases = []opCase{
	{name: "add", shapes: [][]int{{2, 3}, {3}}, f: func(x []*V) *V { return Add(x[0], x[1]) }, torch: "x[0] + x[1]"},
	{name: "sub", shapes: [][]int{{2, 1}, {1, 3}}, f: func(x []*V) *V { return Sub(x[0], x[1]) }, torch: "x[0] - x[1]"},
	{name: "mul", shapes: [][]int{{2, 3}, {2, 1}}, f: func(x []*V) *V { return Mul(x[0], x[1]) }, torch: "x[0] * x[1]"},
	{name: "div", shapes: [][]int{{2, 3}, {3}}, fill: positive, f: func(x []*V) *V { return Div(x[0], x[1]) }, torch: "x[0] / x[1]"},
	{name: "neg", shapes: [][]int{{4}}, f: func(x []*V) *V { return Neg(x[0]) }, torch: "-x[0]"},
	{name: "pow3", shapes: [][]int{{2, 2}}, f: func(x []*V) *V { return Pow(x[0], 3) }, torch: "x[0] ** 3"},
	{name: "pow2", shapes: [][]int{{3}}, f: func(x []*V) *V { return Pow(x[0], 2) }, torch: "x[0] ** 2"},
	{name: "pow-1.5", shapes: [][]int{{3}}, fill: positive, f: func(x []*V) *V { return Pow(x[0], -1.5) }, torch: "x[0] ** -1.5"},
	{name: "sqrt", shapes: [][]int{{3}}, fill: positive, f: func(x []*V) *V { return Pow(x[0], 0.5) }, torch: "x[0] ** 0.5"},
	{name: "exp", shapes: [][]int{{2, 3}}, f: func(x []*V) *V { return Exp(x[0]) }, torch: "torch.exp(x[0])"},
	{name: "log", shapes: [][]int{{2, 3}}, fill: positive, f: func(x []*V) *V { return Log(x[0]) }, torch: "torch.log(x[0])"},
	{name: "sin", shapes: [][]int{{5}}, f: func(x []*V) *V { return Sin(x[0]) }, torch: "torch.sin(x[0])"},
	{name: "cos", shapes: [][]int{{5}}, f: func(x []*V) *V { return Cos(x[0]) }, torch: "torch.cos(x[0])"},
	{name: "tanh", shapes: [][]int{{5}}, f: func(x []*V) *V { return Tanh(x[0]) }, torch: "torch.tanh(x[0])"},
	{name: "sigmoid", shapes: [][]int{{2, 3}}, f: func(x []*V) *V { return Sigmoid(x[0]) }, torch: "torch.sigmoid(x[0])"},
	{name: "relu", shapes: [][]int{{3, 4}}, fill: apart, f: func(x []*V) *V { return ReLU(x[0]) }, torch: "torch.relu(x[0])"},
	{name: "softmax", shapes: [][]int{{2, 4}}, f: func(x []*V) *V { return Softmax(x[0], 1) }, torch: "torch.softmax(x[0], 1)"},
	{name: "softmax-axis0", shapes: [][]int{{3, 2}}, f: func(x []*V) *V { return Softmax(x[0], 0) }, torch: "torch.softmax(x[0], 0)"},
	{name: "log-softmax", shapes: [][]int{{2, 4}}, f: func(x []*V) *V { return LogSoftmax(x[0], 1) }, torch: "torch.log_softmax(x[0], 1)"},
	{name: "matmul", shapes: [][]int{{2, 3}, {3, 4}}, f: func(x []*V) *V { return MatMul(x[0], x[1]) }, torch: "x[0] @ x[1]"},
	{name: "matmul-T", shapes: [][]int{{3, 2}, {4, 3}}, f: func(x []*V) *V { return MatMul(x[0].T(), x[1].T()) }, torch: "x[0].T @ x[1].T"},
	{name: "linear", shapes: [][]int{{2, 3}, {3, 4}, {4}}, f: func(x []*V) *V { return Linear(x[0], x[1], x[2]) }, torch: "x[0] @ x[1] + x[2]"},
	{name: "transpose", shapes: [][]int{{2, 3, 4}}, f: func(x []*V) *V { return Transpose(x[0], 1, 2, 0) }, torch: "x[0].permute(1, 2, 0)"},
	{name: "reshape", shapes: [][]int{{2, 3}}, f: func(x []*V) *V { return Mul(Reshape(x[0], 3, -1), Reshape(x[0], 3, 2)) }, torch: "x[0].reshape(3, -1) * x[0].reshape(3, 2)"},
	{name: "broadcast-to", shapes: [][]int{{3, 1}}, f: func(x []*V) *V { return Pow(BroadcastTo(x[0], 2, 3, 4), 2) }, torch: "x[0].expand(2, 3, 4) ** 2"},
	{name: "sum-to", shapes: [][]int{{2, 3, 4}}, f: func(x []*V) *V { return Pow(SumTo(x[0], 3, 1), 2) }, torch: "x[0].sum((0, 2)).reshape(3, 1) ** 2"},
	{name: "sum-axis", shapes: [][]int{{2, 3, 4}}, f: func(x []*V) *V { return Pow(Sum(x[0], false, 1), 2) }, torch: "x[0].sum(1) ** 2"},
	{name: "sum-keepdims", shapes: [][]int{{2, 3}}, f: func(x []*V) *V { return Mul(x[0], Sum(x[0], true, -1)) }, torch: "x[0] * x[0].sum(-1, keepdim=True)"},
	{name: "mean", shapes: [][]int{{2, 3}}, f: func(x []*V) *V { return Pow(Mean(x[0], false, 0), 3) }, torch: "x[0].mean(0) ** 3"},
	{name: "max", shapes: [][]int{{3, 4}}, fill: apart, f: func(x []*V) *V { return Pow(Max(x[0], false, 1), 2) }, torch: "x[0].amax(1) ** 2"},
	{name: "min-all", shapes: [][]int{{3, 4}}, fill: apart, f: func(x []*V) *V { return Pow(Min(x[0], false), 2) }, torch: "x[0].amin() ** 2"},
	{name: "rows", shapes: [][]int{{4, 3}}, f: func(x []*V) *V { return Pow(Rows(x[0], 2, 0, 2, -1), 2) }, torch: "x[0][[2, 0, 2, -1]] ** 2"},
	{name: "index", shapes: [][]int{{4, 3}}, f: func(x []*V) *V { return Pow(Index(x[0], 1), 3) }, torch: "x[0][1] ** 3"},
	{name: "slice", shapes: [][]int{{3, 5}}, f: func(x []*V) *V { return Pow(Slice(x[0], 1, 1, -1), 2) }, torch: "x[0][:, 1:-1] ** 2"},
	{name: "pick", shapes: [][]int{{3, 4}}, f: func(x []*V) *V { return Pow(Pick(x[0], []int{3, 0, 1}), 2) }, torch: "x[0][torch.arange(3), [3, 0, 1]] ** 2"},
	{name: "concat", shapes: [][]int{{2, 3}, {2, 1}}, f: func(x []*V) *V { return Pow(Concat(1, x[0], x[1]), 2) }, torch: "torch.cat([x[0], x[1]], 1) ** 2"},
	{name: "clip", shapes: [][]int{{3, 4}}, fill: apart, f: func(x []*V) *V { return Pow(Clip(x[0], -0.3, 0.4), 2) }, torch: "x[0].clamp(-0.3, 0.4) ** 2"},
	{name: "mse", shapes: [][]int{{3, 2}, {3, 2}}, f: func(x []*V) *V { return MeanSquaredError(x[0], x[1]) }, torch: "((x[0] - x[1]) ** 2).sum() / 3"},
	{name: "softmax-cross-entropy", shapes: [][]int{{3, 4}}, f: func(x []*V) *V { return SoftmaxCrossEntropy(x[0], []int{1, 3, 0}) }, torch: "F.cross_entropy(x[0], torch.tensor([1, 3, 0]))"},
	{name: "sigmoid-cross-entropy", shapes: [][]int{{3, 2}}, f: func(x []*V) *V {
		return SigmoidCrossEntropy(x[0], Const(tensor.FromSlice([]float64{1, 0, 0, 1, 1, 1}, 3, 2)))
	}, torch: "F.binary_cross_entropy_with_logits(x[0], torch.tensor([[1., 0], [0, 1], [1, 1]], dtype=torch.float64), reduction='sum') / 3"},
	{name: "embedding", shapes: [][]int{{5, 3}}, f: func(x []*V) *V { return Pow(Embedding(x[0], []int{4, 1, 1, 0}, 2, 2), 2) }, torch: "x[0][torch.tensor([[4, 1], [1, 0]])] ** 2"},
	{name: "im2col", shapes: [][]int{{2, 2, 3, 3}}, f: func(x []*V) *V { return Pow(Im2col(x[0], win), 2) }, torch: "F.unfold(x[0], (2, 3), padding=1).transpose(1, 2).reshape(-1, 12) ** 2"},
	{name: "col2im", shapes: [][]int{{24, 12}}, f: func(x []*V) *V { return Pow(Col2im(x[0], []int{2, 2, 3, 3}, win), 2) }, torch: "F.fold(x[0].reshape(2, 12, 12).transpose(1, 2), (3, 3), (2, 3), padding=1) ** 2"},
	{name: "conv2d", shapes: [][]int{{2, 2, 4, 4}, {3, 2, 3, 3}, {3}}, f: func(x []*V) *V { return Pow(Conv2D(x[0], x[1], x[2], 2, 1), 2) }, torch: "F.conv2d(x[0], x[1], x[2], stride=2, padding=1) ** 2"},
	{name: "max-pool", shapes: [][]int{{2, 2, 4, 4}}, fill: apart, f: func(x []*V) *V { return Pow(MaxPool2D(x[0], Window{2, 2, 2, 0}), 2) }, torch: "F.max_pool2d(x[0], 2, 2) ** 2"},
	{name: "average-pool", shapes: [][]int{{1, 2, 4, 4}}, f: func(x []*V) *V { return Pow(AveragePool2D(x[0], Window{3, 3, 1, 1}), 2) }, torch: "F.avg_pool2d(x[0], 3, 1, 1, count_include_pad=True) ** 2"},
	{name: "dropout", shapes: [][]int{{3, 4}}, f: func(x []*V) *V { return Pow(Dropout(x[0], 0.4, true, rng.NewNumpy(3)), 2) }},
	{name: "composite", shapes: [][]int{{2, 3}, {3, 2}}, f: func(x []*V) *V {
		h := Tanh(MatMul(x[0], x[1]))
		return Div(Exp(Sin(h)), Add(Mul(h, h), ConstScalar(1.0)))
	}, torch: "torch.exp(torch.sin(torch.tanh(x[0] @ x[1]))) / (torch.tanh(x[0] @ x[1]) ** 2 + 1)"},
}

// instance is a case's seeded inputs and the random weights that make its
// value a scalar (r, one per output element) and its gradient a scalar
// (v, one per input element).
type instance struct {
	in []*tensor.Tensor[float64]
	r  *tensor.Tensor[float64]
	v  []*tensor.Tensor[float64]
}

func newInstance(c opCase, seed uint32) instance {
	r := rng.NewNumpy(seed)
	var it instance
	for i, s := range c.shapes {
		t := tensor.New[float64](s...)
		if c.fill != nil {
			c.fill(r, i, t)
		} else {
			for k := range t.Data {
				t.Data[k] = r.Norm()
			}
		}
		it.in = append(it.in, t)
		v := tensor.New[float64](s...)
		for k := range v.Data {
			v.Data[k] = r.Norm()
		}
		it.v = append(it.v, v)
	}
	xs := it.vars()
	y := c.f(xs)
	it.r = tensor.New[float64](y.Shape()...)
	for k := range it.r.Data {
		it.r.Data[k] = r.Norm()
	}
	return it
}

func (it instance) vars() []*V {
	xs := make([]*V, len(it.in))
	for i, t := range it.in {
		xs[i] = New(t)
	}
	return xs
}

// loss is L = Σ f(x)·r, a scalar.
func (it instance) loss(c opCase, xs []*V) *V { return Sum(Mul(c.f(xs), Const(it.r)), false) }

// grads returns ∂L/∂x_i; with create set they are recorded.
func (it instance) grads(c opCase, xs []*V, create bool) []*V {
	L := it.loss(c, xs)
	if create {
		L.Backward(CreateGraph)
	} else {
		L.Backward()
	}
	g := make([]*V, len(xs))
	for i, x := range xs {
		g[i] = x.Grad
		if g[i] == nil {
			g[i] = Const(tensor.New[float64](x.Shape()...))
		}
		x.ClearGrad()
	}
	return g
}

// gdotv is G = Σ_i <∂L/∂x_i, v_i>, whose gradient is the Hessian of L
// times v.
func (it instance) gdotv(g []*V) *V {
	G := ConstScalar(0.0)
	for i, gi := range g {
		G = Add(G, Sum(Mul(gi, Const(it.v[i])), false))
	}
	return G
}

// firstAndSecond returns ∂L/∂x and H·v computed by Backward.
func (it instance) firstAndSecond(c opCase) (first, second [][]float64) {
	xs := it.vars()
	g := it.grads(c, xs, true)
	G := it.gdotv(g)
	G.Backward()
	for i, x := range xs {
		first = append(first, g[i].Data.Data)
		h := make([]float64, x.Len())
		if x.Grad != nil {
			copy(h, x.Grad.Data.Data)
		}
		second = append(second, h)
	}
	return first, second
}

// central returns the central difference of f in every input element.
func (it instance) central(f func() float64) [][]float64 {
	const h = 1e-5
	var d [][]float64
	for _, t := range it.in {
		di := make([]float64, len(t.Data))
		for k := range t.Data {
			old := t.Data[k]
			t.Data[k] = old + h
			fp := f()
			t.Data[k] = old - h
			fm := f()
			t.Data[k] = old
			di[k] = (fp - fm) / (2 * h)
		}
		d = append(d, di)
	}
	return d
}

// TestDerivativesCentralDifferences checks every op's first derivatives
// against central differences of L, and its second derivatives (H·v,
// recorded with CreateGraph) against central differences of G = <∇L, v>
// with ∇L from a plain Backward. Step 1e-5: the truncation error is about
// h²·f”' ≈ 1e-10 and the rounding error ε·|L|/h ≈ 1e-11 for these O(1)
// values, so agreement to 1e-7·(1+|d|) has a wide margin and still fails on
// any wrong formula.
func TestDerivativesCentralDifferences(t *testing.T) {
	const tol = 1e-7
	for _, c := range opCases {
		t.Run(c.name, func(t *testing.T) {
			it := newInstance(c, 1)
			first, second := it.firstAndSecond(c)
			n1 := it.central(func() float64 { return it.loss(c, it.vars()).Item() })
			n2 := it.central(func() float64 { return it.gdotv(it.grads(c, it.vars(), false)).Item() })
			compare(t, "first", first, n1, tol)
			compare(t, "second", second, n2, tol)
		})
	}
}

func compare(t *testing.T, what string, got, want [][]float64, tol float64) {
	t.Helper()
	for i := range want {
		for k := range want[i] {
			if d := math.Abs(got[i][k] - want[i][k]); !(d <= tol*(1+math.Abs(want[i][k]))) {
				t.Errorf("%s derivative of input %d element %d: %v, central difference %v", what, i, k, got[i][k], want[i][k])
			}
		}
	}
}

func TestFloat32Runs(t *testing.T) {
	x := New(tensor.FromSlice([]float32{0.5, -1, 2}))
	y := Sum(Mul(Tanh(x), Exp(x)), false)
	y.Backward()
	want := fmt.Sprint(x.Grad)
	if want == "variable(None)" || len(x.Grad.Data.Data) != 3 {
		t.Fatalf("float32 grad %v", x.Grad)
	}
}
