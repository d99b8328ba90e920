package tensor

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/rng"
)

// index returns the multi-index of flat offset off in shape.
func index(shape []int, off int) []int {
	idx := make([]int, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		idx[k] = off % shape[k]
		off /= shape[k]
	}
	return idx
}

// at reads t at idx of a larger broadcast shape (aligned at the end).
func at(t *Tensor[float64], idx []int) float64 {
	s := t.Shape()
	off := 0
	for k, d := range s {
		i := idx[len(idx)-len(s)+k]
		if d == 1 {
			i = 0
		}
		off = off*d + i
	}
	return t.Data[off]
}

func seq(shape ...int) *Tensor[float64] {
	t := New[float64](shape...)
	for i := range t.Data {
		t.Data[i] = float64(i) + 1
	}
	return t
}

func TestBinaryBroadcastAgainstIndexing(t *testing.T) {
	cases := [][2][]int{
		{{2, 3}, {2, 3}}, {{2, 3}, {}}, {{}, {2, 3}}, {{2, 3}, {3}}, {{2, 1}, {1, 3}},
		{{4, 1, 3}, {2, 1}}, {{1}, {5}}, {{2, 3, 4}, {3, 1}}, {{0, 3}, {3}},
	}
	ops := []func(a, b float64) float64{
		func(a, b float64) float64 { return a + b }, func(a, b float64) float64 { return a - b },
		func(a, b float64) float64 { return a * b }, func(a, b float64) float64 { return a / b },
	}
	for _, c := range cases {
		a, b := seq(c[0]...), seq(c[1]...)
		for op, f := range ops {
			got := Binary(BinaryOp(op), a, b)
			want := BroadcastShape(c[0], c[1])
			if !EqualShape(got.Shape(), want) {
				t.Fatalf("%v %s %v: shape %v, want %v", c[0], opNames[op], c[1], got.Shape(), want)
			}
			for i, v := range got.Data {
				idx := index(want, i)
				if e := f(at(a, idx), at(b, idx)); v != e {
					t.Fatalf("%v %s %v at %v: %v, want %v", c[0], opNames[op], c[1], idx, v, e)
				}
			}
		}
	}
}

func TestBroadcastSumToTranspose(t *testing.T) {
	x := seq(3, 1)
	b := BroadcastTo(x, 2, 3, 4)
	for i, v := range b.Data {
		if idx := index([]int{2, 3, 4}, i); v != at(x, idx) {
			t.Fatalf("BroadcastTo at %v: %v", idx, v)
		}
	}
	s := SumTo(b, 3, 1)
	for i, v := range s.Data {
		if v != 8*x.Data[i] {
			t.Fatalf("SumTo: %v, want %v", s.Data, 8*x.Data[i])
		}
	}
	if got := SumTo(seq(2, 3), 3); fmt.Sprint(got.Data) != "[5 7 9]" {
		t.Fatalf("SumTo([2 3] -> [3]) = %v", got.Data)
	}
	if got := SumAxes(seq(2, 3), false, 1); fmt.Sprint(got.Shape(), got.Data) != "[2] [6 15]" {
		t.Fatalf("SumAxes(axis 1) = %v %v", got.Shape(), got.Data)
	}
	if got := SumAxes(seq(2, 3), true); fmt.Sprint(got.Shape(), got.Data) != "[1 1] [21]" {
		t.Fatalf("SumAxes(all, keepdims) = %v %v", got.Shape(), got.Data)
	}
	if got := MaxAxes(FromSlice([]float64{1, 5, 3, 4, 2, 6}, 2, 3), false, false, 0); fmt.Sprint(got.Data) != "[4 5 6]" {
		t.Fatalf("MaxAxes(axis 0) = %v", got.Data)
	}
	if got := MaxAxes(FromSlice([]float64{1, 5, 3, 4, 2, 6}, 2, 3), true, true, 1); fmt.Sprint(got.Shape(), got.Data) != "[2 1] [1 2]" {
		t.Fatalf("MaxAxes(min, axis 1) = %v %v", got.Shape(), got.Data)
	}
	if got := MaxAxes(FromSlice([]float64{1, math.NaN(), 3}), false, false); !math.IsNaN(got.Data[0]) {
		t.Fatalf("a NaN must win as in numpy, got %v", got.Data)
	}
	x4 := seq(2, 3, 4, 5)
	y := Transpose(x4, 2, 0, 3, 1)
	if !EqualShape(y.Shape(), []int{4, 2, 5, 3}) {
		t.Fatalf("Transpose shape %v", y.Shape())
	}
	for i, v := range y.Data {
		j := index(y.Shape(), i)
		if w := x4.At(j[1], j[3], j[0], j[2]); v != w {
			t.Fatalf("Transpose at %v: %v, want %v", j, v, w)
		}
	}
	if back := Transpose(y, InversePerm([]int{2, 0, 3, 1})...); MaxAbsDiff(back, x4) != 0 {
		t.Fatal("the inverse permutation does not undo Transpose")
	}
	if y := Transpose(seq(2, 3)); fmt.Sprint(y.Data) != "[1 4 2 5 3 6]" {
		t.Fatalf("Transpose 2-D: %v", y.Data)
	}
}

func TestBroadcastPanicsNameShapes(t *testing.T) {
	for _, f := range []func(){
		func() { Binary(OpAdd, seq(2, 3), seq(2)) },
		func() { BroadcastTo(seq(2, 3), 3, 3) },
		func() { SumTo(seq(2, 3), 4) },
		func() { Transpose(seq(2, 3), 0, 0) },
	} {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.HasPrefix(msg, "tensor: ") || !strings.Contains(msg, "[2 3]") {
					t.Errorf("panic %q does not name the shapes", msg)
				}
			}()
			f()
		}()
	}
}

// TestFormatNumpyMatchesNumpy prints arrays of many magnitudes, shapes and
// both dtypes with numpy and with FormatNumpy and asks for the same text.
func TestFormatNumpyMatchesNumpy(t *testing.T) {
	py := tools.Python(t, "numpy")
	r := rng.NewNumpy(7)
	type arr struct {
		dtype string
		shape []int
		data  []float64
	}
	var arrs []arr
	shapes := [][]int{{}, {1}, {3}, {2, 3}, {1, 1}, {4, 1}, {2, 2, 2}, {13}, {3, 9}, {1200}, {40, 30}, {2, 1, 4}}
	scales := []float64{1, 1e-3, 1e-5, 1e3, 1e9, 1e17}
	for si, s := range shapes {
		for k, sc := range scales {
			n := numel(s)
			d := make([]float64, n)
			for i := range d {
				switch (i + k + si) % 7 {
				case 0:
					d[i] = math.Round(r.Float64() * 10)
				case 1:
					d[i] = -r.Float64() * sc
				default:
					d[i] = (r.Float64() - 0.3) * sc
				}
			}
			if si == 5 && k == 1 {
				d[0], d[1] = math.NaN(), math.Inf(-1)
			}
			arrs = append(arrs, arr{"float64", s, d}, arr{"float32", s, d})
		}
	}
	arrs = append(arrs, arr{"float64", []int{2}, []float64{0.1000000049, 2.5}}, arr{"float64", []int{3}, []float64{0, 0, 0}},
		arr{"float64", []int{2}, []float64{1e-5, 1.5}}, arr{"float64", []int{}, []float64{1e16}}, arr{"float64", []int{}, []float64{0}}) // this 0 was written -0.0, which is +0 in Go
	var script strings.Builder
	script.WriteString("import numpy as np, sys\nout = []\n")
	var want []string
	for _, a := range arrs {
		vals := make([]string, len(a.data))
		for i, v := range a.data {
			vals[i] = "float('" + fmt.Sprint(v) + "')"
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals[i] = fmt.Sprintf("%v", v)
				if v == 0 && math.Signbit(v) {
					vals[i] = "-0.0"
				}
			}
		}
		fmt.Fprintf(&script, "out.append(str(np.array([%s], dtype=np.%s).reshape(%s)))\n", strings.Join(vals, ","), a.dtype, pyShape(a.shape))
		if a.dtype == "float32" {
			x := New[float32](a.shape...)
			for i, v := range a.data {
				x.Data[i] = float32(v)
			}
			want = append(want, FormatNumpy(x))
		} else {
			x := New[float64](a.shape...)
			copy(x.Data, a.data)
			want = append(want, FormatNumpy(x))
		}
	}
	script.WriteString("sys.stdout.write('\\x00'.join(out))\n")
	dir := t.TempDir()
	file := filepath.Join(dir, "fmt.py")
	if err := os.WriteFile(file, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, file).Output()
	if err != nil {
		t.Fatalf("numpy: %v", err)
	}
	got := strings.Split(string(out), "\x00")
	if len(got) != len(want) {
		t.Fatalf("numpy printed %d arrays, want %d", len(got), len(want))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			bad++
			if bad <= 5 {
				t.Errorf("%s %v:\nnumpy:\n%s\nkiso:\n%s", arrs[i].dtype, arrs[i].shape, got[i], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d arrays differ", bad, len(got))
	}
}

func pyShape(s []int) string {
	if len(s) == 0 {
		return "()"
	}
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ",") + ",)"
}

func TestPairwiseSumOrder(t *testing.T) {
	// Eight interleaved partial sums, then the tail: the order is visible
	// in rounding with these magnitudes.
	x := []float64{1e16, 1, 1, 1, 1, 1, 1, 1, -1e16, 1, 1}
	if got := PairwiseSum(x); got != 8 {
		t.Fatalf("PairwiseSum = %v, want 8 (numpy's order)", got)
	}
}
