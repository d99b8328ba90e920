package seq2seq

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestSaveLoad trains an attention model for a few epochs, saves it, loads
// it in float64 and checks that the parameters, the config, the vocabulary
// and the answers are the same.
func TestSaveLoad(t *testing.T) {
	p := reversal(t)
	r := rng.NewNumpy(5)
	m, err := New[float32](Config{Vocab: p.Vocab.Len(), Embed: 8, Hidden: 16, Reverse: true, Attention: true}, r)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, p, TrainConfig{Batch: 16, LR: 0.01}, r)
	if err != nil {
		t.Fatal(err)
	}
	e, err := tr.Epoch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.kiso")
	if err := Save(path, m, p, Info{Data: "reversal", History: []Epoch{e}}); err != nil {
		t.Fatal(err)
	}
	f, err := Load[float64](path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Model.Config != m.Config || f.Info.Data != "reversal" || len(f.Info.History) != 1 {
		t.Fatalf("config %+v, info %+v", f.Model.Config, f.Info)
	}
	for i, q := range f.Model.Params() {
		want := m.Params()[i]
		if q.Name != want.Name {
			t.Fatalf("parameter %d: %s, want %s", i, q.Name, want.Name)
		}
		for j, v := range q.Value.Data {
			if float32(v) != want.Value.Data[j] {
				t.Fatalf("%s[%d] = %v, saved %v", q.Name, j, v, want.Value.Data[j])
			}
		}
	}
	if strings.Join(f.Pairs.Vocab.Words(), "") != strings.Join(p.Vocab.Words(), "") || f.Pairs.QuestionLen != 4 || f.Pairs.AnswerLen != 5 {
		t.Fatalf("vocabulary %q, lengths %d %d", f.Pairs.Vocab.Words(), f.Pairs.QuestionLen, f.Pairs.AnswerLen)
	}
	for _, q := range []string{"abcd", "dcca", "bbba"} {
		x, _ := p.Question(q)
		want := p.Decode(m.Generate(x, []int{p.Train.Y[0][0]}, 4))
		got, err := f.Answer(q)
		if err != nil || got != want {
			t.Errorf("Answer(%q) = %q, %v; the saved model answered %q", q, got, err, want)
		}
	}
	if _, err := f.Answer("abce"); err == nil || !strings.Contains(err.Error(), "'e'") {
		t.Errorf("a question with a symbol the vocabulary lacks: %v", err)
	}
}

// TestReadRejects checks that Read refuses what is not a sound seq2seq
// file, with a reason.
func TestReadRejects(t *testing.T) {
	p := reversal(t)
	m, _ := New[float32](Config{Vocab: p.Vocab.Len(), Embed: 2, Hidden: 3}, rng.NewNumpy(1))
	var good bytes.Buffer
	if err := Write(&good, m, p, Info{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, from, to, want string }{
		{"format", Format, "kiso-seq2sex", "not a seq2seq model"},
		{"version", `"version":"1"`, `"version":"9"`, "version"},
		{"vocab size", `vocab\":5`, `vocab\":6`, "vocab"},
		{"hidden", `hidden\":3`, `hidden\":4`, "shape"},
		{"lengths", `[4,5]`, `[4,1]`, "lengths"},
	} {
		b := bytes.Replace(good.Bytes(), []byte(c.from), []byte(c.to), 1)
		if bytes.Equal(b, good.Bytes()) {
			t.Fatalf("%s: %q not found in the file", c.name, c.from)
		}
		_, err := Read[float32](bytes.NewReader(b), int64(len(b)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one about %q", c.name, err, c.want)
		}
	}
	if _, err := Read[float32](bytes.NewReader(good.Bytes()), int64(good.Len())); err != nil {
		t.Fatal(err)
	}
}
