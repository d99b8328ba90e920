package layers

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// seqModel is a model with nested sub-layers, as DeZero's SimpleRNN.
type seqModel struct {
	Base[float64]
	RNN *RNN[float64]
	FC  *Linear[float64]
}

func newSeqModel(r *rng.MT) *seqModel {
	m := &seqModel{}
	m.RNN = Add(&m.Base, "rnn", NewRNN[float64](4, 0, false, r))
	m.FC = Add(&m.Base, "fc", NewLinear[float64](0, 1, false, r))
	return m
}

func (m *seqModel) Forward(x *ag.Variable[float64]) *ag.Variable[float64] {
	return m.FC.Forward(m.RNN.Forward(x))
}

func paths[T tensor.Float](l Layer[T]) []string {
	var out []string
	for _, n := range NamedParams(l) {
		out = append(out, n.Path)
	}
	return out
}

func TestParamsNamedByPath(t *testing.T) {
	r := rng.NewNumpy(0)
	if got, want := paths[float64](newSeqModel(r)), []string{"rnn.x2h.W", "rnn.x2h.b", "rnn.h2h.W", "fc.W", "fc.b"}; !slices.Equal(got, want) {
		t.Errorf("SimpleRNN-like model: %v, want %v", got, want)
	}
	mlp := NewMLP([]int{3, 2}, ag.Sigmoid[float64], false, r)
	if got, want := paths[float64](mlp), []string{"l0.W", "l0.b", "l1.W", "l1.b"}; !slices.Equal(got, want) {
		t.Errorf("MLP: %v, want %v", got, want)
	}
	lstm := NewLSTM[float64](2, 0, false, r)
	want := []string{"x2f.W", "x2f.b", "x2i.W", "x2i.b", "x2o.W", "x2o.b", "x2u.W", "x2u.b", "h2f.W", "h2i.W", "h2o.W", "h2u.W"}
	if got := paths[float64](lstm); !slices.Equal(got, want) {
		t.Errorf("LSTM: %v, want %v", got, want)
	}
	for _, name := range []string{"", "a.b", "W"} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "layers: ") {
					t.Errorf("registering %q: panic %q, want one starting with \"layers: \"", name, msg)
				}
			}()
			l := NewLinear[float64](2, 2, false, r)
			l.Param(name, ag.New(tensor.New[float64](1)))
		}()
	}
}

// TestLazyShape checks that a Linear without an input size takes it from
// its first input and draws W then as DeZero does: randn(in, out)·√(1/in).
func TestLazyShape(t *testing.T) {
	l := NewLinear[float64](0, 3, false, rng.NewNumpy(7))
	if l.W.Data != nil || l.In != 0 {
		t.Fatalf("W before the first call: %v, In %d", l.W.Data, l.In)
	}
	y := l.Forward(ag.Const(tensor.New[float64](2, 5)))
	if !slices.Equal(y.Shape(), []int{2, 3}) || !slices.Equal(l.W.Shape(), []int{5, 3}) || l.In != 5 {
		t.Fatalf("after a [2, 5] input: y %v, W %v, In %d", y.Shape(), l.W.Shape(), l.In)
	}
	r := rng.NewNumpy(7)
	for i, w := range l.W.Data.Data {
		if want := r.Norm() * math.Sqrt(1.0/5); w != want {
			t.Fatalf("W[%d] = %v, want %v", i, w, want)
		}
	}
	W := l.W.Data
	l.Forward(ag.Const(tensor.New[float64](1, 5)))
	if l.W.Data != W {
		t.Fatal("a second call drew W again")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mlp.safetensors")
	x := ag.Const(tensor.RandN[float64](rng.NewNumpy(1), 1, 4, 3))
	m := NewMLP([]int{5, 2}, ag.Sigmoid[float64], true, rng.NewNumpy(0))
	want := m.Forward(x).Data.Data
	if err := Save(path, m); err != nil {
		t.Fatal(err)
	}
	f, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := model.ReadSafetensors(strings.NewReader(string(f)), int64(len(f)))
	if err != nil {
		t.Fatal(err)
	}
	if st.Metadata["format"] != Format || len(st.Tensors) != 4 {
		t.Fatalf("metadata %v, %d tensors", st.Metadata, len(st.Tensors))
	}
	for _, nt := range st.Tensors {
		if nt.DType != "F32" {
			t.Errorf("%s is %s, want F32 (its values are float32)", nt.Name, nt.DType)
		}
	}

	// A fresh model, lazily shaped: Load gives it the file's shapes.
	m2 := NewMLP([]int{5, 2}, ag.Sigmoid[float64], true, rng.NewNumpy(99))
	if err := Load(path, m2); err != nil {
		t.Fatal(err)
	}
	for i, n := range NamedParams(m2) {
		if !tensor.SameBits(n.V.Data.Data, NamedParams(m)[i].V.Data.Data) {
			t.Fatalf("%s differs after the round trip", n.Path)
		}
	}
	if got := m2.Forward(x).Data.Data; !slices.Equal(got, want) {
		t.Fatalf("outputs after loading %v, want %v", got, want)
	}
	if m2.Layers[0].In != 3 || m2.Layers[1].In != 5 {
		t.Fatalf("input sizes after loading: %d, %d, want 3, 5", m2.Layers[0].In, m2.Layers[1].In)
	}

	// A model of another shape: an error naming the tensor, nothing changed.
	m3 := NewMLP([]int{6, 2}, ag.Sigmoid[float64], true, rng.NewNumpy(0))
	m3.Forward(x)
	before := m3.Layers[0].W.Data
	if err := Load(path, m3); err == nil || !strings.Contains(err.Error(), `"l0.W"`) {
		t.Fatalf("loading into 3-6-2: %v, want an error naming l0.W", err)
	}
	if m3.Layers[0].W.Data != before {
		t.Fatal("a failed Load changed the model")
	}
	// A model with fewer parameters: the extra tensor is named.
	one := NewMLP([]int{5}, ag.Sigmoid[float64], true, rng.NewNumpy(0))
	if err := Load(path, one); err == nil || !strings.Contains(err.Error(), `"l1.`) {
		t.Fatalf("loading into one layer: %v, want an error naming l1's tensors", err)
	}
	if err := Load(filepath.Join(dir, "none.safetensors"), m2); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad"), []byte("hello, world"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Load(filepath.Join(dir, "bad"), m2); err == nil || !strings.HasPrefix(err.Error(), "layers: load ") {
		t.Fatalf("a text file: %v", err)
	}
}

// TestRecurrentGradients checks the gradients of RNN and LSTM, run over
// three steps, against central differences in float64 (h = 1e-6): the
// largest difference relative to max(1, |g|) must stay below 1e-7, the
// error of the central difference for these smooth functions.
func TestRecurrentGradients(t *testing.T) {
	type recurrent interface {
		Layer[float64]
		Forward(*ag.Variable[float64]) *ag.Variable[float64]
	}
	cases := map[string]func() (recurrent, func()){
		"RNN": func() (recurrent, func()) {
			l := NewRNN[float64](3, 2, false, rng.NewNumpy(3))
			return l, l.ResetState
		},
		"LSTM": func() (recurrent, func()) {
			l := NewLSTM[float64](3, 2, false, rng.NewNumpy(3))
			return l, l.ResetState
		},
	}
	xs := make([]*ag.Variable[float64], 3)
	r := rng.NewNumpy(5)
	for i := range xs {
		xs[i] = ag.Const(tensor.RandN[float64](r, 1, 2, 2))
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			l, reset := mk()
			loss := func() *ag.Variable[float64] {
				reset()
				var s *ag.Variable[float64]
				for _, x := range xs {
					h := ag.Sum(ag.Mul(l.Forward(x), l.Forward(x)), false)
					if s == nil {
						s = h
					} else {
						s = ag.Add(s, h)
					}
				}
				return s
			}
			// Every call runs Forward twice per input, so that the state
			// advances through six steps.
			loss().Backward()
			worst := 0.0
			for _, n := range NamedParams(l) {
				if n.V.Grad == nil {
					t.Fatalf("%s has no gradient", n.Path)
				}
				for i := range n.V.Data.Data {
					old := n.V.Data.Data[i]
					const h = 1e-6
					n.V.Data.Data[i] = old + h
					up := loss().Item()
					n.V.Data.Data[i] = old - h
					down := loss().Item()
					n.V.Data.Data[i] = old
					num, g := (up-down)/(2*h), n.V.Grad.Data.Data[i]
					worst = max(worst, math.Abs(num-g)/math.Max(1, math.Abs(g)))
				}
			}
			if worst > 1e-7 {
				t.Fatalf("largest relative difference %.3g", worst)
			}
			t.Logf("largest relative difference %.3g", worst)
		})
	}
}

// TestSkipNoGrad checks DeZero's behaviour (a parameter without gradient
// left alone, Adam's moments too) against the default (a zero gradient,
// with which Adam keeps moving a parameter it moved before).
func TestSkipNoGrad(t *testing.T) {
	for _, skip := range []bool{false, true} {
		m := NewMLP([]int{2, 1}, ag.Sigmoid[float64], false, rng.NewNumpy(0))
		x := ag.Const(tensor.RandN[float64](rng.NewNumpy(1), 1, 3, 2))
		opt := Setup[float64](optim.NewAdam[float64](0.1, optim.DefaultBeta1, optim.DefaultBeta2), m)
		opt.SkipNoGrad = skip
		ag.Sum(m.Forward(x), false).Backward()
		opt.Update()
		ClearGrads(m)
		b := slices.Clone(m.Layers[1].B.Data.Data)
		// Only l1.b gets no gradient now.
		ag.Sum(ag.Linear(m.Activation(m.Layers[0].Forward(x)), m.Layers[1].W, nil), false).Backward()
		opt.Update()
		moved := !slices.Equal(b, m.Layers[1].B.Data.Data)
		if moved == skip {
			t.Errorf("SkipNoGrad %v: the bias without a gradient moved: %v", skip, moved)
		}
	}
}
