package nn

import (
	"errors"
	"fmt"
	"math"
)

// ONNXInt64Graph is implemented by an ONNXGraph that can hold int64
// constants (the shapes of Reshape, the indices of Gather and Slice), as
// package model's does. A GPT needs it to split its heads.
type ONNXInt64Graph interface {
	ONNXGraph
	// Int64Initializer adds an int64 constant named by the layer's path and
	// suffix and returns its name.
	Int64Initializer(suffix string, shape []int, data []int64) string
}

var _ ONNXExporter = (*GPT[float64])(nil)

// ExportONNX writes the GPT's forward pass at inference (no dropout) with
// operators of opset 17 (LayerNormalization), for input ids [batch, T] held
// as floats and output logits [batch, T, vocab]:
//
//	x = Gather(wte, Cast(ids)) + wpe[0..T−1]
//	per block: x += c_proj(attn(ln_1(x))); x += mlp(ln_2(x))
//	logits = MatMul(ln_f(x), Transpose(wte))    (the head tied: one tensor)
//
// where attn reshapes MatMul(x, c_attnᵀ) [B, T, 3C] to [B, T, 3, H, hs],
// transposes it to [3, B, H, T, hs] and gathers q, k and v, then
// Softmax(q·kᵀ·hs^−½ + mask) with mask −∞ above the diagonal [T, T] (the
// causal mask, one constant), times v, heads merged back to [B, T, C].
// The MLP's GELU is the exact one (GELU.ExportONNX). Initializers carry
// the state_dict's names and PyTorch's [out, in] layout
// ("0.transformer.h.0.attn.c_attn.weight" [3C, C]), each transposed by a
// Transpose node that ONNX Runtime folds. It needs a graph that holds
// int64 constants (ONNXInt64Graph) and an input case shape [T], T at most
// the window.
func (g *GPT[T]) ExportONNX(og ONNXGraph) (string, error) {
	ig, ok := og.(ONNXInt64Graph)
	if !ok {
		return "", errors.New("nn: GPT needs an ONNX graph with int64 constants (ONNXInt64Graph)")
	}
	in := ig.InShape()
	c := g.cfg
	if len(in) != 1 || in[0] < 1 || in[0] > c.Block {
		return "", fmt.Errorf("input %v: want [T] token ids, T at most block_size %d", in, c.Block)
	}
	ig.Opset(17)
	t, e, h := in[0], c.Embd, c.Heads
	hs := e / h
	ints := func(suffix string, v ...int64) string { return ig.Int64Initializer(suffix, []int{len(v)}, v) }
	// transposed adds a [in, out] kiso weight as PyTorch's [out, in]
	// initializer and returns the Transpose node that turns it back.
	transposed := func(name string, p *Param[T]) string {
		rows, cols := p.Value.Dim(0), p.Value.Dim(1)
		tr := make([]float64, rows*cols)
		for i := range rows {
			for j := range cols {
				tr[j*rows+i] = float64(p.Value.Data[i*cols+j])
			}
		}
		w := ig.Initializer(name, []int{cols, rows}, tr)
		return ig.Node("Transpose", name+".T", []string{w}, IntsAttr("perm", 1, 0))
	}

	ids := ig.Node("Cast", "ids", []string{ig.Input()}, IntAttr("to", 7)) // 7: INT64
	wte := ig.Initializer("transformer.wte.weight", []int{c.Vocab, e}, floats(g.Wte.W.Value.Data))
	pos := ig.Initializer("transformer.wpe.weight", []int{c.Block, e}, floats(g.Wpe.W.Value.Data))
	if t < c.Block {
		pos = ig.Node("Slice", "positions", []string{pos, ints("positions.starts", 0), ints("positions.ends", int64(t)), ints("positions.axes", 0)})
	}
	x := ig.Node("Add", "embeddings", []string{ig.Node("Gather", "tokens", []string{wte, ids}, IntAttr("axis", 0)), pos})

	// Constants shared by the blocks.
	mask := make([]float64, t*t)
	for i := range t {
		for j := i + 1; j < t; j++ {
			mask[i*t+j] = math.Inf(-1)
		}
	}
	maskName := ig.Initializer("attn.mask", []int{t, t}, mask)
	scale := ig.Initializer("attn.scale", nil, []float64{1 / math.Sqrt(float64(hs))})
	split := ints("attn.split_shape", 0, 0, 3, int64(h), int64(hs))
	merge := ints("attn.merge_shape", 0, 0, int64(e))
	var which [3]string
	for i := range which {
		which[i] = ig.Int64Initializer(fmt.Sprintf("attn.index_%d", i), nil, []int64{int64(i)})
	}

	var err error
	for i, blk := range g.H {
		p := fmt.Sprintf("transformer.h.%d.", i)
		ln1, err := ig.Sub(p+"ln_1", blk.Ln1, x, []int{t, e})
		if err != nil {
			return "", err
		}
		a := blk.Attn
		qkv := ig.Node("MatMul", p+"attn.qkv", []string{ln1, transposed(p+"attn.c_attn.weight", a.CAttn)})
		heads := ig.Node("Transpose", p+"attn.heads", []string{ig.Node("Reshape", p+"attn.split", []string{qkv, split})}, IntsAttr("perm", 2, 0, 3, 1, 4))
		var qkvh [3]string
		for j, name := range []string{"q", "k", "v"} {
			qkvh[j] = ig.Node("Gather", p+"attn."+name, []string{heads, which[j]}, IntAttr("axis", 0))
		}
		kt := ig.Node("Transpose", p+"attn.k.T", []string{qkvh[1]}, IntsAttr("perm", 0, 1, 3, 2))
		s := ig.Node("Mul", p+"attn.scores", []string{ig.Node("MatMul", p+"attn.qk", []string{qkvh[0], kt}), scale})
		att := ig.Node("Softmax", p+"attn.weights", []string{ig.Node("Add", p+"attn.masked", []string{s, maskName})}, IntAttr("axis", -1))
		y := ig.Node("Transpose", p+"attn.y", []string{ig.Node("MatMul", p+"attn.yh", []string{att, qkvh[2]})}, IntsAttr("perm", 0, 2, 1, 3))
		y = ig.Node("Reshape", p+"attn.merge", []string{y, merge})
		y = ig.Node("MatMul", p+"attn.out", []string{y, transposed(p+"attn.c_proj.weight", a.CProj)})
		x = ig.Node("Add", p+"residual_1", []string{x, y})

		ln2, err := ig.Sub(p+"ln_2", blk.Ln2, x, []int{t, e})
		if err != nil {
			return "", err
		}
		m := blk.MLP
		fc := ig.Node("MatMul", p+"mlp.fc", []string{ln2, transposed(p+"mlp.c_fc.weight", m.CFc)})
		act, err := ig.Sub(p+"mlp.gelu", m.Gelu, fc, []int{t, 4 * e})
		if err != nil {
			return "", err
		}
		y = ig.Node("MatMul", p+"mlp.out", []string{act, transposed(p+"mlp.c_proj.weight", m.CProj)})
		x = ig.Node("Add", p+"residual_2", []string{x, y})
	}
	xf, err := ig.Sub("transformer.ln_f", g.LnF, x, []int{t, e})
	if err != nil {
		return "", err
	}
	head := ig.Node("Transpose", "lm_head.weight", []string{wte}, IntsAttr("perm", 1, 0))
	return ig.Node("MatMul", "lm_head", []string{xf, head}), nil
}
