package text

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
)

// BPE is a byte-level byte-pair-encoding tokenizer: ids 0-255 are the 256
// bytes, and id 256+i is the concatenation of the two tokens merge i names.
// It encodes any string, valid UTF-8 or not, and Decode(Encode(s)) == s.
type BPE struct {
	merges [][2]int32
	vocab  []string         // token bytes by id
	ranks  map[uint64]int32 // pair -> merge index
	byte2  [1 << 16]int32   // merge index of each pair of bytes, -1 if none
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// checkMerges checks that merges name tokens already made, that no pair is
// merged twice, and that the tokens they make stay within MaxTokenBytes
// each and MaxVocabBytes in all, summing lengths before building anything.
func checkMerges(merges [][2]int32) error {
	if 256+len(merges) > MaxVocab {
		return fmt.Errorf("tokenizer: %d merges, at most %d", len(merges), MaxVocab-256)
	}
	lens := make([]int64, 256, 256+len(merges))
	for i := range lens {
		lens[i] = 1
	}
	total := int64(256)
	seen := make(map[uint64]bool, len(merges))
	for i, m := range merges {
		a, b := m[0], m[1]
		if a < 0 || b < 0 || int(a) >= 256+i || int(b) >= 256+i {
			return fmt.Errorf("tokenizer: merge %d joins tokens %d and %d, not both made before token %d", i, a, b, 256+i)
		}
		if seen[pairKey(a, b)] {
			return fmt.Errorf("tokenizer: merge %d repeats the pair %d, %d", i, a, b)
		}
		seen[pairKey(a, b)] = true
		l := lens[a] + lens[b]
		if l > MaxTokenBytes {
			return fmt.Errorf("tokenizer: token %d would be %d bytes long, at most %d", 256+i, l, MaxTokenBytes)
		}
		if total += l; total > MaxVocabBytes {
			return fmt.Errorf("tokenizer: the tokens would take more than %d bytes", MaxVocabBytes)
		}
		lens = append(lens, l)
	}
	return nil
}

// newBPE builds the tokenizer of merges, after checkMerges.
func newBPE(merges [][2]int32) (*BPE, error) {
	if err := checkMerges(merges); err != nil {
		return nil, err
	}
	t := &BPE{merges: slices.Clone(merges), ranks: make(map[uint64]int32, len(merges))}
	t.vocab = make([]string, 256, 256+len(merges))
	for i := range 256 {
		t.vocab[i] = string([]byte{byte(i)})
	}
	for i := range t.byte2 {
		t.byte2[i] = -1
	}
	for i, m := range merges {
		t.vocab = append(t.vocab, t.vocab[m[0]]+t.vocab[m[1]])
		t.ranks[pairKey(m[0], m[1])] = int32(i)
		if m[0] < 256 && m[1] < 256 {
			t.byte2[m[0]<<8|m[1]] = int32(i)
		}
	}
	return t, nil
}

// NewBPE returns the tokenizer of the given merges: merge i makes token
// 256+i from the pair of tokens it names. Merges that name tokens not yet
// made, repeat a pair, or make tokens too long (MaxTokenBytes,
// MaxVocabBytes) are an error.
func NewBPE(merges [][2]int) (*BPE, error) {
	m := make([][2]int32, len(merges))
	for i, p := range merges {
		if p[0] < 0 || p[1] < 0 || p[0] >= MaxVocab || p[1] >= MaxVocab {
			return nil, fmt.Errorf("tokenizer: merge %d joins tokens %d and %d, out of range", i, p[0], p[1])
		}
		m[i] = [2]int32{int32(p[0]), int32(p[1])}
	}
	return newBPE(m)
}

// Kind returns "bpe".
func (t *BPE) Kind() string { return "bpe" }

// VocabSize returns 256 plus the number of merges.
func (t *BPE) VocabSize() int { return len(t.vocab) }

// Merges returns the merges in the order they were learned.
func (t *BPE) Merges() [][2]int {
	m := make([][2]int, len(t.merges))
	for i, p := range t.merges {
		m[i] = [2]int{int(p[0]), int(p[1])}
	}
	return m
}

// Token returns the bytes of token id.
func (t *BPE) Token(id int) string { return t.vocab[id] }

// Decode returns the bytes of ids' tokens, one after another.
func (t *BPE) Decode(ids []int) (string, error) { return decode(t, ids) }

// seq is a sequence of tokens as a doubly linked list over the positions
// of the original bytes: a merge at i keeps node i (now the new token) and
// unlinks the node after it.
type seq struct {
	sym, prev, next []int32
	alive           int // tokens in the sequence
}

func newSeq(s string) *seq {
	n := len(s)
	q := &seq{sym: make([]int32, n), prev: make([]int32, n), next: make([]int32, n), alive: n}
	for i := range n {
		q.sym[i] = int32(s[i])
		q.prev[i] = int32(i - 1)
		q.next[i] = int32(i + 1)
	}
	if n > 0 {
		q.next[n-1] = -1
	}
	return q
}

// at reports whether the pair (a, b) starts at node i.
func (q *seq) at(i, a, b int32) bool {
	if q.sym[i] != a {
		return false
	}
	j := q.next[i]
	return j >= 0 && q.sym[j] == b
}

// merge replaces the pair at i by z and returns the nodes before and after
// it (-1 for none).
func (q *seq) merge(i, z int32) (p, nx int32) {
	j := q.next[i]
	p, nx = q.prev[i], q.next[j]
	q.sym[i] = z
	q.sym[j] = -1
	q.alive--
	q.next[i] = nx
	if nx >= 0 {
		q.prev[nx] = i
	}
	return p, nx
}

// ids returns the sequence's tokens.
func (q *seq) ids() []int {
	out := make([]int, 0, q.alive)
	for i := int32(0); len(q.sym) > 0 && i >= 0; i = q.next[i] {
		out = append(out, int(q.sym[i]))
	}
	return out
}

// Encode returns the tokens of s: the merges applied in the order they were
// learned, each wherever its pair occurs, from left to right (which is what
// minbpe's encode does by repeatedly merging the present pair of lowest
// rank). Encode never fails.
func (t *BPE) Encode(s string) ([]int, error) {
	q := newSeq(s)
	// buckets[r] holds the nodes where the pair of merge r may start.
	buckets := make([][]int32, len(t.merges))
	for i := 0; i+1 < len(s); i++ {
		if r := t.byte2[int(s[i])<<8|int(s[i+1])]; r >= 0 {
			buckets[r] = append(buckets[r], int32(i))
		}
	}
	add := func(a, b, at int32) {
		if r, ok := t.ranks[pairKey(a, b)]; ok {
			buckets[r] = append(buckets[r], at)
		}
	}
	for r, pos := range buckets {
		if len(pos) == 0 {
			continue
		}
		slices.Sort(pos)
		a, b, z := t.merges[r][0], t.merges[r][1], int32(256+r)
		for _, i := range pos {
			if !q.at(i, a, b) {
				continue
			}
			p, nx := q.merge(i, z)
			if p >= 0 {
				add(q.sym[p], z, p)
			}
			if nx >= 0 {
				add(z, q.sym[nx], i)
			}
		}
		buckets[r] = nil
	}
	return q.ids(), nil
}

// BPEOptions are the optional settings of TrainBPE.
type BPEOptions struct {
	// Progress, if set, is called after each merge with the merges done,
	// the merges asked for, and how many times the merged pair occurred.
	Progress func(done, total, count int)
}

// pairStat is a pair of adjacent tokens during training: how often it
// occurs now, and the nodes where it started at some time (checked before
// use: a later merge may have changed them).
type pairStat struct {
	a, b  int32
	count int
	pos   []int32
	grown int // the merge during which count last grew, to push it once
}

// pairHeap orders pairs by count, highest first, and equal counts by the
// pair (first token, then second), lowest first. Entries go stale when a
// count changes; TrainBPE checks each popped entry against the count.
type pairHeap struct {
	e     []heapEntry
	pairs *[]pairStat
}

type heapEntry struct {
	count int
	id    int32
}

func (h *pairHeap) Len() int { return len(h.e) }
func (h *pairHeap) Less(i, j int) bool {
	x, y := h.e[i], h.e[j]
	if x.count != y.count {
		return x.count > y.count
	}
	px, py := (*h.pairs)[x.id], (*h.pairs)[y.id]
	if px.a != py.a {
		return px.a < py.a
	}
	return px.b < py.b
}
func (h *pairHeap) Swap(i, j int) { h.e[i], h.e[j] = h.e[j], h.e[i] }
func (h *pairHeap) Push(x any)    { h.e = append(h.e, x.(heapEntry)) }
func (h *pairHeap) Pop() any {
	x := h.e[len(h.e)-1]
	h.e = h.e[:len(h.e)-1]
	return x
}

// TrainBPE learns a byte-level BPE tokenizer of vocabSize tokens from text
// by counting pairs, as minbpe's BasicTokenizer and the sixth volume's
// chapter 4 do: starting from text's bytes, it repeatedly merges the most
// frequent pair of adjacent tokens into a new token, wherever it occurs
// from left to right, until the vocabulary has vocabSize tokens or no pair
// is left. Equal counts go to the lowest pair (first token, then second),
// so training is deterministic. It also returns text's tokens, which are
// what Encode(text) returns.
//
// Counts are kept up to date merge by merge instead of being recounted over
// the whole text, so training costs about the text's length plus the
// occurrences merged, not their product.
//
// vocabSize must be at least 256 and at most MaxVocab, and text non-empty.
// Cancelling ctx stops training between merges with ctx's error.
func TrainBPE(ctx context.Context, text string, vocabSize int, opts BPEOptions) (*BPE, []int, error) {
	if vocabSize < 256 || vocabSize > MaxVocab {
		return nil, nil, fmt.Errorf("a byte-level BPE vocabulary has 256 to %d tokens, not %d", MaxVocab, vocabSize)
	}
	if text == "" {
		return nil, nil, fmt.Errorf("cannot train a tokenizer on an empty text")
	}
	if int64(len(text)) >= 1<<31-1 {
		return nil, nil, fmt.Errorf("a text of %d bytes is too long to train on", len(text))
	}
	q := newSeq(text)
	var pairs []pairStat
	index := map[uint64]int32{}
	// Count the pairs of bytes first, to size their position lists.
	var first [1 << 16]int32
	for i := 0; i+1 < len(text); i++ {
		first[int(text[i])<<8|int(text[i+1])]++
	}
	for k, c := range first {
		if c > 0 {
			index[pairKey(int32(k>>8), int32(k&255))] = int32(len(pairs))
			pairs = append(pairs, pairStat{a: int32(k >> 8), b: int32(k & 255), pos: make([]int32, 0, c), grown: -1})
			first[k] = int32(len(pairs) - 1)
		}
	}
	for i := 0; i+1 < len(text); i++ {
		p := &pairs[first[int(text[i])<<8|int(text[i+1])]]
		p.count++
		p.pos = append(p.pos, int32(i))
	}
	h := &pairHeap{pairs: &pairs}
	for id, p := range pairs {
		h.e = append(h.e, heapEntry{p.count, int32(id)})
	}
	heap.Init(h)

	total := vocabSize - 256
	merges := make([][2]int32, 0, total)
	var grown []int32
	for m := 0; m < total; m++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		// The most frequent pair: the first popped entry whose count is
		// the pair's count now.
		id := int32(-1)
		for h.Len() > 0 {
			e := heap.Pop(h).(heapEntry)
			c := pairs[e.id].count
			if e.count == c && c > 0 {
				id = e.id
				break
			}
			if e.count > c && c > 0 { // shrank since pushed
				heap.Push(h, heapEntry{c, e.id})
			}
		}
		if id < 0 {
			break // every pair merged: the text is one token
		}
		a, b, z := pairs[id].a, pairs[id].b, int32(256+m)
		count := pairs[id].count
		pos := pairs[id].pos
		pairs[id].pos = nil
		slices.Sort(pos)
		dec := func(x, y int32) { pairs[index[pairKey(x, y)]].count-- }
		inc := func(x, y, at int32) {
			k := pairKey(x, y)
			pid, ok := index[k]
			if !ok {
				pid = int32(len(pairs))
				index[k] = pid
				pairs = append(pairs, pairStat{a: x, b: y, grown: -1})
			}
			p := &pairs[pid]
			p.count++
			p.pos = append(p.pos, at)
			if p.grown != m {
				p.grown = m
				grown = append(grown, pid)
			}
		}
		grown = grown[:0]
		for _, i := range pos {
			if !q.at(i, a, b) {
				continue
			}
			p, nx := q.prev[i], q.next[q.next[i]]
			if p >= 0 {
				dec(q.sym[p], a)
			}
			pairs[id].count--
			if nx >= 0 {
				dec(b, q.sym[nx])
			}
			q.merge(i, z)
			if p >= 0 {
				inc(q.sym[p], z, p)
			}
			if nx >= 0 {
				inc(z, q.sym[nx], i)
			}
		}
		for _, pid := range grown {
			heap.Push(h, heapEntry{pairs[pid].count, pid})
		}
		merges = append(merges, [2]int32{a, b})
		if opts.Progress != nil {
			opts.Progress(m+1, total, count)
		}
	}
	t, err := newBPE(merges)
	if err != nil {
		return nil, nil, err
	}
	return t, q.ids(), nil
}
