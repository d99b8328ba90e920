package text

import "fmt"

// Vocab numbers the words (or characters) of a corpus: ids 0 to Len()-1, in
// the order words were added.
type Vocab struct {
	words []string
	ids   map[string]int
}

// NewVocab returns the vocabulary of words in the order given. It returns
// an error if a word repeats.
func NewVocab(words []string) (*Vocab, error) {
	v := &Vocab{ids: make(map[string]int, len(words))}
	for _, w := range words {
		if _, dup := v.ids[w]; dup {
			return nil, fmt.Errorf("the word %q is in the vocabulary twice", w)
		}
		v.add(w)
	}
	return v, nil
}

// add returns w's id, giving it the next one if it is new.
func (v *Vocab) add(w string) int {
	if v.ids == nil {
		v.ids = map[string]int{}
	}
	id, ok := v.ids[w]
	if !ok {
		id = len(v.words)
		v.ids[w] = id
		v.words = append(v.words, w)
	}
	return id
}

// Len returns the number of words.
func (v *Vocab) Len() int { return len(v.words) }

// ID returns w's id and whether w is in the vocabulary.
func (v *Vocab) ID(w string) (int, bool) {
	id, ok := v.ids[w]
	return id, ok
}

// Word returns the word of id; it panics if id is out of range.
func (v *Vocab) Word(id int) string { return v.words[id] }

// Words returns the words in id order.
func (v *Vocab) Words() []string { return append([]string(nil), v.words...) }
