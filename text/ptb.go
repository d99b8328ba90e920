package text

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// PTBFiles are the three files of the Penn Treebank as Mikolov's
// simple-examples distributes them (and the book's ptb.py downloads them).
var PTBFiles = [3]string{"ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"}

// LoadPTB reads the Penn Treebank from the three PTBFiles in dir, as the
// book's ptb.py reads them: each line a sentence of space-separated words
// followed by EOS, the words numbered in order of first appearance in the
// train file. A word of the validation or test file that the train file
// lacks, a missing file, or a file that is empty or not UTF-8 is an error.
func LoadPTB(dir string) (*WordCorpus, error) {
	var parts [3][][]string
	for i, name := range PTBFiles {
		c, err := ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("the Penn Treebank: %w", err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(c.Text, "\n"), "\n") {
			parts[i] = append(parts[i], fields(line))
		}
	}
	all := append(append(append([][]string{}, parts[0]...), parts[1]...), parts[2]...)
	train := newWordCorpus("ptb", parts[0])
	for i, part := range parts[1:] {
		for n, s := range part {
			for _, w := range s {
				if _, ok := train.Vocab.ID(w); !ok {
					return nil, fmt.Errorf("the Penn Treebank: %s line %d has %q, a word %s never has", PTBFiles[i+1], n+1, w, PTBFiles[0])
				}
			}
		}
	}
	c := newWordCorpus("ptb", all)
	c.ValidStart = len(parts[0])
	c.TestStart = len(parts[0]) + len(parts[1])
	c.TrainEnd = c.ValidStart
	return c, nil
}

// KeepPTB checks the Penn Treebank in from with LoadPTB and copies its
// three files into dir (empty: os.UserCacheDir()/kiso/ptb), where
// LoadWords finds them. It returns dir.
func KeepPTB(from, dir string) (string, error) {
	if _, err := LoadPTB(from); err != nil {
		return "", err
	}
	dir, err := defaultDir(dir, "ptb")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create cache folder: %w", err)
	}
	for _, name := range PTBFiles {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			return "", err
		}
		if err := atomicfile.WriteBytes(filepath.Join(dir, name), b); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// LoadWords loads a word-level corpus from the cache by name: "brown" (the
// tarball FetchBrown keeps, prepared by LoadBrown with the default 10,000
// words) or "ptb" (the files KeepPTB keeps). dir is the corpus's cache
// folder; empty means the default one.
func LoadWords(name, dir string) (*WordCorpus, error) {
	switch name {
	case "brown":
		d, err := defaultDir(dir, brownCorpus.folder)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(d, brownCorpus.keep)
		if brownCorpus.verify(path) != nil {
			return nil, fmt.Errorf("the Brown corpus is not in %s: fetch it first with kiso data brown", d)
		}
		return LoadBrown(path, BrownOptions{})
	case "ptb":
		d, err := defaultDir(dir, "ptb")
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(filepath.Join(d, PTBFiles[0])); err != nil {
			return nil, fmt.Errorf("the Penn Treebank is not in %s: copy it there with kiso data ptb --from DIR", d)
		}
		return LoadPTB(d)
	}
	return nil, fmt.Errorf("unknown word corpus %q: want brown or ptb", name)
}
