package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// GPTConfig is the config of a GPT, with nanoGPT's GPTConfig names (its
// bias=False: no biases in Linear layers or LayerNorms): {"type": "gpt",
// "vocab_size": 91, "block_size": 64, "n_layer": 4, "n_head": 4,
// "n_embd": 128}. Dropout applies after the embeddings, on the attention
// weights and on each residual branch, in training only.
type GPTConfig struct {
	Vocab   int     `json:"vocab_size,omitempty"`
	Block   int     `json:"block_size,omitempty"`
	Layers  int     `json:"n_layer,omitempty"`
	Heads   int     `json:"n_head,omitempty"`
	Embd    int     `json:"n_embd,omitempty"`
	Dropout float64 `json:"dropout,omitempty"`
}

func init() {
	Register("gpt", GPTConfig{}, buildGPT[float32], buildGPT[float64])
	RegisterArchitecture("gpt", GPTConfig{Vocab: 65, Block: 64, Layers: 4, Heads: 4, Embd: 128}, func(c GPTConfig) (Spec, error) {
		if _, err := c.OutShape(nil); err != nil {
			return Spec{}, err
		}
		return Spec{Input: []int{c.Block}, Layers: LayerSpecs{c}}, nil
	})
}

// Type returns "gpt".
func (GPTConfig) Type() string { return "gpt" }

// Check reports the first size that is not positive or too large, a head
// count that does not divide the embedding, or a dropout rate outside
// [0, 1).
func (c GPTConfig) Check() error {
	if err := checkSizes("vocab_size block_size n_layer n_head n_embd", c.Vocab, c.Block, c.Layers, c.Heads, c.Embd); err != nil {
		return err
	}
	if c.Vocab < 1 || c.Block < 1 || c.Layers < 1 || c.Heads < 1 || c.Embd < 1 {
		return fmt.Errorf("vocab_size %d, block_size %d, n_layer %d, n_head %d and n_embd %d must be positive", c.Vocab, c.Block, c.Layers, c.Heads, c.Embd)
	}
	if c.Embd%c.Heads != 0 {
		return fmt.Errorf("n_head %d does not divide n_embd %d", c.Heads, c.Embd)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return fmt.Errorf("dropout %v: want a rate in [0, 1)", c.Dropout)
	}
	return nil
}

// OutShape checks the config and returns [T, vocab_size] for an input case
// of T ≤ block_size token ids.
func (c GPTConfig) OutShape(in []int) ([]int, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, nil
	}
	if len(in) != 1 || in[0] == 0 || in[0] > c.Block {
		return nil, fmt.Errorf("input %v: want [T] token ids, T at most block_size %d", in, c.Block)
	}
	return []int{in[0], c.Vocab}, nil
}

// Footprint counts the parameters (the head shares the token embedding)
// and, per case of T positions, the activations each block keeps (about
// 20 values per feature and position, and the attention weights, twice
// H·T² per block) and the logits.
func (c GPTConfig) Footprint(in, _ []int) (int, int) {
	params := addSat(mulSat(c.Vocab+c.Block, c.Embd), mulSat(c.Layers, addSat(mulSat(12*c.Embd, c.Embd), 2*c.Embd)))
	params = addSat(params, c.Embd)
	t := c.Block
	if len(in) == 1 && in[0] > 0 {
		t = in[0]
	}
	perBlock := addSat(mulSat(mulSat(20, t), c.Embd), mulSat(2*c.Heads, mulSat(t, t)))
	return params, addSat(mulSat(c.Layers, perBlock), mulSat(t, addSat(2*c.Vocab, 3*c.Embd)))
}

func buildGPT[T tensor.Float](c GPTConfig, b *Builder) (Layer[T], error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	g := NewGPT[T](c, b.Rand)
	g.Reset(b.Rand)
	return g, nil
}

// Spec returns the GPT's config.
func (g *GPT[T]) Spec() LayerSpec { return g.cfg }

var (
	_ Layer[float64] = (*GPT[float64])(nil)
	_ Specced        = (*GPT[float64])(nil)
)

// GPT is a decoder-only transformer (Radford et al., 2018, 2019), as
// nanoGPT's model.py writes it with bias=False:
//
//	x = drop(wte[ids] + wpe[0..T−1])
//	for each block:  x = x + attn(ln_1(x));  x = x + mlp(ln_2(x))
//	logits = ln_f(x) · wteᵀ          (the head tied to the token embedding)
//
// with mlp(x) = drop(gelu(x·c_fc)·c_proj), c_fc [C, 4C], c_proj [4C, C],
// and attn a CausalSelfAttention.
//
// Shapes: ids [B, T] with T ≤ Block (Forward takes them as whole-number
// floats, ForwardIDs as ints), logits [B, T, Vocab]. Parameters are named
// as nanoGPT's state_dict: transformer.wte.weight, transformer.wpe.weight,
// transformer.h.0.ln_1.weight, transformer.h.0.attn.c_attn.weight, ...,
// transformer.ln_f.weight; lm_head.weight is transformer.wte.weight and
// not listed twice. Matrices and embeddings are decayed, LayerNorm weights
// not (nanoGPT's grouping: every parameter of two or more dimensions).
type GPT[T tensor.Float] struct {
	Wte, Wpe *Embedding[T]
	H        []*Block[T]
	LnF      *LayerNorm[T]

	cfg    GPTConfig
	drop   *Dropout[T]
	params []*Param[T]

	b, t    int
	pos     []int
	x0, x0d *tensor.Tensor[T] // embeddings' sum, [B, T, C], and after dropout
	xf      *tensor.Tensor[T] // ln_f's output, [B, T, C]
	logits  *tensor.Tensor[T] // [B·T, V]
	dxf     *tensor.Tensor[T]

	xfv, logitsv, dlv, dxfv reshaped[T]
}

// NewGPT returns a GPT of the config with all weights zero (Reset draws
// them), drawing the seeds of its dropout generators from r (nil when
// c.Dropout is 0). It panics if the config is invalid (GPTConfig.Check).
func NewGPT[T tensor.Float](c GPTConfig, r *rng.MT) *GPT[T] {
	if err := c.Check(); err != nil {
		panic("nn: GPT: " + err.Error())
	}
	g := &GPT[T]{cfg: c, Wte: NewEmbedding[T](c.Vocab, c.Embd), Wpe: NewEmbedding[T](c.Block, c.Embd), LnF: NewLayerNorm[T](c.Embd, false)}
	g.Wte.W.Decay, g.Wpe.W.Decay = true, true
	if c.Dropout > 0 {
		g.drop = NewDropout[T](c.Dropout, rng.NewNumpy(r.Uint32()))
	}
	for range c.Layers {
		g.H = append(g.H, NewBlock[T](c.Embd, c.Heads, c.Block, c.Dropout, r))
	}
	named := func(prefix string, ps []*Param[T]) {
		for _, p := range ps {
			q := *p
			q.Name = prefix + p.Name
			g.params = append(g.params, &q)
		}
	}
	named("transformer.wte.", g.Wte.Params())
	named("transformer.wpe.", g.Wpe.Params())
	for i, blk := range g.H {
		named(fmt.Sprintf("transformer.h.%d.", i), blk.Params())
	}
	named("transformer.ln_f.", g.LnF.Params())
	return g
}

// Config returns the GPT's config.
func (g *GPT[T]) Config() GPTConfig { return g.cfg }

// Reset draws every matrix and embedding from N(0, 0.02²), the residual
// projections (attn.c_proj, mlp.c_proj) from N(0, 0.02²/(2·n_layer)), and
// sets the LayerNorm weights to 1, as nanoGPT initializes them.
func (g *GPT[T]) Reset(r *rng.MT) {
	const std = 0.02
	proj := std / math.Sqrt(float64(2*g.cfg.Layers))
	g.Wte.Reset(r, std)
	g.Wpe.Reset(r, std)
	for _, blk := range g.H {
		blk.Ln1.Gamma.Value.Fill(1)
		blk.Ln2.Gamma.Value.Fill(1)
		blk.Attn.Reset(r, std, proj)
		tensor.FillNormal(blk.MLP.CFc.Value, r, 0, std)
		tensor.FillNormal(blk.MLP.CProj.Value, r, 0, proj)
	}
	g.LnF.Gamma.Value.Fill(1)
}

// Forward returns the logits for ids x [B, T] held as whole-number floats.
func (g *GPT[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	s := x.Shape()
	if len(s) != 2 {
		panic(fmt.Sprintf("nn: GPT got input of shape %v, want [batch, T] token ids", s))
	}
	ids := make([]int, len(x.Data))
	for i, v := range x.Data {
		ids[i] = int(v)
		if T(ids[i]) != v {
			panic(fmt.Sprintf("nn: GPT got %v at position %d: want whole-number ids", v, i))
		}
	}
	return g.ForwardIDs(ids, s[0], s[1], train)
}

// ForwardIDs returns the logits [b, t, Vocab] for ids, b sequences of t ≤
// Block ids each, one after another. The logits belong to the GPT and stay
// valid until its next Forward.
func (g *GPT[T]) ForwardIDs(ids []int, b, t int, train bool) *tensor.Tensor[T] {
	c := g.cfg
	if b < 1 || t < 1 || t > c.Block || len(ids) != b*t {
		panic(fmt.Sprintf("nn: GPT(block %d) got %d ids as %d sequences of %d", c.Block, len(ids), b, t))
	}
	g.b, g.t = b, t
	if len(g.pos) != b*t {
		g.pos = make([]int, b*t)
		for i := range g.pos {
			g.pos[i] = i % t
		}
	}
	g.x0 = reuse(g.x0, b, t, c.Embd)
	tensor.AddTo(g.x0, g.Wte.ForwardIDs(ids, b, t), g.Wpe.ForwardIDs(g.pos, b, t))
	x := g.x0
	if g.drop != nil && train {
		x = g.drop.Forward(x, true)
	}
	g.x0d = x
	for _, blk := range g.H {
		x = blk.Forward(x, train)
	}
	n := b * t
	xf := g.xfv.of(g.LnF.Forward(x, train), n, c.Embd, 0)
	g.xf = xf
	g.logits = reuse(g.logits, n, c.Vocab)
	tensor.MatMulTo(g.logits, xf, g.Wte.W.Value, false, true)
	return g.logitsv.of(g.logits, b, t, c.Vocab)
}

// Backward takes the gradient of the loss with respect to the logits [B,
// T, Vocab], overwrites every parameter's gradient (the token embedding's
// gets both its uses: the head's and the lookup's) and returns nil: token
// ids have no gradient.
func (g *GPT[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	c, n := g.cfg, g.b*g.t
	if g.logits == nil || dy.Len() != n*c.Vocab {
		panic(fmt.Sprintf("nn: GPT backward got gradient of shape %v for logits [%d %d %d]", dy.Shape(), g.b, g.t, c.Vocab))
	}
	d := g.dlv.of(dy, n, c.Vocab, 0)
	// logits = xf·wteᵀ
	tensor.MatMulTo(g.Wte.W.Grad, d, g.xf, true, false)
	g.dxf = reuse(g.dxf, g.b, g.t, c.Embd)
	tensor.MatMulTo(g.dxfv.of(g.dxf, n, c.Embd, 0), d, g.Wte.W.Value, false, false)
	dx := g.LnF.Backward(g.dxf)
	for i := len(g.H) - 1; i >= 0; i-- {
		dx = g.H[i].Backward(dx)
	}
	if g.x0d != g.x0 {
		dx = g.drop.Backward(dx)
	}
	g.Wpe.Backward(dx)
	g.Wte.BackwardAdd(dx)
	return nil
}

// Params returns the parameters under nanoGPT's names: wte, wpe, each
// block's (ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj),
// ln_f.
func (g *GPT[T]) Params() []*Param[T] { return g.params }

// RNGs returns the dropout generators, in order (none at dropout 0).
func (g *GPT[T]) RNGs() []*rng.MT {
	var out []*rng.MT
	if g.drop != nil {
		out = append(out, g.drop.r)
	}
	for _, blk := range g.H {
		out = append(out, blk.RNGs()...)
	}
	return out
}

// FreezeDropout fixes every dropout mask (see Dropout.Freeze), for a
// gradient check.
func (g *GPT[T]) FreezeDropout() {
	if g.drop != nil {
		g.drop.Freeze()
	}
	for _, blk := range g.H {
		blk.Attn.FreezeDropout()
		if blk.MLP.drop != nil {
			blk.MLP.drop.Freeze()
		}
	}
}

// Block is a pre-LayerNorm transformer block: x + attn(ln_1(x)), then
// that plus mlp(ln_2(that)). Shapes: x and the output [B, T, C].
type Block[T tensor.Float] struct {
	Ln1, Ln2 *LayerNorm[T]
	Attn     *CausalSelfAttention[T]
	MLP      *FeedForward[T]

	params           []*Param[T]
	x1, out, dx1, dx *tensor.Tensor[T]
}

// NewBlock returns a block of embd features, heads heads, windows of up to
// block positions and dropout rate p (generators seeded from r), with
// zero weights and LayerNorm weights 1, without biases.
func NewBlock[T tensor.Float](embd, heads, block int, p float64, r *rng.MT) *Block[T] {
	k := &Block[T]{
		Ln1:  NewLayerNorm[T](embd, false),
		Attn: NewCausalSelfAttention[T](embd, heads, block, p, r),
		Ln2:  NewLayerNorm[T](embd, false),
		MLP:  NewFeedForward[T](embd, p, r),
	}
	for _, part := range []struct {
		name string
		l    Layer[T]
	}{{"ln_1.", k.Ln1}, {"attn.", k.Attn}, {"ln_2.", k.Ln2}, {"mlp.", k.MLP}} {
		for _, p := range part.l.Params() {
			q := *p
			q.Name = part.name + p.Name
			k.params = append(k.params, &q)
		}
	}
	return k
}

// Forward returns the block's output for x [B, T, C].
func (k *Block[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	s := x.Shape()
	k.x1 = reuse(k.x1, s...)
	tensor.AddTo(k.x1, x, k.Attn.Forward(k.Ln1.Forward(x, train), train))
	k.out = reuse(k.out, s...)
	tensor.AddTo(k.out, k.x1, k.MLP.Forward(k.Ln2.Forward(k.x1, train), train))
	return k.out
}

// Backward returns dx for dy [B, T, C] (the output's shape) and overwrites
// its parameters' gradients.
func (k *Block[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	s := k.out.Shape()
	k.dx1 = reuse(k.dx1, s...)
	tensor.AddTo(k.dx1, dy, k.Ln2.Backward(k.MLP.Backward(dy)))
	k.dx = reuse(k.dx, s...)
	tensor.AddTo(k.dx, k.dx1, k.Ln1.Backward(k.Attn.Backward(k.dx1)))
	return k.dx
}

// Params returns ln_1.weight, attn.c_attn.weight, attn.c_proj.weight,
// ln_2.weight, mlp.c_fc.weight and mlp.c_proj.weight.
func (k *Block[T]) Params() []*Param[T] { return k.params }

// RNGs returns the attention's and the MLP's dropout generators.
func (k *Block[T]) RNGs() []*rng.MT {
	out := k.Attn.RNGs()
	if k.MLP.drop != nil {
		out = append(out, k.MLP.drop.r)
	}
	return out
}

// FeedForward is the transformer's feed-forward branch without biases:
// drop(gelu(x·c_fc)·c_proj), exact GELU, c_fc [C, 4C] and c_proj [4C, C]
// stored [in, out] (Transposed: PyTorch holds [out, in]). Shapes: x and
// the output [B, T, C].
type FeedForward[T tensor.Float] struct {
	CFc, CProj *Param[T]
	Gelu       *GELU[T]

	drop   *Dropout[T]
	params []*Param[T]
	c      int
	x, h   *tensor.Tensor[T] // input as [n, C]; c_fc's output [n, 4C]
	g      *tensor.Tensor[T] // GELU's output
	y, yd  *tensor.Tensor[T] // [n, C], and after dropout
	dg, dx *tensor.Tensor[T]
	b, t   int

	xv, outv, dyv, dxv reshaped[T]
}

// NewFeedForward returns the branch for embd features with dropout rate p (its
// generator seeded from r when p > 0) and zero weights.
func NewFeedForward[T tensor.Float](embd int, p float64, r *rng.MT) *FeedForward[T] {
	m := &FeedForward[T]{c: embd, Gelu: NewGELU[T](false)}
	m.CFc = NewParam("c_fc.weight", tensor.New[T](embd, 4*embd), true)
	m.CProj = NewParam("c_proj.weight", tensor.New[T](4*embd, embd), true)
	m.CFc.Transposed, m.CProj.Transposed = true, true
	if p > 0 {
		m.drop = NewDropout[T](p, rng.NewNumpy(r.Uint32()))
	}
	m.params = []*Param[T]{m.CFc, m.CProj}
	return m
}

// Forward returns the branch's output for x [B, T, C].
func (m *FeedForward[T]) Forward(x *tensor.Tensor[T], train bool) *tensor.Tensor[T] {
	s := x.Shape()
	if len(s) != 3 || s[2] != m.c {
		panic(fmt.Sprintf("nn: FeedForward(%d) got input of shape %v, want [batch, T, %d]", m.c, s, m.c))
	}
	m.b, m.t = s[0], s[1]
	n := m.b * m.t
	m.x = m.xv.of(x, n, m.c, 0)
	m.h = reuse(m.h, n, 4*m.c)
	tensor.MatMulTo(m.h, m.x, m.CFc.Value, false, false)
	m.g = m.Gelu.Forward(m.h, train)
	m.y = reuse(m.y, n, m.c)
	tensor.MatMulTo(m.y, m.g, m.CProj.Value, false, false)
	m.yd = m.y
	if m.drop != nil && train {
		m.yd = m.drop.Forward(m.y, true)
	}
	return m.outv.of(m.yd, m.b, m.t, m.c)
}

// Backward returns dx for dy of the output's shape and overwrites the
// gradients of c_fc and c_proj.
func (m *FeedForward[T]) Backward(dy *tensor.Tensor[T]) *tensor.Tensor[T] {
	n := m.x.Dim(0)
	if dy.Len() != n*m.c {
		panic(fmt.Sprintf("nn: FeedForward backward got gradient of shape %v for output [%d %d %d]", dy.Shape(), m.b, m.t, m.c))
	}
	d := m.dyv.of(dy, n, m.c, 0)
	if m.yd != m.y {
		d = m.drop.Backward(d)
	}
	tensor.MatMulTo(m.CProj.Grad, m.g, d, true, false)
	m.dg = reuse(m.dg, n, 4*m.c)
	tensor.MatMulTo(m.dg, d, m.CProj.Value, false, true)
	dh := m.Gelu.Backward(m.dg)
	tensor.MatMulTo(m.CFc.Grad, m.x, dh, true, false)
	m.dx = reuse(m.dx, n, m.c)
	tensor.MatMulTo(m.dx, dh, m.CFc.Value, false, true)
	return m.dxv.of(m.dx, m.b, m.t, m.c)
}

// Params returns c_fc.weight and c_proj.weight.
func (m *FeedForward[T]) Params() []*Param[T] { return m.params }

// gptTorch is the PyTorch module of a GPT, nanoGPT's model.py with
// bias=False, its state_dict names those of Params: the head reuses
// transformer.wte.weight (a functional linear), so that no lm_head.weight is listed
// (nanoGPT lists it too, tied: add it as a copy of transformer.wte.weight
// to load these weights into nanoGPT's GPT).
const gptTorch = `class GPTSelfAttention(nn.Module):
    """nanoGPT's CausalSelfAttention with bias=False and no dropout."""

    def __init__(self, n_embd, n_head):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=False)
        self.c_proj = nn.Linear(n_embd, n_embd, bias=False)
        self.n_head = n_head

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        hs = C // self.n_head
        q, k, v = (t.view(B, T, self.n_head, hs).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * hs ** -0.5
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        return self.c_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))


class GPTMLP(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=False)
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=False)

    def forward(self, x):
        return self.c_proj(nn.functional.gelu(self.c_fc(x)))


class GPTBlock(nn.Module):
    def __init__(self, n_embd, n_head, eps):
        super().__init__()
        self.ln_1 = LayerNormNoBias(n_embd, eps)
        self.attn = GPTSelfAttention(n_embd, n_head)
        self.ln_2 = LayerNormNoBias(n_embd, eps)
        self.mlp = GPTMLP(n_embd)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """nanoGPT's GPT (bias=False): logits [B, T, vocab] for token ids [B, T] (any dtype of whole numbers)."""

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, eps=1e-5):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            h=nn.ModuleList([GPTBlock(n_embd, n_head, eps) for _ in range(n_layer)]),
            ln_f=LayerNormNoBias(n_embd, eps),
        ))

    def forward(self, idx):
        idx = idx.long()
        pos = torch.arange(idx.shape[1], device=idx.device)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        return nn.functional.linear(self.transformer.ln_f(x), self.transformer.wte.weight)`

// TorchModule returns GPT(vocab_size, block_size, n_layer, n_head,
// n_embd), a nanoGPT-style module defined in the script.
func (g *GPT[T]) TorchModule(tg TorchGraph) (string, error) {
	tg.Define("LayerNormNoBias", layerNormNoBias)
	tg.Define("GPT", gptTorch)
	c := g.cfg
	return fmt.Sprintf("GPT(%d, %d, %d, %d, %d)", c.Vocab, c.Block, c.Layers, c.Heads, c.Embd), nil
}

var _ TorchExporter = (*GPT[float64])(nil)
