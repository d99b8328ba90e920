package tensor

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// naiveMatMul is the textbook triple loop, the reference for gemm.
func naiveMatMul(a, b [][]float64) [][]float64 {
	c := make([][]float64, len(a))
	for i := range a {
		c[i] = make([]float64, len(b[0]))
		for j := range b[0] {
			for p := range b {
				c[i][j] += a[i][p] * b[p][j]
			}
		}
	}
	return c
}

func toRows(t *Tensor[float64]) [][]float64 {
	r := make([][]float64, t.Rows())
	for i := range r {
		r[i] = append([]float64(nil), t.Row(i)...)
	}
	return r
}

func transpose(t *Tensor[float64]) *Tensor[float64] {
	r, c := t.Dim(0), t.Dim(1)
	u := New[float64](c, r)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			u.Set(t.At(i, j), j, i)
		}
	}
	return u
}

func TestGemmAgainstNaive(t *testing.T) {
	r := rng.NewNumpy(1)
	for _, sz := range [][3]int{{1, 1, 1}, {1, 2, 2}, {3, 5, 4}, {7, 1, 9}, {16, 33, 8}, {64, 70, 65}} {
		m, k, n := sz[0], sz[1], sz[2]
		a, b := RandN[float64](r, 1, m, k), RandN[float64](r, 1, k, n)
		want := naiveMatMul(toRows(a), toRows(b))
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				aa, bb := a, b
				if ta {
					aa = transpose(a)
				}
				if tb {
					bb = transpose(b)
				}
				for _, ab := range [][2]float64{{1, 0}, {0.5, 0}, {1, 1}, {-2, 0.25}} {
					c := RandN[float64](r, 1, m, n)
					c0 := c.Clone()
					Gemm(ta, tb, ab[0], aa, bb, ab[1], c)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							w := ab[0]*want[i][j] + ab[1]*c0.At(i, j)
							if d := math.Abs(c.At(i, j) - w); d > 1e-12*(1+math.Abs(w)) {
								t.Fatalf("%v transA=%v transB=%v alpha,beta=%v: c[%d,%d]=%v want %v", sz, ta, tb, ab, i, j, c.At(i, j), w)
							}
						}
					}
				}
			}
		}
	}
}

func TestGemmBetaZeroIgnoresNaN(t *testing.T) {
	c := FromSlice([]float64{math.NaN(), math.NaN()}, 1, 2)
	MatMulTo(c, FromSlice([]float64{1, 2}, 1, 2), FromSlice([]float64{1, 0, 0, 1}, 2, 2), false, false)
	if c.Data[0] != 1 || c.Data[1] != 2 {
		t.Errorf("got %v", c.Data)
	}
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one containing %q", want)
		}
		if msg := fmt.Sprint(r); !strings.HasPrefix(msg, "tensor: ") || !strings.Contains(msg, want) {
			t.Fatalf("panic %q, want one starting with tensor: and containing %q", msg, want)
		}
	}()
	f()
}

func TestShapePanicsNameBothShapes(t *testing.T) {
	a, b := New[float64](2, 3), New[float64](2, 3)
	mustPanic(t, "[2 3] · [2 3]", func() { MatMul(a, b) })
	mustPanic(t, "[2 3] and [3 2]", func() { AddTo(a, a, New[float64](3, 2)) })
	mustPanic(t, "[4]", func() { AddRowTo(a, a, New[float64](4)) })
	mustPanic(t, "6 elements do not fill shape [4]", func() { FromSlice(make([]float64, 6), 4) })
	mustPanic(t, "cannot reshape [2 3] to [4 -1]", func() { a.Reshape(4, -1) })
	mustPanic(t, "out of range", func() { a.At(2, 0) })
}

func TestElementwiseAndReductions(t *testing.T) {
	a := FromRows([][]float64{{1, 2, 3}, {4, 5, 6}})
	b := FromRows([][]float64{{6, 5, 4}, {3, 2, 1}})
	tests := []struct {
		name string
		got  *Tensor[float64]
		want []float64
	}{
		{"Add", Add(a, b), []float64{7, 7, 7, 7, 7, 7}},
		{"Sub", Sub(a, b), []float64{-5, -3, -1, 1, 3, 5}},
		{"Mul", Mul(a, b), []float64{6, 10, 12, 12, 10, 6}},
		{"Scale", Scale(2, a), []float64{2, 4, 6, 8, 10, 12}},
		{"AddRowTo", AddRowTo(New[float64](2, 3), a, FromSlice([]float64{10, 20, 30})), []float64{11, 22, 33, 14, 25, 36}},
		{"SumRows", SumRows(a), []float64{5, 7, 9}},
		{"AddScaled", AddScaled(a.Clone(), -1, b), []float64{-5, -3, -1, 1, 3, 5}},
		{"Apply", Apply(a, func(v float64) float64 { return v * v }), []float64{1, 4, 9, 16, 25, 36}},
	}
	for _, tt := range tests {
		for i, w := range tt.want {
			if tt.got.Data[i] != w {
				t.Errorf("%s = %v, want %v", tt.name, tt.got.Data, tt.want)
				break
			}
		}
	}
	if a.Data[0] != 1 || b.Data[0] != 6 {
		t.Error("an input was modified")
	}
	if g := ArgmaxRows(FromRows([][]float64{{1, 3, 3}, {-1, -2, -3}, {0, 0, 5}})); g[0] != 1 || g[1] != 0 || g[2] != 2 {
		t.Errorf("ArgmaxRows = %v, want [1 0 2] (first of ties)", g)
	}
	if s, m := Sum(a), Max(b); s != 21 || m != 6 {
		t.Errorf("Sum, Max = %v, %v", s, m)
	}
}

func TestReshapeSharesAndReuse(t *testing.T) {
	a := New[float32](2, 3, 4)
	v := a.Reshape(-1, 12)
	if v.Dim(0) != 2 || v.Dim(-1) != 12 || v.Rows() != 2 || v.Cols() != 12 {
		t.Fatalf("reshape shape %v", v.Shape())
	}
	v.Data[5] = 7
	if a.At(0, 1, 1) != 7 {
		t.Error("reshape does not share storage")
	}
	buf := Reuse[float32](nil, 4, 5)
	p := &buf.Data[0]
	buf = Reuse(buf, 2, 10)
	if &buf.Data[0] != p || buf.Len() != 20 {
		t.Error("Reuse reallocated a buffer that fits")
	}
	if n := testing.AllocsPerRun(100, func() { buf = Reuse(buf, 2, 10) }); n != 0 {
		t.Errorf("Reuse of the same shape allocates %v times", n)
	}
}

func TestRandNMatchesNumpyOrder(t *testing.T) {
	// 0.1 * np.random.randn(2, 2) after np.random.seed(0) is, row-major,
	// 0.1 times the first four normals of the stream.
	w := RandN[float64](rng.NewNumpy(0), 0.1, 2, 2)
	r := rng.NewNumpy(0)
	for i := range 4 {
		if want := 0.1 * r.Norm(); w.Data[i] != want {
			t.Errorf("element %d = %v, want %v", i, w.Data[i], want)
		}
	}
}

func TestString(t *testing.T) {
	got := FromRows([][]float64{{1, 0.5}, {-2, 3}}).String()
	if want := "[[1 0.5]\n [-2 3]]"; got != want {
		t.Errorf("String =\n%s\nwant\n%s", got, want)
	}
}

func BenchmarkMatMul100x784x50(b *testing.B) {
	r := rng.NewNumpy(0)
	x, w, y := RandN[float64](r, 1, 100, 784), RandN[float64](r, 1, 784, 50), New[float64](100, 50)
	for b.Loop() {
		MatMulTo(y, x, w, false, false)
	}
}

// TestFillEveryLength checks Fill's doubling copies on every length up to
// 70, with a value whose bits a zeroing or a partial copy would change.
func TestFillEveryLength(t *testing.T) {
	v := float32(math.Copysign(0, -1))
	for n := 0; n <= 70; n++ {
		x := New[float32](n)
		for i := range x.Data {
			x.Data[i] = float32(i + 1)
		}
		x.Fill(v)
		for i, got := range x.Data {
			if math.Float32bits(got) != math.Float32bits(v) {
				t.Fatalf("n=%d: element %d is %v, want -0", n, i, got)
			}
		}
	}
}
