package lm_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/lm"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/text"
)

// TestLoss checks the loss at uniform logits (log V), and its gradient
// against central differences in float64 (within 1e-8: a log-sum-exp has
// small third derivatives).
func TestLoss(t *testing.T) {
	var l lm.Loss[float64]
	if got := l.Forward(tensor.New[float64](2, 3, 5), []int{0, 1, 2, 3, 4, 0}); math.Abs(got-math.Log(5)) > 1e-15 {
		t.Errorf("uniform: %v, want log 5 = %v", got, math.Log(5))
	}
	r := rng.NewNumpy(1)
	x := tensor.RandN[float64](r, 2, 2, 3, 5)
	y := []int{4, 0, 2, 2, 1, 3}
	l.Forward(x, y)
	g := l.Grad().Clone()
	num := numgrad.Gradient(func() float64 { return l.Forward(x, y) }, x)
	for i := range g.Data {
		if e := numgrad.RelErr(g.Data[i], num.Data[i]); e > 1e-8 {
			t.Fatalf("element %d: %v, central differences %v", i, g.Data[i], num.Data[i])
		}
	}
}

// TestStream checks that each batch continues the last row by row, that
// rows start N/B apart, and that y is x one token later.
func TestStream(t *testing.T) {
	toks := make([]int, 41)
	for i := range toks {
		toks[i] = i
	}
	s, err := lm.NewStream(toks, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]int, 6), make([]int, 6)
	s.Next(x, y)
	if !slices.Equal(x, []int{0, 1, 2, 20, 21, 22}) || !slices.Equal(y, []int{1, 2, 3, 21, 22, 23}) {
		t.Errorf("first batch x %v y %v", x, y)
	}
	s.Next(x, y)
	if !slices.Equal(x, []int{3, 4, 5, 23, 24, 25}) {
		t.Errorf("second batch x %v", x)
	}
	if s.PerEpoch() != 6 {
		t.Errorf("PerEpoch %d, want 6", s.PerEpoch())
	}
	if _, err := lm.NewStream(toks[:5], 2, 3); err == nil {
		t.Error("5 tokens accepted for 2 rows of 3")
	}
}

// TestPick checks greedy decoding, that top-k never draws outside the k
// best, and that temperature 1 without top-k follows the softmax (within
// 0.02 over 20,000 draws).
func TestPick(t *testing.T) {
	logits := []float32{0, 2, 1, float32(math.Log(0.5)) + 2, -1}
	if got := lm.Pick(logits, lm.SampleOptions{}, nil); got != 1 {
		t.Errorf("greedy %d, want 1", got)
	}
	r := rng.NewNumpy(3)
	counts := make([]float64, 5)
	const n = 20000
	for range n {
		k := lm.Pick(logits, lm.SampleOptions{Temperature: 1, TopK: 2, Rand: r}, nil)
		if k != 1 && k != 3 {
			t.Fatalf("top-2 drew %d", k)
		}
		counts[lm.Pick(logits, lm.SampleOptions{Temperature: 1, Rand: r}, nil)]++
	}
	var z float64
	for _, v := range logits {
		z += math.Exp(float64(v))
	}
	for j, v := range logits {
		if p := math.Exp(float64(v)) / z; math.Abs(counts[j]/n-p) > 0.02 {
			t.Errorf("token %d drawn %.3f of the time, softmax %.3f", j, counts[j]/n, p)
		}
	}
}

func tinyGPT[T tensor.Float](seed uint32, vocab, block int) *lm.GPT[T] {
	r := rng.NewNumpy(seed)
	g := nn.NewGPT[T](nn.GPTConfig{Vocab: vocab, Block: block, Layers: 2, Heads: 2, Embd: 16}, r)
	g.Reset(r)
	for _, p := range g.Params() {
		if !strings.Contains(p.Name, "ln_") {
			tensor.FillNormal(p.Value, r, 0, 0.3) // far from uniform predictions
		}
	}
	return lm.NewGPT(g)
}

// TestGenerateCache generates 40 tokens with a window of 12 (so past it)
// through the KV cache and through Forward over the whole window, in
// float64 and float32: the same tokens, and logits within 1e-12 (float64)
// and 1e-4 (float32) at every step inside the window.
func TestGenerateCache(t *testing.T) {
	t.Run("float64", func(t *testing.T) { checkCache[float64](t, 1e-12) })
	t.Run("float32", func(t *testing.T) { checkCache[float32](t, 1e-4) })
}

func checkCache[T tensor.Float](t *testing.T, tol float64) {
	m := tinyGPT[T](5, 11, 12)
	prompt := []int{1, 2, 3}
	var toks [2][]int
	for k, noCache := range []bool{false, true} {
		o := lm.SampleOptions{Temperature: 1, TopK: 5, Rand: rng.NewNumpy(9), NoCache: noCache}
		out, err := lm.Generate[T](context.Background(), m, prompt, 40, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		toks[k] = out
	}
	if !slices.Equal(toks[0], toks[1]) {
		t.Fatalf("cached %v\nuncached %v", toks[0], toks[1])
	}
	seq := append(slices.Clone(prompt), toks[0]...)
	cached := slices.Clone(m.Prime(seq[:3]))
	for i := 3; i < 12; i++ {
		full := m.Forward(seq[:i], 1, i, false)
		want := full.Data[(i-1)*11:]
		for j := range want {
			if math.Abs(float64(cached[j]-want[j])) > tol {
				t.Fatalf("position %d, logit %d: cached %v, Forward %v", i, j, cached[j], want[j])
			}
		}
		cached = slices.Clone(m.Next(seq[i]))
	}
}

// TestTrainLearns trains a tiny GPT with AdamW on a periodic text of 7
// characters (windows of 8, batches of 8, 150 steps): every next
// character is determined by the last two, and the validation loss must
// fall from log 7 ≈ 1.95 to below 0.1. The same seed gives the same
// losses bit for bit, and a run stopped by its context after 40 steps
// and resumed gives the same final loss as an uninterrupted one.
func TestTrainLearns(t *testing.T) {
	corpus := strings.Repeat("abcadbe", 200)
	tok, err := text.NewChar(corpus)
	if err != nil {
		t.Fatal(err)
	}
	data, err := text.NewLMData(&text.Corpus{Name: "test", Text: corpus}, tok, 8)
	if err != nil {
		t.Fatal(err)
	}
	type run struct {
		tr   *lm.Trainer[float64]
		m    *lm.GPT[float64]
		data *lm.Windows
	}
	newRun := func() run {
		r := rng.NewNumpy(1)
		g := nn.NewGPT[float64](nn.GPTConfig{Vocab: tok.VocabSize(), Block: 8, Layers: 1, Heads: 2, Embd: 16}, r)
		g.Reset(r)
		m := lm.NewGPT(g)
		w := lm.NewWindows(data.Train, 8, rng.NewNumpy(2))
		tr := lm.NewTrainer[float64](m, optim.NewAdamW[float64](1e-2, 0.9, 0.99, 0.1), w,
			lm.NewWindows(data.Train, 8, rng.NewNumpy(3)), lm.NewWindows(data.Val, 8, rng.NewNumpy(4)),
			lm.Config{Iters: 150, Schedule: optim.WarmupCosine{Base: 1e-2, Min: 1e-3, Warmup: 10, Decay: 150}, Clip: 1, EvalEvery: 50, EvalIters: 2})
		return run{tr, m, w}
	}
	var evals []lm.Point
	a := newRun()
	if err := a.tr.Run(context.Background(), func(p lm.Point) error {
		if p.Eval {
			evals = append(evals, p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(evals) != 4 || evals[0].Step != 0 || evals[3].Step != 150 {
		t.Fatalf("estimates %+v", evals)
	}
	if first, last := evals[0].ValLoss, evals[3].ValLoss; math.Abs(first-math.Log(float64(tok.VocabSize()))) > 0.05 || !(last < 0.1) {
		t.Errorf("validation loss %v at step 0 (want ≈ log 5), %v at the end (want < 0.1)", first, last)
	}
	full, err := lm.FullLoss[float64](context.Background(), a.m, data.Val, 4)
	if err != nil || !(full < 0.1) {
		t.Errorf("full validation loss %v, %v", full, err)
	}

	// Stopped after 40 steps, then resumed with the same objects.
	b := newRun()
	ctx, cancel := context.WithCancel(context.Background())
	err = b.tr.Run(ctx, func(p lm.Point) error {
		if p.Step == 40 && !p.Eval {
			cancel()
		}
		return nil
	})
	if err != context.Canceled || b.tr.Step != 40 {
		t.Fatalf("stopped run: %v at step %d", err, b.tr.Step)
	}
	var lastB lm.Point
	if err := b.tr.Run(context.Background(), func(p lm.Point) error { lastB = p; return nil }); err != nil {
		t.Fatal(err)
	}
	if lastB.ValLoss != evals[3].ValLoss || lastB.TrainLoss != evals[3].TrainLoss {
		t.Errorf("resumed: final losses %v/%v, uninterrupted %v/%v", lastB.TrainLoss, lastB.ValLoss, evals[3].TrainLoss, evals[3].ValLoss)
	}
}
