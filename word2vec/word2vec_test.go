package word2vec

import (
	"bytes"
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestSamplerDistribution draws 400,000 words from the 0.75-power unigram
// distribution of five counts and checks each word's share against
// count^0.75/Σ within 5 standard errors (a chi-square bound would say the
// same; a sampler off by 1% of a share fails it).
func TestSamplerDistribution(t *testing.T) {
	counts := []int{1000, 300, 0, 50, 7, 1}
	s, err := NewSampler(counts, 0.75)
	if err != nil {
		t.Fatal(err)
	}
	z := 0.0
	for _, c := range counts {
		z += math.Pow(float64(c), 0.75)
	}
	r := rng.NewNumpy(3)
	const n = 400_000
	got := make([]int, len(counts))
	for range n {
		got[s.Draw(r)]++
	}
	for w, c := range counts {
		p := math.Pow(float64(c), 0.75) / z
		if math.Abs(s.P(w)-p) > 1e-15 {
			t.Errorf("P(%d) = %v, want %v", w, s.P(w), p)
		}
		se := math.Sqrt(p * (1 - p) / n)
		if share := float64(got[w]) / n; math.Abs(share-p) > 5*se || c == 0 && got[w] != 0 {
			t.Errorf("word %d (count %d): share %.5f, want %.5f ± %.5f", w, c, share, p, 5*se)
		}
	}
}

// TestSamplerWithoutReplacement checks SampleTo against the distribution
// of numpy's choice(replace=False, p) with the target's p set to 0: for
// three words of weights 1, 2, 3 (target excluded from a fourth), drawing
// 2, the first word is drawn with probability p_i and the second with
// p_j/(1-p_i); the chance of the set {0, 1} is then p0·p1/(1-p0) + p1·p0/(1-p1).
func TestSamplerWithoutReplacement(t *testing.T) {
	s, err := NewSampler([]int{1, 2, 3, 4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.NewNumpy(5)
	dst := make([]int32, 2)
	const n = 200_000
	sets := map[[2]int32]int{}
	for range n {
		s.SampleTo(dst, 3, r)
		if dst[0] == dst[1] || dst[0] == 3 || dst[1] == 3 {
			t.Fatalf("SampleTo gave %v: repeated or excluded", dst)
		}
		a, b := min(dst[0], dst[1]), max(dst[0], dst[1])
		sets[[2]int32{a, b}]++
	}
	p := []float64{1.0 / 6, 2.0 / 6, 3.0 / 6} // word 3 excluded: 1, 2, 3 of 6
	for _, pair := range [][2]int32{{0, 1}, {0, 2}, {1, 2}} {
		i, j := p[pair[0]], p[pair[1]]
		want := i*j/(1-i) + j*i/(1-j)
		se := math.Sqrt(want * (1 - want) / n)
		if got := float64(sets[pair]) / n; math.Abs(got-want) > 5*se {
			t.Errorf("set %v: share %.5f, want %.5f ± %.5f", pair, got, want, 5*se)
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "word2vec:") {
			t.Errorf("SampleTo of 3 from 3 words excluding one: panic %v", r)
		}
	}()
	s.SampleTo(make([]int32, 4), 3, r)
}

func TestSamplerErrors(t *testing.T) {
	for _, counts := range [][]int{nil, {0, 0}, {1, -1}} {
		if _, err := NewSampler(counts, 0.75); err == nil {
			t.Errorf("NewSampler(%v): no error", counts)
		}
	}
}

// smallCorpus returns a vocabulary of 12 words and a corpus of 60 ids.
func smallCorpus() ([]string, []int) {
	words := strings.Fields("a b c d e f g h i j k l")
	r := rng.NewNumpy(7)
	ids := make([]int, 60)
	for i := range ids {
		ids[i] = r.Below(len(words))
	}
	return words, ids
}

// TestGradient checks the gradients a step adds against central
// differences of the batch's summed loss, in float64, for both
// architectures, including words repeated within a window and a batch. The
// loss is smooth (softplus of dot products) and of order 10, so with
// numgrad's h = 1e-4 the central difference's error is about 1e-8 relative
// (truncation, h²) plus 1e-12/|g| (rounding); a wrong term is off by
// order 1. Tolerance: 1e-6 relative, numgrad.RelErr's floor 1e-3 keeping
// near-zero gradients from posing as large relative errors.
func TestGradient(t *testing.T) {
	for _, arch := range []string{CBOW, SkipGram} {
		t.Run(arch, func(t *testing.T) {
			words, ids := smallCorpus()
			m, err := NewModel[float64](words, Config{Arch: arch, Window: 2, Dim: 4, Negatives: 3, Batch: 6, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			// Larger weights than the 0.01 start, so the sigmoids are off zero.
			r := rng.NewNumpy(11)
			for _, x := range []*tensor.Tensor[float64]{m.In, m.Out} {
				for i := range x.Data {
					x.Data[i] = 0.5 * r.Norm()
				}
			}
			tr, err := NewTrainer(m, ids)
			if err != nil {
				t.Fatal(err)
			}
			tr.fill([]int32{0, 7, 3, 7, 20, 41}) // example 7 twice
			loss := func() float64 {
				tr.forwardBackward()
				s := 0.0
				for _, l := range tr.loss[:tr.n] {
					s += l
				}
				return s
			}
			loss()
			dIn, dOut := tensor.New[float64](m.In.Shape()...), tensor.New[float64](m.Out.Shape()...)
			tr.update(dIn, dOut, -1)
			for _, p := range []struct {
				name    string
				x, grad *tensor.Tensor[float64]
			}{{"w_in", m.In, dIn}, {"w_out", m.Out, dOut}} {
				num := numgrad.Gradient(loss, p.x)
				worst, nonzero := 0.0, 0
				for i := range num.Data {
					worst = max(worst, numgrad.RelErr(p.grad.Data[i], num.Data[i]))
					if p.grad.Data[i] != 0 {
						nonzero++
					}
				}
				if worst > 1e-6 || nonzero < 8 {
					t.Errorf("%s: max relative error %.2e over %d nonzero gradients", p.name, worst, nonzero)
				}
			}
		})
	}
}

// train trains a model of cfg on the small corpus with GOMAXPROCS procs.
func train(t *testing.T, cfg Config, procs int) *Model[float32] {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	words, ids := smallCorpus()
	m, err := NewModel[float32](words, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(m, ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Train(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSameSeedSameBits trains twice on one core and once on two: the
// vectors are identical, bit for bit; another seed gives others.
func TestSameSeedSameBits(t *testing.T) {
	for _, arch := range []string{CBOW, SkipGram} {
		cfg := Config{Arch: arch, Window: 2, Dim: 8, Batch: 5, Epochs: 3, Seed: 4}
		a, b, c := train(t, cfg, 1), train(t, cfg, 1), train(t, cfg, 2)
		if !slices.Equal(a.In.Data, b.In.Data) || !slices.Equal(a.In.Data, c.In.Data) || !slices.Equal(a.Out.Data, c.Out.Data) {
			t.Errorf("%s: the same seed gave different vectors", arch)
		}
		cfg.Seed = 5
		if d := train(t, cfg, 2); slices.Equal(a.In.Data, d.In.Data) {
			t.Errorf("%s: seeds 4 and 5 gave the same vectors", arch)
		}
	}
}

// patterned returns a corpus of sentences in which the words of each
// group share their neighbours: "the cat eats some fish ." and "a man
// reads his book .", with cat, dog or horse; eats or likes; fish, meat or
// grass; man, woman or child; reads or writes; book, paper or letter.
func patterned(n int) ([]string, []int) {
	sentences := [][][]string{
		{{"the"}, {"cat", "dog", "horse"}, {"eats", "likes"}, {"some"}, {"fish", "meat", "grass"}, {"."}},
		{{"a"}, {"man", "woman", "child"}, {"reads", "writes"}, {"his"}, {"book", "paper", "letter"}, {"."}},
	}
	var words []string
	index := map[string]int{}
	r := rng.NewNumpy(1)
	var ids []int
	for range n {
		for _, group := range sentences[r.Below(2)] {
			w := group[r.Below(len(group))]
			if _, ok := index[w]; !ok {
				index[w] = len(words)
				words = append(words, w)
			}
			ids = append(ids, index[w])
		}
	}
	return words, ids
}

// TestLearns trains both architectures with a window of one word on
// patterned text: the mean loss falls well below its start (about
// (1+Negatives)·log 2) and each group's words are each other's nearest
// neighbours.
func TestLearns(t *testing.T) {
	words, ids := patterned(2000)
	for _, arch := range []string{CBOW, SkipGram} {
		m, err := NewModel[float32](words, Config{Arch: arch, Window: 1, Dim: 10, Negatives: 3, Batch: 20, Epochs: 5, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTrainer(m, ids)
		if err != nil {
			t.Fatal(err)
		}
		var first, last Progress
		if err := tr.Train(context.Background(), func(p Progress) {
			if p.Epoch == 1 && p.Step == 1 {
				first = p
			}
			last = p
		}); err != nil {
			t.Fatal(err)
		}
		if !(last.Loss < 0.5*first.Loss) {
			t.Errorf("%s: loss %.3f at the first step, %.3f in the last epoch", arch, first.Loss, last.Loss)
		}
		v := NewVectors(m.Words, m.In)
		for _, g := range [][]string{{"cat", "dog", "horse"}, {"fish", "meat", "grass"}, {"book", "paper", "letter"}, {"man", "woman", "child"}} {
			top, err := v.Similar(g[0], 2)
			if err != nil {
				t.Fatal(err)
			}
			if got := []string{top[0].Word, top[1].Word}; !slices.Contains(got, g[1]) || !slices.Contains(got, g[2]) {
				t.Errorf("%s: nearest to %s: %v, want %v", arch, g[0], top, g[1:])
			}
		}
	}
}

func TestTrainerErrors(t *testing.T) {
	words, ids := smallCorpus()
	m, _ := NewModel[float32](words, Config{Window: 5})
	for _, tc := range []struct {
		ids  []int
		want string
	}{
		{nil, "fewer than the 11 of one window"},
		{ids[:10], "fewer than the 11 of one window"},
		{append(slices.Clone(ids), 12), "outside the vocabulary"},
		{[]int{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1}, "5 distinct words, fewer than the 6 a step draws"},
	} {
		if _, err := NewTrainer(m, tc.ids); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d ids: %v, want %q", len(tc.ids), err, tc.want)
		}
	}
	if _, err := NewModel[float32](nil, Config{}); err == nil {
		t.Error("an empty vocabulary: no error")
	}
	if _, err := NewModel[float32]([]string{"a", "a"}, Config{}); err == nil {
		t.Error("a repeated word: no error")
	}
	if _, err := NewModel[float32](words, Config{Arch: "glove"}); err == nil {
		t.Error("arch glove: no error")
	}
}

// TestInterrupt cancels training: Train returns the context's error and
// the model keeps its finished steps.
func TestInterrupt(t *testing.T) {
	words, ids := patterned(100)
	m, _ := NewModel[float32](words, Config{Batch: 10, Epochs: 3, Window: 2})
	before := slices.Clone(m.In.Data)
	tr, _ := NewTrainer(m, ids)
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	err := tr.Train(ctx, func(p Progress) {
		if steps++; steps == 3 {
			cancel()
		}
	})
	if err != context.Canceled || steps != 3 || tr.Epoch() != 0 || slices.Equal(before, m.In.Data) {
		t.Errorf("Train: %v after %d steps, epoch %d", err, steps, tr.Epoch())
	}
}

func TestSaveLoad(t *testing.T) {
	words, ids := smallCorpus()
	m, _ := NewModel[float32](words, Config{Arch: SkipGram, Window: 2, Dim: 6, Epochs: 1, Seed: 3})
	tr, _ := NewTrainer(m, ids)
	if err := tr.Train(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/w.kiso"
	info := Info{Corpus: "small", Tokens: len(ids), Epochs: 1, Loss: 2.5}
	if err := Save(path, m, info); err != nil {
		t.Fatal(err)
	}
	f, err := Load[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Words, words) || f.Config != m.Config || f.Info != info ||
		!slices.Equal(f.In.Data, m.In.Data) || !slices.Equal(f.Out.Data, m.Out.Data) {
		t.Errorf("round trip: %+v %+v", f.Config, f.Info)
	}
	g, err := Load[float64](path)
	if err != nil || float32(g.In.Data[5]) != m.In.Data[5] {
		t.Errorf("as float64: %v", err)
	}
}

func TestReadRejects(t *testing.T) {
	words, _ := smallCorpus()
	m, _ := NewModel[float32](words, Config{Dim: 3})
	write := func(mod func(*Model[float32])) []byte {
		c := &Model[float32]{Words: slices.Clone(m.Words), In: m.In.Clone(), Out: m.Out.Clone(), Config: m.Config}
		mod(c)
		var b bytes.Buffer
		if err := Write(&b, c, Info{}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"short vocab", write(func(c *Model[float32]) { c.Words = c.Words[:11] }), "shape [12 3], want [11 3]"},
		{"repeated word", write(func(c *Model[float32]) { c.Words[1] = "a" }), "twice"},
		{"bad config", write(func(c *Model[float32]) { c.Config.Window = -1 }), "window -1"},
		{"NaN", write(func(c *Model[float32]) { c.Out.Data[4] = float32(math.NaN()) }), "w_out holds NaN (value 4)"},
		{"not safetensors", []byte("hello, world"), "safetensors"},
	} {
		_, err := Read[float32](bytes.NewReader(tc.file), int64(len(tc.file)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// unitVectors returns Vectors over hand-made 3-D vectors in which
// woman - man = queen - king exactly.
func unitVectors() *Vectors {
	words := []string{"man", "woman", "king", "queen", "apple", "pear"}
	m := tensor.FromRows([][]float64{
		{1, 0, 0}, {1, 1, 0}, {1, 0, 1}, {1, 1, 1}, {0, 0, -1}, {0.1, 0, -1},
	})
	return NewVectors(words, m)
}

func TestQueries(t *testing.T) {
	v := unitVectors()
	top, err := v.Analogy("man", "king", "woman", 2)
	if err != nil || top[0].Word != "queen" || len(top) != 2 {
		t.Errorf("king - man + woman: %v, %v", top, err)
	}
	top, err = v.Similar("apple", 1)
	if err != nil || top[0].Word != "pear" || math.Abs(top[0].Cosine-1/math.Sqrt(1.01)) > 1e-12 {
		t.Errorf("apple: %v, %v", top, err)
	}
	if top := v.Nearest([]float64{0, 0, 1}, 10); len(top) != 6 || top[0].Word != "king" || top[5].Word != "apple" {
		t.Errorf("Nearest all: %v", top)
	}
	var unk *UnknownWordError
	if _, err := v.Similar("plum", 3); err == nil || err.Error() != `"plum" is not in the vocabulary` {
		t.Errorf("plum: %v", err)
	} else if !errors.As(err, &unk) {
		t.Errorf("plum: %T", err)
	}
	total, sections := v.Evaluate([]Analogy{{"g", "man", "king", "woman", "queen"}, {"g", "king", "man", "queen", "woman"},
		{"f", "apple", "pear", "man", "woman"}, {"f", "apple", "plum", "man", "woman"}})
	if total != (Score{Correct: 2, Asked: 3, Skipped: 1}) || len(sections) != 2 || sections[1] != (Score{"f", 0, 1, 1}) {
		t.Errorf("Evaluate: %+v %+v", total, sections)
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want Query
		ok   bool
	}{
		{[]string{"car"}, Query{Word: "car"}, true},
		{[]string{"so-called"}, Query{Word: "so-called"}, true},
		{[]string{"king", "-", "man", "+", "woman"}, Query{A: "man", B: "king", C: "woman"}, true},
		{[]string{"king - man + woman"}, Query{A: "man", B: "king", C: "woman"}, true},
		{[]string{"king + woman - man"}, Query{A: "man", B: "king", C: "woman"}, true},
		{[]string{"king", "man"}, Query{}, false},
		{[]string{"king - man - woman"}, Query{}, false},
		{[]string{"-"}, Query{}, false},
		{nil, Query{}, false},
	} {
		q, err := ParseQuery(tc.args)
		if q != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseQuery(%q) = %+v, %v", tc.args, q, err)
		}
	}
}

func TestDefaultAnalogies(t *testing.T) {
	a := DefaultAnalogies()
	if len(a) != 548 {
		t.Errorf("%d analogies, want 548", len(a))
	}
	if a[0] != (Analogy{"family", "man", "woman", "king", "queen"}) {
		t.Errorf("first: %+v", a[0])
	}
	got, err := ParseAnalogies(": s\na b c d\n\n# note\nx y\nz w\n")
	if err != nil || len(got) != 3 || got[2] != (Analogy{"s", "z", "w", "x", "y"}) {
		t.Errorf("ParseAnalogies: %v %v", got, err)
	}
	for _, s := range []string{"", "# nothing\n", "a b c\n"} {
		if _, err := ParseAnalogies(s); err == nil {
			t.Errorf("ParseAnalogies(%q): no error", s)
		}
	}
}

// TestProject checks the projection of unit vectors that lie in a plane
// through the origin: their 2-D coordinates keep their distances.
func TestProject(t *testing.T) {
	var rows [][]float64
	var words []string
	for i, a := range []float64{0, 0.5, 1.2, 2, 3.5} {
		// In the plane spanned by (1, 2, 0, 1) and (0, 1, 3, -2), scaled unevenly.
		c, s := math.Cos(a), math.Sin(a)
		u, w := []float64{1, 2, 0, 1}, []float64{0, 1, 3, -2}
		row := make([]float64, 4)
		for k := range row {
			row[k] = float64(i+1) * (c*u[k]/math.Sqrt(6) + s*w[k]/math.Sqrt(14))
		}
		rows, words = append(rows, row), append(words, string(rune('a'+i)))
	}
	// u and w are orthogonal: 0 + 2 + 0 - 2 = 0.
	v := NewVectors(words, tensor.FromRows(rows))
	xs, ys, err := v.Project(words)
	if err != nil {
		t.Fatal(err)
	}
	for i := range words {
		for j := range words {
			var want float64
			for k, x := range v.Unit(i) {
				want += (x - v.Unit(j)[k]) * (x - v.Unit(j)[k])
			}
			if d := math.Hypot(xs[i]-xs[j], ys[i]-ys[j]); math.Abs(d-math.Sqrt(want)) > 1e-9 {
				t.Errorf("%s-%s: %.12f, want %.12f", words[i], words[j], d, math.Sqrt(want))
			}
		}
	}
	if _, _, err := v.Project([]string{"a", "a"}); err == nil {
		t.Error("one distinct word: no error")
	}
	if _, _, err := v.Project([]string{"a", "z"}); err == nil {
		t.Error("an unknown word: no error")
	}
}
