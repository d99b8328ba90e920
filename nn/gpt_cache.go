package nn

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/tensor"
)

// KVCache generates with a GPT one token at a time, keeping the keys and
// values of every position it has read so that each new token costs one
// row of attention per head and layer instead of the whole window again.
//
// Prime runs the GPT's Forward over a prompt and keeps its keys and
// values; Next reads one token at the next position. Their logits agree
// with those of Forward over the same tokens up to the rounding of a
// product summed in another order (a row times a matrix instead of a
// blocked matrix product): within 1e-12 in float64 and 1e-4 in float32 in
// the tests. The cache holds at most Block positions: Next panics past
// them (the caller primes again with the last tokens, as Forward would
// crop them). It uses the GPT's layers for inference only, so it must not
// be used between a training Forward and its Backward.
type KVCache[T tensor.Float] struct {
	g    *GPT[T]
	k, v [][]T // per layer, [H, Block, hs]
	n    int   // positions held

	x, qkv, y, att []T
	xt3            *tensor.Tensor[T] // x as [1, 1, C]
	qkvt, yt       *tensor.Tensor[T] // qkv as [1, 3C], y as [1, C]
	proj, logits   *tensor.Tensor[T]
}

// NewKVCache returns an empty cache for g.
func NewKVCache[T tensor.Float](g *GPT[T]) *KVCache[T] {
	c := g.cfg
	kc := &KVCache[T]{g: g}
	for range c.Layers {
		kc.k = append(kc.k, make([]T, c.Block*c.Embd))
		kc.v = append(kc.v, make([]T, c.Block*c.Embd))
	}
	kc.x = make([]T, c.Embd)
	kc.xt3 = tensor.FromSlice(kc.x, 1, 1, c.Embd)
	kc.qkv = make([]T, 3*c.Embd)
	kc.qkvt = tensor.FromSlice(kc.qkv, 1, 3*c.Embd)
	kc.y = make([]T, c.Embd)
	kc.yt = tensor.FromSlice(kc.y, 1, c.Embd)
	kc.proj = tensor.New[T](1, c.Embd)
	kc.att = make([]T, c.Block)
	kc.logits = tensor.New[T](1, c.Vocab)
	return kc
}

// Len returns the number of positions the cache holds.
func (kc *KVCache[T]) Len() int { return kc.n }

// Prime forgets the cache, runs the GPT over ids (1 to Block of them) and
// returns the logits for the token after the last, [Vocab], valid until
// the next call.
func (kc *KVCache[T]) Prime(ids []int) []T {
	c := kc.g.cfg
	t := len(ids)
	logits := kc.g.ForwardIDs(ids, 1, t, false)
	hs := c.Embd / c.Heads
	for l, blk := range kc.g.H {
		for hd := range c.Heads {
			src := hd * t * hs
			dst := hd * c.Block * hs
			copy(kc.k[l][dst:dst+t*hs], blk.Attn.k.Data[src:src+t*hs])
			copy(kc.v[l][dst:dst+t*hs], blk.Attn.v.Data[src:src+t*hs])
		}
	}
	kc.n = t
	copy(kc.logits.Data, logits.Data[(t-1)*c.Vocab:])
	return kc.logits.Data
}

// Next reads id at the next position and returns the logits for the token
// after it, [Vocab], valid until the next call. It panics if the cache is
// full (Len() == Block) or id is out of range.
func (kc *KVCache[T]) Next(id int) []T {
	g, c := kc.g, kc.g.cfg
	if kc.n >= c.Block {
		panic(fmt.Sprintf("nn: KVCache.Next: the cache holds block_size %d positions already", c.Block))
	}
	if id < 0 || id >= c.Vocab {
		panic(fmt.Sprintf("nn: KVCache.Next: id %d out of [0, %d)", id, c.Vocab))
	}
	p := kc.n
	d := c.Embd
	wte, wpe := g.Wte.W.Value.Data, g.Wpe.W.Value.Data
	for i := range kc.x {
		kc.x[i] = wte[id*d+i] + wpe[p*d+i]
	}
	for l, blk := range g.H {
		kc.attend(l, blk, p)
		m := blk.MLP.Forward(blk.Ln2.Forward(kc.xt3, false), false)
		for i, v := range m.Data {
			kc.x[i] += v
		}
	}
	kc.n++
	xf := g.LnF.Forward(kc.xt3, false)
	tensor.MatMulTo(kc.logits, xf.Reshape(1, d), g.Wte.W.Value, false, true)
	return kc.logits.Data
}

// attend adds block blk's attention output for position p to kc.x,
// storing the position's key and value in layer l's cache.
func (kc *KVCache[T]) attend(l int, blk *Block[T], p int) {
	c := kc.g.cfg
	hs := c.Embd / c.Heads
	a := blk.Attn
	h := blk.Ln1.Forward(kc.xt3, false)
	tensor.MatMulTo(kc.qkvt, h.Reshape(1, c.Embd), a.CAttn.Value, false, false)
	scale := T(1 / math.Sqrt(float64(hs)))
	for hd := range c.Heads {
		base := hd * c.Block * hs
		q := kc.qkv[hd*hs : (hd+1)*hs]
		copy(kc.k[l][base+p*hs:base+(p+1)*hs], kc.qkv[c.Embd+hd*hs:])
		copy(kc.v[l][base+p*hs:base+(p+1)*hs], kc.qkv[2*c.Embd+hd*hs:])
		att := kc.att[:p+1]
		for j := range att {
			kj := kc.k[l][base+j*hs : base+(j+1)*hs]
			var s T
			for i, qi := range q {
				s += qi * kj[i]
			}
			att[j] = s * scale
		}
		softmaxPrefix(att)
		y := kc.y[hd*hs : (hd+1)*hs]
		clear(y)
		for j, pj := range att {
			vj := kc.v[l][base+j*hs : base+(j+1)*hs]
			for i, v := range vj {
				y[i] += pj * v
			}
		}
	}
	tensor.MatMulTo(kc.proj, kc.yt, a.CProj.Value, false, false)
	for i, v := range kc.proj.Data {
		kc.x[i] += v
	}
}
