package word2vec

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

// Vectors answers queries on word vectors: each word's vector scaled to
// length 1, so that a dot product is a cosine.
type Vectors struct {
	words []string
	ids   map[string]int
	dim   int
	unit  []float64 // [V, dim], row-major
}

// Neighbour is a word and its cosine similarity to a query.
type Neighbour struct {
	Word   string  `json:"word"`
	Cosine float64 `json:"cosine"`
}

// NewVectors returns the queries over the rows of m ([len(words), Dim]),
// each scaled to length 1 (a zero row stays zero). It panics if m's shape
// does not match words.
func NewVectors[T tensor.Float](words []string, m *tensor.Tensor[T]) *Vectors {
	sh := m.Shape()
	if len(sh) != 2 || sh[0] != len(words) {
		panic(fmt.Sprintf("word2vec: NewVectors: %d words, vectors of shape %v", len(words), sh))
	}
	v := &Vectors{words: words, ids: make(map[string]int, len(words)), dim: sh[1], unit: make([]float64, len(m.Data))}
	for i, w := range words {
		v.ids[w] = i
	}
	for i := range words {
		row := v.unit[i*v.dim : (i+1)*v.dim]
		for j := range row {
			row[j] = float64(m.Data[i*v.dim+j])
		}
		normalize(row)
	}
	return v
}

// Len returns the number of words.
func (v *Vectors) Len() int { return len(v.words) }

// Dim returns the length of a vector.
func (v *Vectors) Dim() int { return v.dim }

// ID returns w's row and whether w is in the vocabulary.
func (v *Vectors) ID(w string) (int, bool) {
	id, ok := v.ids[w]
	return id, ok
}

// Unit returns word id's vector scaled to length 1 (not a copy).
func (v *Vectors) Unit(id int) []float64 { return v.unit[id*v.dim : (id+1)*v.dim] }

// UnknownWordError is the error for a query word outside the vocabulary.
type UnknownWordError struct{ Word string }

func (e *UnknownWordError) Error() string {
	return fmt.Sprintf("%q is not in the vocabulary", e.Word)
}

// lookup returns the ids of words, or an UnknownWordError for the first
// that is missing.
func (v *Vectors) lookup(words ...string) ([]int, error) {
	ids := make([]int, len(words))
	for i, w := range words {
		id, ok := v.ids[w]
		if !ok {
			return nil, &UnknownWordError{w}
		}
		ids[i] = id
	}
	return ids, nil
}

// Similar returns the k words whose vectors are closest to word's by
// cosine, most similar first, word itself left out (the book's
// most_similar).
func (v *Vectors) Similar(word string, k int) ([]Neighbour, error) {
	ids, err := v.lookup(word)
	if err != nil {
		return nil, err
	}
	return v.Nearest(v.Unit(ids[0]), k, ids...), nil
}

// Analogy answers "a is to b as c is to ?" with the k words closest by
// cosine to unit(b) - unit(a) + unit(c) (3CosAdd, Mikolov et al. 2013;
// the book's analogy adds the raw vectors), a, b and c left out. For
// "king - man + woman", a = man, b = king, c = woman.
func (v *Vectors) Analogy(a, b, c string, k int) ([]Neighbour, error) {
	ids, err := v.lookup(a, b, c)
	if err != nil {
		return nil, err
	}
	return v.Nearest(v.analogyQuery(ids[0], ids[1], ids[2], nil), k, ids...), nil
}

// analogyQuery returns unit(b) - unit(a) + unit(c) in q (allocated if nil).
func (v *Vectors) analogyQuery(a, b, c int, q []float64) []float64 {
	if q == nil {
		q = make([]float64, v.dim)
	}
	ua, ub, uc := v.Unit(a), v.Unit(b), v.Unit(c)
	for i := range q {
		q[i] = ub[i] - ua[i] + uc[i]
	}
	return q
}

// Nearest returns the k words whose unit vectors have the largest dot
// product with q (the cosine, if q has length 1), largest first, ties to
// the lower id, the ids in exclude left out. Fewer are returned if the
// vocabulary runs out. It panics if len(q) is not Dim().
func (v *Vectors) Nearest(q []float64, k int, exclude ...int) []Neighbour {
	if len(q) != v.dim {
		panic(fmt.Sprintf("word2vec: Nearest: a query of length %d for vectors of %d", len(q), v.dim))
	}
	qn := math.Sqrt(dot(q, q))
	if qn == 0 {
		qn = 1
	}
	type cand struct {
		id  int
		sim float64
	}
	top := make([]cand, 0, k+1)
	for id := range v.words {
		if slices.Contains(exclude, id) {
			continue
		}
		s := dot(q, v.Unit(id)) / qn
		if len(top) == k && (k == 0 || s <= top[k-1].sim) {
			continue
		}
		i := len(top)
		for i > 0 && top[i-1].sim < s {
			i--
		}
		top = slices.Insert(top, i, cand{id, s})
		if len(top) > k {
			top = top[:k]
		}
	}
	out := make([]Neighbour, len(top))
	for i, c := range top {
		out[i] = Neighbour{v.words[c.id], c.sim}
	}
	return out
}

// normalize scales x to length 1, leaving a zero vector as it is.
func normalize(x []float64) {
	n := math.Sqrt(dot(x, x))
	if n == 0 {
		return
	}
	for i := range x {
		x[i] /= n
	}
}

// Query is a parsed query of kiso similar: one word, or an analogy.
type Query struct {
	// Word is the word of a nearest-neighbour query.
	Word string
	// A, B, C are an analogy's words: B - A + C.
	A, B, C string
}

// IsAnalogy reports whether q is an analogy.
func (q Query) IsAnalogy() bool { return q.B != "" }

// ParseQuery reads a query from the words of a command line: one word
// ("car", "so-called"), or an analogy "b - a + c" ("king - man + woman",
// or "king + woman - man"), its words and operators separated by spaces,
// given as separate arguments or in one string. It returns an error for
// anything else.
func ParseQuery(args []string) (Query, error) {
	toks := strings.Fields(strings.Join(args, " "))
	switch {
	case len(toks) == 1 && !isOp(toks[0]):
		return Query{Word: toks[0]}, nil
	case len(toks) == 5 && !isOp(toks[0]) && !isOp(toks[2]) && !isOp(toks[4]):
		switch {
		case toks[1] == "-" && toks[3] == "+":
			return Query{B: toks[0], A: toks[2], C: toks[4]}, nil
		case toks[1] == "+" && toks[3] == "-":
			return Query{B: toks[0], C: toks[2], A: toks[4]}, nil
		}
	}
	return Query{}, fmt.Errorf("query %q: want one word, or an analogy such as \"king - man + woman\" (spaces around - and +)", strings.Join(args, " "))
}

func isOp(s string) bool { return s == "+" || s == "-" }
