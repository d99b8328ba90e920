package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/word2vec"
)

// writePatterned writes a small corpus in which the words of each group
// share their neighbours ("the cat eats some fish ."), a sentence a line.
func writePatterned(t *testing.T, path string) {
	t.Helper()
	sentences := [][][]string{
		{{"the"}, {"cat", "dog", "horse"}, {"eats", "likes"}, {"some"}, {"fish", "meat", "grass"}},
		{{"a"}, {"man", "woman", "child"}, {"reads", "writes"}, {"his"}, {"book", "paper", "letter"}},
	}
	r := rng.NewNumpy(1)
	var b strings.Builder
	for range 1500 {
		for i, group := range sentences[r.Below(2)] {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(group[r.Below(len(group))])
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWord2vecAndSimilar(t *testing.T) {
	dir := t.TempDir()
	corpus, out := filepath.Join(dir, "c.txt"), filepath.Join(dir, "w.kiso")
	writePatterned(t, corpus)
	stdout, stderr, code := runCLI(t, "word2vec", "--data", "text:"+corpus, "--window", "1", "--hidden", "10",
		"--negatives", "3", "--batch", "20", "--epochs", "4", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Model          string
		Words, Types   int
		Loss           float64
		AnalogyAsked   int     `json:"analogy_asked"`
		WordsPerSecond float64 `json:"words_per_second"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	// 1500 sentences of 5 words and <eos>; 20 words and <eos>.
	if got.Model != "cbow" || got.Words != 9000 || got.Types != 21 || !(got.Loss > 0 && got.Loss < 2) || got.AnalogyAsked != 0 || got.WordsPerSecond <= 0 {
		t.Errorf("got %+v", got)
	}
	f, err := word2vec.Load[float32](out)
	if err != nil || f.Info.Epochs != 4 || f.Info.Corpus != "text:"+corpus || f.Config.Window != 1 {
		t.Fatalf("the file: %v %+v", err, f)
	}

	stdout, stderr, code = runCLI(t, "similar", "--model", out, "--top", "2", "cat")
	if code != 0 || !strings.HasPrefix(stdout, "cat:\n") || strings.Count(stdout, "\n") != 3 ||
		!strings.Contains(stdout, "dog") || !strings.Contains(stdout, "horse") {
		t.Errorf("similar cat: exit %d, %q %q", code, stdout, stderr)
	}
	for _, args := range [][]string{{"dog", "-", "cat", "+", "fish"}, {"dog - cat + fish"}, {"--analogy", "dog", "cat", "fish"}} {
		stdout, stderr, code = runCLI(t, append([]string{"similar", "--model", out, "--json"}, args...)...)
		var q struct {
			Query      string
			Neighbours []word2vec.Neighbour
		}
		if code != 0 || json.Unmarshal([]byte(stdout), &q) != nil || q.Query != "dog - cat + fish" || len(q.Neighbours) != 5 {
			t.Errorf("%q: exit %d, %q %q", args, code, stdout, stderr)
		}
	}
	tests := filepath.Join(dir, "analogies.txt")
	os.WriteFile(tests, []byte(": animals-food\ncat fish\ndog meat\nhorse grass\n: other\ncat dog plum pear\n"), 0o644)
	stdout, stderr, code = runCLI(t, "similar", "--model", out, "--eval", "--analogies", tests)
	if code != 0 || !strings.Contains(stdout, "animals-food") || !strings.Contains(stdout, "of    6") ||
		!strings.Contains(stdout, "(1 skipped: a word not in the vocabulary)") {
		t.Errorf("--eval: exit %d, %q %q", code, stdout, stderr)
	}
	png := filepath.Join(dir, "w.png")
	stdout, stderr, code = runCLI(t, "similar", "--model", out, "--plot", png, "cat", "dog", "fish", "meat", "man", "book")
	if fi, err := os.Stat(png); code != 0 || err != nil || fi.Size() < 1000 || stdout != "6 words drawn in "+png+"\n" {
		t.Errorf("--plot: exit %d, %q %q, %v", code, stdout, stderr, err)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"similar", "--model", out, "plum"}, 1, `"plum" is not in the vocabulary`},
		{[]string{"similar", "--model", out, "king", "-", "man", "+", "plum"}, 1, `"king" is not in the vocabulary`},
		{[]string{"similar", "--model", out, "king", "man"}, 2, "want one word, or an analogy"},
		{[]string{"similar", "--model", out, "--analogy", "king", "man"}, 2, "--analogy takes three words"},
		{[]string{"similar", "--model", out, "--top", "30", "cat"}, 1, "the vocabulary has only 21 words"},
		{[]string{"similar", "--model", out}, 2, "give a word"},
		{[]string{"similar", "cat"}, 2, "--model is required"},
		{[]string{"similar", "--model", corpus, "cat"}, 1, "safetensors"},
		{[]string{"similar", "--model", out, "--plot", png, "cat"}, 2, "at least two words"},
		{[]string{"similar", "--model", out, "--plot", filepath.Join(dir, "w.gif"), "cat", "dog"}, 1, "gif"},
		{[]string{"similar", "--model", out, "--eval", "--analogies", corpus}, 1, "want a pair"},
		{[]string{"word2vec", "--data", "text:" + filepath.Join(dir, "none.txt"), "--out", out}, 1, "no such file"},
		{[]string{"word2vec", "--data", "text:" + corpus, "--vocab", "50", "--out", out}, 1, "has 20 distinct words, fewer than the 50 asked for"},
		{[]string{"word2vec", "--data", "text:" + corpus, "--negatives", "25", "--out", out}, 1, "fewer than the 26 a step draws"},
		{[]string{"word2vec", "--data", "brown", "--vocab", "5", "--out", out}, 2, "--vocab is for --data text:PATH"},
		{[]string{"word2vec", "--data", "wiki", "--out", out}, 2, `--data "wiki"`},
		{[]string{"word2vec", "--data", "brown", "--dir", dir, "--out", out}, 1, "kiso data brown"},
		{[]string{"word2vec", "--model", "glove", "--out", out}, 2, `--model "glove"`},
		{[]string{"word2vec", "--window", "0", "--out", out}, 2, "--window 0"},
		{[]string{"word2vec", "--data", "text:" + corpus, "--out", filepath.Join(dir, "no", "w.kiso")}, 1, "cannot write"},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestWord2vecBadCorpus(t *testing.T) {
	dir := t.TempDir()
	empty, short, out := filepath.Join(dir, "empty.txt"), filepath.Join(dir, "short.txt"), filepath.Join(dir, "w.kiso")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(short, []byte("just three words\n"), 0o644)
	for _, tc := range []struct{ path, want string }{{empty, "empty"}, {short, "fewer than the 11 of one window"}} {
		_, stderr, code := runCLI(t, "word2vec", "--data", "text:"+tc.path, "--out", out)
		if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, %q", tc.path, code, stderr)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed run left %s: %v", out, err)
	}
}

// TestWord2vecInterrupt runs kiso word2vec with a context already
// cancelled, as Ctrl-C leaves it: the vectors so far are saved and the
// error says where, with an interrupt's exit code.
func TestWord2vecInterrupt(t *testing.T) {
	dir := t.TempDir()
	corpus, out := filepath.Join(dir, "c.txt"), filepath.Join(dir, "w.kiso")
	writePatterned(t, corpus)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := &word2vecOptions{Data: "text:" + corpus, Model: "cbow", Window: 2, Hidden: 8, Negatives: 5, Batch: 10, Epochs: 1, Out: out, OutGiven: true}
	err := runWord2vec(ctx, o, &bytes.Buffer{}, &bytes.Buffer{})
	var ie interruptedError
	if !errors.As(err, &ie) || exitCode(err) != 130 || !strings.Contains(err.Error(), "the vectors so far are in "+out) {
		t.Fatalf("got %v", err)
	}
	f, err := word2vec.Load[float32](out)
	if err != nil || !f.Info.Interrupted || f.Info.Epochs != 0 {
		t.Errorf("the saved file: %v %+v", err, f.Info)
	}
	// A file the user did not name is not replaced.
	o.OutGiven = false
	if err := runWord2vec(context.Background(), o, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--out was not given") {
		t.Errorf("unnamed existing --out: %v", err)
	}
}
