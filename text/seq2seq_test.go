package text

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
)

// anchorText finds the reference programs of ../shared/anchors/text, which
// sit beside the repository on the project's machines and in CI.
func anchorText() string {
	if d := os.Getenv("KISO_ANCHORS"); d != "" {
		return filepath.Join(d, "text")
	}
	for _, d := range []string{"../../shared/anchors/text", "../../../shared/anchors/text"} {
		if _, err := os.Stat(filepath.Join(d, "seq2seq_data.py")); err == nil {
			return d
		}
	}
	return ""
}

func TestAdditionAndDatesFormats(t *testing.T) {
	add := Addition(1000, 1984)
	dates := Dates(1000, 1984)
	seen := map[string]bool{}
	for _, l := range add {
		if len(l) != 12 || l[7] != '_' || seen[l] {
			t.Fatalf("addition line %q", l)
		}
		seen[l] = true
	}
	formats := map[string]bool{}
	for _, l := range dates {
		if len(l) != 40 || l[29] != '_' {
			t.Fatalf("date line %q", l)
		}
		switch q := strings.TrimSpace(l[:29]); {
		case strings.Contains(q, "/"):
			formats["short"] = true
		case strings.Count(q, ",") == 2:
			formats["full"] = true
		case q == strings.ToLower(q):
			formats["lower"] = true
		case q == strings.ToUpper(q):
			formats["upper"] = true
		}
	}
	if len(formats) != 4 {
		t.Errorf("date formats seen: %v", formats)
	}
	if !reflect.DeepEqual(Addition(10, 7), Addition(10, 7)) || reflect.DeepEqual(Addition(10, 7), Addition(10, 8)) {
		t.Error("the same seed must give the same lines, another seed others")
	}
}

// TestSeq2seqMatchesPython compares the generated files byte for byte with
// seq2seq_data.py's for the anchors' seed.
func TestSeq2seqMatchesPython(t *testing.T) {
	dir := anchorText()
	if dir == "" {
		t.Skip("skipped: seq2seq_data.py (shared/anchors/text) is not beside the repository; set KISO_ANCHORS to the anchors folder")
	}
	py := tools.Python(t, "numpy")
	n := 50000
	if testing.Short() {
		n = 5000
	}
	for _, task := range []string{"addition", "date"} {
		out := filepath.Join(t.TempDir(), task+".txt")
		cmd := exec.Command(py, filepath.Join(dir, "seq2seq_data.py"), task, out, strconv.Itoa(n), "1984")
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("seq2seq_data.py %s: %v\n%s", task, err, msg)
		}
		want, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := Addition
		if task == "date" {
			lines = Dates
		}
		var b strings.Builder
		WriteLines(&b, lines(n, 1984))
		if got := b.String(); got != string(want) {
			gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
			for i := range min(len(gl), len(wl)) {
				if gl[i] != wl[i] {
					t.Fatalf("%s line %d: %q, seq2seq_data.py writes %q", task, i+1, gl[i], wl[i])
				}
			}
			t.Fatalf("%s: %d lines, seq2seq_data.py writes %d", task, len(gl), len(wl))
		}
	}
}

// loadDataProg is the load_data of the book's dataset/sequence.py, as the
// anchors attention_torch.py and peeky_torch.py have it; it prints the
// vocabulary and the shuffled examples' first and last lines.
const loadDataProg = `
import sys, numpy as np
questions, answers = [], []
for line in open(sys.argv[1], 'r'):
    idx = line.find('_')
    questions.append(line[:idx])
    answers.append(line[idx:-1])
c2i = {}
for q, a in zip(questions, answers):
    for ch in q + a:
        if ch not in c2i:
            c2i[ch] = len(c2i)
x = np.array([[c2i[c] for c in q] for q in questions])
t = np.array([[c2i[c] for c in a] for a in answers])
indices = np.arange(len(x))
np.random.seed(1984)
np.random.shuffle(indices)
x, t = x[indices], t[indices]
split_at = len(x) - len(x) // 10
print(''.join(c2i))
print(split_at)
for row in (x[0], t[0], x[split_at - 1], x[split_at], t[-1]):
    print(' '.join(map(str, row)))
`

func TestLoadPairsMatchesBook(t *testing.T) {
	py := tools.Python(t, "numpy")
	path := filepath.Join(t.TempDir(), "date.txt")
	f, _ := os.Create(path)
	WriteLines(f, Dates(3001, 5))
	f.Close()
	out, err := exec.Command(py, "-c", loadDataProg, path).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	p, err := LoadPairs(path, 1984)
	if err != nil {
		t.Fatal(err)
	}
	row := func(ids []int) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.Itoa(id)
		}
		return strings.Join(s, " ")
	}
	got := []string{strings.Join(p.Vocab.Words(), ""), strconv.Itoa(p.Train.Len()),
		row(p.Train.X[0]), row(p.Train.Y[0]), row(p.Train.X[p.Train.Len()-1]), row(p.Test.X[0]), row(p.Test.Y[p.Test.Len()-1])}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadPairs:\n%q\nthe book's load_data:\n%q", got, want)
	}
	if p.Test.Len() != 300 || p.QuestionLen != 29 || p.AnswerLen != 11 {
		t.Errorf("test %d, lengths %d %d", p.Test.Len(), p.QuestionLen, p.AnswerLen)
	}
}

func TestPairsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "at least 2"},
		{"1+1  _2 \n", "at least 2"},
		{"1+1  _2 \n1+2  3 \n", `line 2 has no "_"`},
		{"1+1  _2 \n1+22_23 \n", "line 2: a question of 4"},
	} {
		if _, err := ParsePairs(tc.in, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
	p, err := ParsePairs(strings.Join(Addition(100, 1), "\n"), 1984)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := p.Question("12+3")
	if err != nil || len(ids) != 7 || p.Decode(ids) != "12+3   " {
		t.Errorf("Question(12+3) = %v, %v", ids, err)
	}
	if _, err := p.Question("12+345678"); err == nil || !strings.Contains(err.Error(), "at most 7") {
		t.Errorf("too long: %v", err)
	}
	if _, err := p.Question("1*2"); err == nil || !strings.Contains(err.Error(), `'*'`) {
		t.Errorf("unseen character: %v", err)
	}
}
