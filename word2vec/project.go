package word2vec

import (
	"fmt"
	"math"
)

// Project returns the 2-D coordinates of words for a plot: their unit
// vectors, centred, projected on the first two principal components (the
// two leading eigenvectors of the words' covariance, found by power
// iteration with deflation; deterministic). It returns an error for a word
// outside the vocabulary or fewer than two distinct words.
func (v *Vectors) Project(words []string) (xs, ys []float64, err error) {
	ids, err := v.lookup(words...)
	if err != nil {
		return nil, nil, err
	}
	distinct := map[int]bool{}
	for _, id := range ids {
		distinct[id] = true
	}
	if len(distinct) < 2 {
		return nil, nil, fmt.Errorf("a projection needs at least two distinct words, got %d", len(distinct))
	}
	n, d := len(ids), v.dim
	x := make([]float64, n*d) // centred rows
	mean := make([]float64, d)
	for _, id := range ids {
		axpy(mean, 1/float64(n), v.Unit(id))
	}
	for i, id := range ids {
		row := x[i*d : (i+1)*d]
		copy(row, v.Unit(id))
		axpy(row, -1, mean)
	}
	pc1 := principal(x, n, d, nil)
	pc2 := principal(x, n, d, pc1)
	xs, ys = make([]float64, n), make([]float64, n)
	for i := range n {
		row := x[i*d : (i+1)*d]
		xs[i], ys[i] = dot(row, pc1), dot(row, pc2)
	}
	return xs, ys, nil
}

// principal returns the leading unit eigenvector of XᵀX for the n×d matrix
// x, orthogonal to not (if not nil), by power iteration from a fixed start;
// its sign makes its largest component positive.
func principal(x []float64, n, d int, not []float64) []float64 {
	v := make([]float64, d)
	for i := range v {
		v[i] = 1 + float64(i%7)/7 // a start not orthogonal to anything in particular
	}
	xv := make([]float64, n)
	next := make([]float64, d)
	for iter := 0; iter < 1000; iter++ {
		if not != nil {
			axpy(v, -dot(v, not), not)
		}
		normalize(v)
		for i := range n {
			xv[i] = dot(x[i*d:(i+1)*d], v)
		}
		clear(next)
		for i := range n {
			axpy(next, xv[i], x[i*d:(i+1)*d])
		}
		if not != nil {
			axpy(next, -dot(next, not), not)
		}
		normalize(next)
		diff := 0.0
		for i := range v {
			diff = max(diff, math.Abs(next[i]-v[i]))
		}
		v, next = next, v
		if diff < 1e-12 {
			break
		}
	}
	big := 0
	for i := range v {
		if math.Abs(v[i]) > math.Abs(v[big]) {
			big = i
		}
	}
	if v[big] < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
	return v
}
