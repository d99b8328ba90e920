package text

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiso-go/kiso/rng"
)

// The toy sequence tasks of the second volume's chapters 7 and 8, generated
// exactly as ../shared/anchors/text/seq2seq_data.py generates them with
// numpy's legacy generator seeded by np.random.seed(seed), in the line
// format of the book's dataset/addition.txt and date.txt: a question padded
// with spaces, then "_" and the answer, padded.

// MaxAdditionPairs is the largest n Addition accepts: a fifth of the
// 500,500 unordered pairs of numbers 0-999, so that drawing distinct pairs
// by rejection stays quick.
const MaxAdditionPairs = 100000

// Addition returns n lines of the addition task: "a+b" padded to 7
// characters, then "_" and a+b padded to 4, as "16+75  _91  ". Each operand
// has a uniform number of digits from 1 to 3, each digit uniform (so 0 to
// 999, leading zeros dropped), as Keras's addition_rnn example draws them;
// no unordered pair {a, b} repeats. It panics unless 0 <= n <=
// MaxAdditionPairs.
func Addition(n int, seed uint32) []string {
	if n < 0 || n > MaxAdditionPairs {
		panic(fmt.Sprintf("text: %d addition pairs, want 0 to %d", n, MaxAdditionPairs))
	}
	r := rng.NewNumpy(seed)
	operand := func() int {
		v := 0
		for range r.Randint(1, 4) {
			v = 10*v + r.Randint(0, 10) // np.random.choice(list('0123456789'))
		}
		return v
	}
	seen := make(map[[2]int]bool, n)
	lines := make([]string, 0, n)
	for len(lines) < n {
		a, b := operand(), operand()
		key := [2]int{min(a, b), max(a, b)}
		if seen[key] {
			continue
		}
		seen[key] = true
		q := strconv.Itoa(a) + "+" + strconv.Itoa(b)
		lines = append(lines, ljust(q, 7)+"_"+ljust(strconv.Itoa(a+b), 4))
	}
	return lines
}

// Dates returns n lines of the date task: a uniform date from 1970-01-01 to
// 2017-12-31 in one of four en_US formats, uniform: "9/30/81", "Sep 30,
// 1981", "September 30, 1981" or "Wednesday, September 30, 1981"; the word
// formats are kept as they are half the time, lowercased a quarter and
// uppercased a quarter. The question is padded to 29 characters, then "_"
// and the date as YYYY-MM-DD. It panics if n < 0.
func Dates(n int, seed uint32) []string {
	if n < 0 {
		panic(fmt.Sprintf("text: %d dates", n))
	}
	r := rng.NewNumpy(seed)
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
	const ordinal1970 = 719163 // Python's date(1970, 1, 1).toordinal()
	lines := make([]string, 0, n)
	for range n {
		d := epoch.AddDate(0, 0, r.Randint(ordinal1970, ordinal1970+days+1)-ordinal1970)
		format := r.Randint(0, 4)
		var s string
		switch format {
		case 0:
			s = fmt.Sprintf("%d/%d/%02d", int(d.Month()), d.Day(), d.Year()%100)
		case 1:
			s = fmt.Sprintf("%s %d, %d", d.Month().String()[:3], d.Day(), d.Year())
		case 2:
			s = fmt.Sprintf("%s %d, %d", d.Month(), d.Day(), d.Year())
		default:
			s = fmt.Sprintf("%s, %s %d, %d", d.Weekday(), d.Month(), d.Day(), d.Year())
		}
		if format != 0 {
			switch r.Randint(0, 4) {
			case 2:
				s = strings.ToLower(s)
			case 3:
				s = strings.ToUpper(s)
			}
		}
		lines = append(lines, ljust(s, 29)+"_"+d.Format("2006-01-02"))
	}
	return lines
}

// ljust pads s with spaces to width characters, as Python's str.ljust.
func ljust(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// WriteLines writes lines to w, each followed by a newline.
func WriteLines(w io.Writer, lines []string) error {
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Pairs are the examples of a sequence-to-sequence task, read as the book's
// dataset/sequence.py reads them (and the anchors attention_torch.py and
// peeky_torch.py): each line is a question, then the answer starting at
// its first "_" (the "_" included, as the decoder's first input).
type Pairs struct {
	// Vocab holds the characters, numbered in order of first appearance:
	// line by line, the question's characters, then the answer's.
	Vocab *Vocab
	// Train and Test are the examples after a seeded shuffle: Test is the
	// last tenth (n/10 examples, rounded down).
	Train, Test PairSet
	// QuestionLen and AnswerLen are the lengths every question and answer
	// have, in characters.
	QuestionLen, AnswerLen int
}

// PairSet is a set of examples: X[i] holds the ids of question i, Y[i] those
// of its answer.
type PairSet struct {
	X, Y [][]int
}

// Len returns the number of examples.
func (s PairSet) Len() int { return len(s.X) }

// MaxPairLines caps the lines a pairs file may have.
const MaxPairLines = 10_000_000

// LoadPairs reads a file of question_answer lines (such as Addition or
// Dates writes) with ParsePairs.
func LoadPairs(path string, seed uint32) (*Pairs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read pairs: %w", err)
	}
	defer f.Close()
	b, err := readCapped(f, MaxCorpusBytes)
	if err != nil {
		return nil, fmt.Errorf("pairs %s: %w", path, err)
	}
	if err := CheckText(path, b); err != nil {
		return nil, err
	}
	p, err := ParsePairs(string(b), seed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParsePairs parses question_answer lines (a final newline is optional),
// numbers their characters, shuffles the examples with numpy's legacy
// shuffle seeded by seed (np.random.seed(seed); np.random.shuffle) and keeps
// the last tenth as the test part, as the book's load_data(seed=1984) does.
// A line without "_", a question or answer of another length than the
// first line's, or fewer than 2 lines is an error.
func ParsePairs(s string, seed uint32) (*Pairs, error) { return parsePairs(s, seed, MaxPairLines) }

// parsePairs is ParsePairs with at most maxLines lines, counted before
// anything is split or allocated.
func parsePairs(s string, seed uint32, maxLines int) (*Pairs, error) {
	s = strings.TrimSuffix(s, "\n")
	if n := strings.Count(s, "\n") + 1; n > maxLines {
		return nil, fmt.Errorf("%d lines, at most %d", n, maxLines)
	}
	lines := strings.Split(s, "\n")
	if s == "" || len(lines) < 2 {
		return nil, fmt.Errorf("%d examples: a train and a test part need at least 2", len(lines))
	}
	p := &Pairs{Vocab: &Vocab{}}
	x, y := make([][]int, len(lines)), make([][]int, len(lines))
	for i, line := range lines {
		cut := strings.IndexByte(line, '_')
		if cut < 0 {
			return nil, fmt.Errorf("line %d has no \"_\" between question and answer: %q", i+1, line)
		}
		q, a := []rune(line[:cut]), []rune(line[cut:])
		if i == 0 {
			p.QuestionLen, p.AnswerLen = len(q), len(a)
		} else if len(q) != p.QuestionLen || len(a) != p.AnswerLen {
			return nil, fmt.Errorf("line %d: a question of %d and an answer of %d characters, line 1 has %d and %d (pad them to equal lengths)",
				i+1, len(q), len(a), p.QuestionLen, p.AnswerLen)
		}
		x[i], y[i] = make([]int, len(q)), make([]int, len(a))
		for k, c := range q {
			x[i][k] = p.Vocab.add(string(c))
		}
		for k, c := range a {
			y[i][k] = p.Vocab.add(string(c))
		}
	}
	r := rng.NewNumpy(seed)
	r.NumpyShuffle(len(x), func(i, j int) { x[i], x[j], y[i], y[j] = x[j], x[i], y[j], y[i] })
	split := len(x) - len(x)/10
	p.Train = PairSet{X: x[:split], Y: y[:split]}
	p.Test = PairSet{X: x[split:], Y: y[split:]}
	return p, nil
}

// Question encodes a question typed by a user, padded with spaces to
// QuestionLen as the training questions are. A question longer than that,
// or with a character the vocabulary lacks, is an error.
func (p *Pairs) Question(s string) ([]int, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("the question %q is not UTF-8", s)
	}
	if n := utf8.RuneCountInString(s); n > p.QuestionLen {
		return nil, fmt.Errorf("the question %q has %d characters, the model reads at most %d", s, n, p.QuestionLen)
	}
	ids := make([]int, 0, p.QuestionLen)
	for _, c := range ljust(s, p.QuestionLen) {
		id, ok := p.Vocab.ID(string(c))
		if !ok {
			return nil, fmt.Errorf("the question %q has %q, a character the training questions never had", s, c)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Decode returns the characters of ids.
func (p *Pairs) Decode(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(p.Vocab.Word(id))
	}
	return b.String()
}
