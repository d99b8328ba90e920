package word2vec

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed analogies.txt
var defaultAnalogies string

// MaxAnalogies is the largest number of analogies ParseAnalogies returns,
// a bound on what a file can make it allocate (Mikolov's questions-words.txt
// has 19,544).
const MaxAnalogies = 1_000_000

// Analogy is one question of an analogy test: A is to B as C is to D.
type Analogy struct {
	Section    string
	A, B, C, D string
}

// DefaultAnalogies returns kiso's small analogy test (the file
// analogies.txt beside this package's source): 65 pairs of words among the
// 10,000 most frequent of the Brown corpus in 7 sections (family, plural,
// past tense, comparative, capital-country, nationality, adverb), every
// ordered choice of two pairs of a section an analogy: 548 in all.
func DefaultAnalogies() []Analogy {
	a, err := ParseAnalogies(defaultAnalogies)
	if err != nil {
		panic("word2vec: the embedded analogies: " + err.Error())
	}
	return a
}

// ParseAnalogies reads an analogy test: lines ": section" start a section;
// a line of four words "a b c d" is one analogy (the format of Mikolov's
// questions-words.txt); a line of two words "a b" is a pair, and every
// ordered choice of two pairs (a b), (c d) of a section is an analogy.
// Words are lowercased; blank lines and lines starting with "#" are
// skipped. It returns an error naming the line for anything else, or if
// there are no analogies or more than MaxAnalogies.
func ParseAnalogies(s string) ([]Analogy, error) {
	var out []Analogy
	section := ""
	var pairs [][2]string
	flush := func() error {
		for i, p := range pairs {
			for j, q := range pairs {
				if i != j {
					if len(out) >= MaxAnalogies {
						return fmt.Errorf("more than %d analogies", MaxAnalogies)
					}
					out = append(out, Analogy{section, p[0], p[1], q[0], q[1]})
				}
			}
		}
		pairs = pairs[:0]
		return nil
	}
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, ":"); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			section = strings.TrimSpace(rest)
			continue
		}
		f := strings.Fields(strings.ToLower(line))
		switch len(f) {
		case 2:
			pairs = append(pairs, [2]string{f[0], f[1]})
		case 4:
			if len(out) >= MaxAnalogies {
				return nil, fmt.Errorf("more than %d analogies", MaxAnalogies)
			}
			out = append(out, Analogy{section, f[0], f[1], f[2], f[3]})
		default:
			return nil, fmt.Errorf("line %d: %d words; want a pair (two words), an analogy (four) or \": section\"", n+1, len(f))
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no analogies")
	}
	return out, nil
}

// Score is an analogy test's result, overall or for one section.
type Score struct {
	Section string `json:"section,omitempty"`
	// Correct of Asked were answered right; Skipped had a word outside
	// the vocabulary and were not asked.
	Correct int `json:"correct"`
	Asked   int `json:"asked"`
	Skipped int `json:"skipped"`
}

// Accuracy returns Correct/Asked, 0 if none were asked.
func (s Score) Accuracy() float64 {
	if s.Asked == 0 {
		return 0
	}
	return float64(s.Correct) / float64(s.Asked)
}

// Evaluate asks every analogy whose four words are in the vocabulary and
// returns the overall score and each section's, in the order sections
// first appear. An analogy is right when D is the nearest word to
// unit(B) - unit(A) + unit(C), A, B and C left out (see Analogy).
func (v *Vectors) Evaluate(analogies []Analogy) (total Score, sections []Score) {
	index := map[string]int{}
	q := make([]float64, v.dim)
	for _, a := range analogies {
		i, ok := index[a.Section]
		if !ok {
			i = len(sections)
			index[a.Section] = i
			sections = append(sections, Score{Section: a.Section})
		}
		s := &sections[i]
		ids, err := v.lookup(a.A, a.B, a.C, a.D)
		if err != nil {
			s.Skipped++
			continue
		}
		s.Asked++
		top := v.Nearest(v.analogyQuery(ids[0], ids[1], ids[2], q), 1, ids[:3]...)
		if len(top) == 1 && top[0].Word == a.D {
			s.Correct++
		}
	}
	for _, s := range sections {
		total.Correct += s.Correct
		total.Asked += s.Asked
		total.Skipped += s.Skipped
	}
	return total, sections
}
