package text

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Unk and EOS are the word-level corpora's two special words: the
// replacement of a word outside the vocabulary, and the end of a sentence.
const (
	Unk = "<unk>"
	EOS = "<eos>"
)

// WordCorpus is a word-level corpus split by sentences, as the second
// volume's language models read it: each sentence's words, then EOS.
type WordCorpus struct {
	// Name is "brown" or "ptb".
	Name string
	// Vocab numbers the words in order of first appearance in the running
	// text (EOS included), as the anchor lstm_lm_torch.py and the book's
	// ptb.py number them.
	Vocab *Vocab
	// Sentences holds each sentence's ids, its closing EOS included.
	Sentences [][]int
	// TestStart is the first sentence of the test part.
	TestStart int
	// ValidStart is the first sentence of the validation part; the
	// validation part is Sentences[ValidStart:TestStart].
	ValidStart int
	// TrainEnd ends the training part when no validation part is asked
	// for: TestStart for Brown (train on everything before the test
	// part), ValidStart for PTB (its train file).
	TrainEnd int
}

// newWordCorpus numbers sents (words without EOS) in order of first
// appearance, appending EOS to each sentence, and places the test part at
// the last tenth of the sentences and the validation part at the tenth
// before it.
func newWordCorpus(name string, sents [][]string) *WordCorpus {
	c := &WordCorpus{Name: name, Vocab: &Vocab{}, Sentences: make([][]int, len(sents))}
	for i, s := range sents {
		ids := make([]int, 0, len(s)+1)
		for _, w := range s {
			ids = append(ids, c.Vocab.add(w))
		}
		c.Sentences[i] = append(ids, c.Vocab.add(EOS))
	}
	n := len(sents)
	c.TestStart = n - n/10
	c.ValidStart = c.TestStart - n/10
	c.TrainEnd = c.TestStart
	return c
}

// Parts returns the running ids of the three parts. Without validation,
// train is Sentences[:TrainEnd] (for Brown everything before the test part,
// as the book's chapter 6 and the anchor train) and valid is nil; with it,
// train is Sentences[:ValidStart] and valid the part before the test.
func (c *WordCorpus) Parts(validation bool) (train, valid, test []int) {
	join := func(ss [][]int) []int {
		var out []int
		for _, s := range ss {
			out = append(out, s...)
		}
		return out
	}
	test = join(c.Sentences[c.TestStart:])
	if !validation {
		return join(c.Sentences[:c.TrainEnd]), nil, test
	}
	return join(c.Sentences[:c.ValidStart]), join(c.Sentences[c.ValidStart:c.TestStart]), test
}

// Tokens returns the number of ids in all sentences.
func (c *WordCorpus) Tokens() int {
	n := 0
	for _, s := range c.Sentences {
		n += len(s)
	}
	return n
}

// KeepTop replaces, in place, every word outside the keep most frequent
// words of sents by Unk, the counts' ties broken alphabetically (byte
// order), as brown_convert.py does. It returns the number of words
// replaced and the count of the least frequent word kept.
func KeepTop(sents [][]string, keep int) (replaced, minKept int) {
	counts := map[string]int{}
	for _, s := range sents {
		for _, w := range s {
			counts[w]++
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	if len(words) == 0 {
		return 0, 0
	}
	kept := make(map[string]bool, keep)
	for _, w := range words[:min(keep, len(words))] {
		kept[w] = true
	}
	for _, s := range sents {
		for i, w := range s {
			if !kept[w] {
				s[i] = Unk
				replaced++
			}
		}
	}
	return replaced, counts[words[min(keep, len(words))-1]]
}

// WriteSentences writes one sentence a line, words separated by spaces:
// the form brown_convert.py writes.
func WriteSentences(w io.Writer, sents [][]string) error {
	bw := bufio.NewWriter(w)
	for _, s := range sents {
		for i, word := range s {
			if i > 0 {
				bw.WriteByte(' ')
			}
			bw.WriteString(word)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// isPySpace reports whether the ASCII byte c is whitespace to Python's
// str.split and str.strip.
func isPySpace(c rune) bool {
	return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1c && c <= 0x1f
}

// fields splits s at Python's whitespace, as str.split() does.
func fields(s string) []string { return strings.FieldsFunc(s, isPySpace) }

// checkWordVocab returns an error if the corpus has fewer distinct words
// than want.
func checkWordVocab(name string, have, want int) error {
	if have < want {
		return fmt.Errorf("%s has %d distinct words, fewer than the %d asked for", name, have, want)
	}
	return nil
}
