package word2vec

import (
	"fmt"
	"math"

	"github.com/kiso-go/kiso/rng"
)

// Sampler draws negative samples from the unigram distribution raised to a
// power, P(w) ∝ count(w)^power, as the second volume's UnigramSampler does
// (power 0.75, Mikolov et al. 2013, which lifts rare words a little against
// frequent ones). It draws in constant time by Walker's alias method (Vose's
// construction), two 32-bit outputs of the generator per draw.
type Sampler struct {
	prob  []float64 // prob[i]: chance of keeping column i in the alias table
	alias []int32   // alias[i]: the word column i gives otherwise
	p     []float64 // the normalized distribution itself
	// positive is the number of words of positive probability.
	positive int
}

// NewSampler returns the sampler of counts^power. It returns an error if
// counts is empty, a count is negative, or no count is positive.
func NewSampler(counts []int, power float64) (*Sampler, error) {
	n := len(counts)
	if n == 0 {
		return nil, fmt.Errorf("word2vec: no words to sample from")
	}
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("word2vec: %d words, more than a sampler holds", n)
	}
	s := &Sampler{prob: make([]float64, n), alias: make([]int32, n), p: make([]float64, n)}
	total := 0.0
	for i, c := range counts {
		if c < 0 {
			return nil, fmt.Errorf("word2vec: word %d has the count %d", i, c)
		}
		if c > 0 {
			s.positive++
			s.p[i] = math.Pow(float64(c), power)
			total += s.p[i]
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("word2vec: every word has the count 0")
	}
	// Vose: scale to mean 1, pair each column below 1 with one above.
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for i := range s.p {
		s.p[i] /= total
		s.prob[i] = s.p[i] * float64(n)
		if s.prob[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l, g := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		s.alias[l] = g
		s.prob[g] -= 1 - s.prob[l]
		if s.prob[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	// What is left is 1 up to rounding.
	for _, i := range large {
		s.prob[i], s.alias[i] = 1, i
	}
	for _, i := range small {
		s.prob[i], s.alias[i] = 1, i
	}
	return s, nil
}

// Len returns the number of words.
func (s *Sampler) Len() int { return len(s.p) }

// P returns the probability of drawing word w in one draw.
func (s *Sampler) P(w int) float64 { return s.p[w] }

// Draw returns one word drawn from the distribution.
func (s *Sampler) Draw(r *rng.MT) int {
	u := r.Float64() * float64(len(s.prob))
	i := int(u)
	if i >= len(s.prob) { // u rounded up to n
		i = len(s.prob) - 1
	}
	if u-float64(i) < s.prob[i] {
		return i
	}
	return int(s.alias[i])
}

// SampleTo fills dst with distinct words, none equal to exclude (pass -1
// to exclude none), drawn without replacement from the distribution, as
// the book's UnigramSampler does on the CPU (numpy's choice with
// replace=False and the target's probability set to 0): each draw that
// repeats a word already taken, or exclude, is drawn again, which gives
// the same distribution as renormalizing after each word. It panics if
// fewer than len(dst) words can be drawn.
func (s *Sampler) SampleTo(dst []int32, exclude int, r *rng.MT) {
	avail := s.positive
	if exclude >= 0 && exclude < len(s.p) && s.p[exclude] > 0 {
		avail--
	}
	if avail < len(dst) {
		panic(fmt.Sprintf("word2vec: %d distinct negative samples asked of %d words that can be drawn", len(dst), avail))
	}
	for k := range dst {
	again:
		w := int32(s.Draw(r))
		if int(w) == exclude {
			goto again
		}
		for _, v := range dst[:k] {
			if v == w {
				goto again
			}
		}
		dst[k] = w
	}
}
