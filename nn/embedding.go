package nn

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// EmbeddingSpec is the config of an Embedding layer: {"type": "embedding",
// "num_embeddings": 65, "embedding_dim": 128}, as PyTorch's
// nn.Embedding(num_embeddings, embedding_dim) names them. Std is the
// standard deviation its rows are drawn with (PyTorch's 1 when 0; nanoGPT
// draws 0.02).
type EmbeddingSpec struct {
	Num int     `json:"num_embeddings,omitempty"`
	Dim int     `json:"embedding_dim,omitempty"`
	Std float64 `json:"std,omitempty"`
}

func init() { Register("embedding", EmbeddingSpec{}, buildEmbedding[float32], buildEmbedding[float64]) }

// Type returns "embedding".
func (EmbeddingSpec) Type() string { return "embedding" }

// OutShape returns the input case's shape with Dim appended: [T] ids give
// [T, Dim].
func (s EmbeddingSpec) OutShape(in []int) ([]int, error) {
	if err := checkSizes("num_embeddings embedding_dim", s.Num, s.Dim); err != nil {
		return nil, err
	}
	if s.Num < 1 || s.Dim < 1 {
		return nil, fmt.Errorf("num_embeddings %d and embedding_dim %d must be positive", s.Num, s.Dim)
	}
	if !(s.Std >= 0 && s.Std < 1e3) {
		return nil, fmt.Errorf("std %v: want 0 (PyTorch's 1) or a positive number", s.Std)
	}
	if in == nil {
		return nil, nil
	}
	return append(append([]int{}, in...), s.Dim), nil
}

// Footprint counts the table and the output.
func (s EmbeddingSpec) Footprint(_, out []int) (int, int) { return mulSat(s.Num, s.Dim), numel(out) }

func buildEmbedding[T tensor.Float](s EmbeddingSpec, b *Builder) (Layer[T], error) {
	e := NewEmbedding[T](s.Num, s.Dim)
	std := s.Std
	if std == 0 {
		std = 1
	}
	e.Reset(b.Rand, std)
	return e, nil
}

// Spec returns the layer's config (Std left out: it is how the table was
// drawn, not its shape).
func (e *Embedding[T]) Spec() LayerSpec { return EmbeddingSpec{Num: e.num, Dim: e.dim} }

// ExportONNX writes Gather over the table after casting the input ids,
// which the graph carries as floats, to int64.
func (e *Embedding[T]) ExportONNX(g ONNXGraph) (string, error) {
	ids := g.Node("Cast", "ids", []string{g.Input()}, IntAttr("to", 7)) // 7: INT64
	w := g.Initializer("weight", []int{e.num, e.dim}, floats(e.W.Value.Data))
	return g.Node("Gather", "gather", []string{w, ids}, IntAttr("axis", 0)), nil
}

// embeddingIDs is the PyTorch module of an Embedding fed ids as floats.
const embeddingIDs = `class EmbeddingIDs(nn.Embedding):
    """nn.Embedding that takes its ids as any tensor of whole numbers, as kiso's Embedding does."""

    def forward(self, x):
        return super().forward(x.long())`

// TorchModule returns an EmbeddingIDs (nn.Embedding casting its input to
// long) defined in the script.
func (e *Embedding[T]) TorchModule(g TorchGraph) (string, error) {
	g.Define("EmbeddingIDs", embeddingIDs)
	return fmt.Sprintf("EmbeddingIDs(%d, %d)", e.num, e.dim), nil
}

var (
	_ Layer[float64] = (*Embedding[float64])(nil)
	_ Specced        = (*Embedding[float64])(nil)
	_ ONNXExporter   = (*Embedding[float64])(nil)
	_ TorchExporter  = (*Embedding[float64])(nil)
)

// Embedding is a lookup table: token id i becomes row i of W.
//
// Shapes: ids of any shape [...] (Forward takes them as a tensor of whole
// numbers, ForwardIDs as ints), W [num, dim] named "weight" as PyTorch's
// nn.Embedding, output [..., dim]. The gradient of W is the sum of the
// output gradients of the positions holding each id; there is no
// gradient with respect to the ids.
type Embedding[T tensor.Float] struct {
	W *Param[T]

	num, dim int
	params   []*Param[T]
	ids      []int
	y        *tensor.Tensor[T]
}

// NewEmbedding returns a table of num rows of dim values, all zero (Reset
// draws them). Its weight is not decayed (nanoGPT's grouping decays only
// matrices it multiplies by, and an embedding is looked up, not
// multiplied; GPT, which ties it to its head, turns decay on). It panics
// if a size is not positive.
func NewEmbedding[T tensor.Float](num, dim int) *Embedding[T] {
	if num < 1 || dim < 1 {
		panic(fmt.Sprintf("nn: Embedding(%d, %d): sizes must be positive", num, dim))
	}
	return &Embedding[T]{W: NewParam("weight", tensor.New[T](num, dim), false), num: num, dim: dim}
}

// Num returns the number of rows, Dim their size.
func (e *Embedding[T]) Num() int { return e.num }
func (e *Embedding[T]) Dim() int { return e.dim }

// Reset draws every row from N(0, std²): std 1 is PyTorch's default, 0.02
// nanoGPT's.
func (e *Embedding[T]) Reset(r *rng.MT, std float64) { tensor.FillNormal(e.W.Value, r, 0, std) }

// Forward looks up the ids x holds (whole numbers in [0, Num)) and returns
// [x's shape..., Dim]. It panics on any other value.
func (e *Embedding[T]) Forward(x *tensor.Tensor[T], _ bool) *tensor.Tensor[T] {
	e.ids = e.ids[:0]
	for i, v := range x.Data {
		id := int(v)
		if T(id) != v {
			panic(fmt.Sprintf("nn: Embedding got %v at position %d: want whole-number ids", v, i))
		}
		e.ids = append(e.ids, id)
	}
	return e.lookup(x.Shape())
}

// ForwardIDs looks up ids (each in [0, Num)) taken as a tensor of the
// given shape, whose product must be len(ids), and returns
// [shape..., Dim]. The ids are copied.
func (e *Embedding[T]) ForwardIDs(ids []int, shape ...int) *tensor.Tensor[T] {
	if numel(shape) != len(ids) {
		panic(fmt.Sprintf("nn: Embedding.ForwardIDs got %d ids for shape %v", len(ids), shape))
	}
	e.ids = append(e.ids[:0], ids...)
	return e.lookup(shape)
}

func (e *Embedding[T]) lookup(shape []int) *tensor.Tensor[T] {
	out := append(append(make([]int, 0, len(shape)+1), shape...), e.dim)
	if e.y == nil || !tensor.EqualShape(e.y.Shape(), out) {
		e.y = tensor.Reuse(e.y, out...)
	}
	d, w := e.dim, e.W.Value.Data
	for i, id := range e.ids {
		if id < 0 || id >= e.num {
			panic(fmt.Sprintf("nn: Embedding(%d, %d) got id %d at position %d", e.num, e.dim, id, i))
		}
		copy(e.y.Data[i*d:(i+1)*d], w[id*d:(id+1)*d])
	}
	return e.y
}

// Backward overwrites W's gradient with the sum, for each row, of the
// rows of dy at the positions that looked it up, and returns nil: ids
// have no gradient.
func (e *Embedding[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	e.W.Grad.Zero()
	e.BackwardAdd(dy)
	return nil
}

// BackwardAdd adds the rows of dy into W's gradient without clearing it
// first, for a table shared with another use (a GPT's head tied to its
// token embedding).
func (e *Embedding[T]) BackwardAdd(dy *tensor.Tensor[T]) {
	if e.y == nil || !tensor.SameShape(dy, e.y) {
		panic(fmt.Sprintf("nn: Embedding backward got gradient of shape %v for output %v", dy.Shape(), shapeOf(e.y)))
	}
	d, g := e.dim, e.W.Grad.Data
	for i, id := range e.ids {
		gr, dr := g[id*d:(id+1)*d], dy.Data[i*d:(i+1)*d]
		for j, v := range dr {
			gr[j] += v
		}
	}
}

// Params returns the table.
func (e *Embedding[T]) Params() []*Param[T] {
	if len(e.params) != 1 || e.params[0] != e.W {
		e.params = []*Param[T]{e.W}
	}
	return e.params
}
