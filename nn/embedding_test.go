package nn_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestEmbeddingLookup checks that each id becomes its row, in order, and
// that the gradient of a row is the sum of the gradients of the positions
// that looked it up (id 2 appears twice).
func TestEmbeddingLookup(t *testing.T) {
	e := nn.NewEmbedding[float64](4, 2)
	copy(e.W.Value.Data, []float64{0, 1, 10, 11, 20, 21, 30, 31})
	y := e.Forward(tensor.FromSlice([]float64{2, 0, 3, 2}, 2, 2), true)
	if !slices.Equal(y.Shape(), []int{2, 2, 2}) || !slices.Equal(y.Data, []float64{20, 21, 0, 1, 30, 31, 20, 21}) {
		t.Fatalf("lookup %v %v", y.Shape(), y.Data)
	}
	e.W.Grad.Fill(99) // Backward overwrites
	if dx := e.Backward(tensor.FromSlice([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2)); dx != nil {
		t.Errorf("dx %v, want nil", dx)
	}
	if want := []float64{3, 4, 0, 0, 8, 10, 5, 6}; !slices.Equal(e.W.Grad.Data, want) {
		t.Errorf("grad %v, want %v", e.W.Grad.Data, want)
	}
	e.BackwardAdd(tensor.FromSlice([]float64{1, 1, 0, 0, 0, 0, 0, 0}, 2, 2, 2))
	if want := []float64{3, 4, 0, 0, 9, 11, 5, 6}; !slices.Equal(e.W.Grad.Data, want) {
		t.Errorf("grad after BackwardAdd %v, want %v", e.W.Grad.Data, want)
	}
	y2 := e.ForwardIDs([]int{2, 0, 3, 2}, 2, 2)
	if !slices.Equal(y2.Data, []float64{20, 21, 0, 1, 30, 31, 20, 21}) {
		t.Errorf("ForwardIDs %v", y2.Data)
	}
}

// TestEmbeddingGradients checks the table's gradient against central
// differences in float64, alone and under a LayerNorm and a Linear (the
// ids have no gradient, so the input check is skipped), within
// layerTolerance.
func TestEmbeddingGradients(t *testing.T) {
	r := rng.NewNumpy(3)
	emb := func() *nn.Embedding[float64] {
		e := nn.NewEmbedding[float64](5, 4)
		e.Reset(r, 1)
		return e
	}
	ids := tensor.FromSlice([]float64{0, 4, 4, 1, 2, 0}, 2, 3)
	l1, t1 := mse(r, 2, 3, 4)
	l2, t2 := mse(r, 2, 3)
	ln := nn.NewLayerNorm[float64](4, true)
	tensor.FillNormal(ln.Gamma.Value, r, 1, 0.3)
	runGradCases(t, []gradCase{
		{name: "alone", net: emb(), x: ids, t: t1, l: l1, noInput: true},
		{name: "under layernorm, linear", net: nn.NewSequential[float64](emb(), ln, linear(r, 12, 3)), x: ids, t: t2, l: l2, noInput: true},
	})
}

// TestEmbeddingSpec checks the config's JSON, that the built layer gives
// it back, the output shape, and what it refuses.
func TestEmbeddingSpec(t *testing.T) {
	js := `{"type":"embedding","num_embeddings":65,"embedding_dim":8}`
	var ls nn.LayerSpecs
	if err := json.Unmarshal([]byte("["+js+"]"), &ls); err != nil {
		t.Fatal(err)
	}
	l, err := nn.BuildLayer[float32](ls[0], &nn.Builder{Rand: rng.NewNumpy(1)})
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := json.Marshal(nn.LayerSpecs{l.(nn.Specced).Spec()}); string(back) != "["+js+"]" {
		t.Errorf("written back as %s", back)
	}
	if out, err := (nn.Spec{Input: []int{16}, Layers: ls}).Validate(nil); err != nil || !slices.Equal(out, []int{16, 8}) {
		t.Errorf("[16]: %v, %v", out, err)
	}
	for _, s := range []nn.EmbeddingSpec{{}, {Num: 3}, {Num: 3, Dim: 2, Std: -1}, {Num: nn.MaxSize + 1, Dim: 1}} {
		if _, err := (nn.Spec{Input: []int{4}, Layers: nn.LayerSpecs{s}}).Validate(nil); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}

// TestEmbeddingPanics checks the messages for ids out of range or not
// whole.
func TestEmbeddingPanics(t *testing.T) {
	e := nn.NewEmbedding[float32](3, 2)
	for _, x := range [][]float32{{3}, {-1}, {0.5}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("ids %v: no panic", x)
				}
			}()
			e.Forward(tensor.FromSlice(x, 1, 1), false)
		}()
	}
}
