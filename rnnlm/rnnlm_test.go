package rnnlm

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestStream checks the book's batch layout: row i starts at offset
// i·⌊(N−1)/B⌋, the targets are the next tokens, the position carries on
// and wraps around.
func TestStream(t *testing.T) {
	corpus := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	s, err := NewStream(corpus, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]int, 6), make([]int, 6)
	s.Next(x, y)
	if want := []int{0, 1, 2, 5, 6, 7}; !equal(x, want) || !equal(y, []int{1, 2, 3, 6, 7, 8}) {
		t.Fatalf("first batch x %v y %v", x, y)
	}
	s.Next(x, y)
	if want := []int{3, 4, 5, 8, 9, 0}; !equal(x, want) {
		t.Fatalf("second batch x %v, want %v (wrapping at 10 inputs)", x, want)
	}
	if s.PerEpoch() != 1 {
		t.Fatalf("PerEpoch %d, want 1", s.PerEpoch())
	}
	if _, err := NewStream(corpus, 4, 3); err == nil {
		t.Fatal("11 tokens for 4 rows of 3: no error")
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLossUniform checks that all-equal logits cost log V, the gradient
// summing to zero in each row.
func TestLossUniform(t *testing.T) {
	for _, v := range []int{2, 10, 1000} {
		m := nn.NewLSTMLM[float32](nn.LSTMLMConfig{Vocab: v, Embed: 2, Hidden: 2}, rng.NewNumpy(1))
		m.B.Value.Zero()
		for _, p := range m.Params() {
			p.Value.Zero()
		}
		var l Loss[float32]
		got := l.Forward(m.Forward([]int{0, 1, 0}, 1, 3, false), []int{1, 0, 1})
		if math.Abs(got-math.Log(float64(v))) > 1e-6 {
			t.Errorf("V %d: loss %v, want log V = %v", v, got, math.Log(float64(v)))
		}
	}
}

// TestTrainLearnsPattern trains the simple model on a repeating sentence
// of 6 words (vocabulary 6) and asks that the perplexity fall below 1.5
// from about 6 (seen: see the log); then saves, loads and checks the
// loaded model's perplexity and samples equal the trained one's.
func TestTrainLearnsPattern(t *testing.T) {
	var corpus []int
	for range 400 {
		corpus = append(corpus, 0, 1, 2, 3, 4, 5)
	}
	r := rng.NewNumpy(3)
	m := nn.NewLSTMLM[float32](nn.LSTMLMConfig{Vocab: 6, Embed: 8, Hidden: 16}, r)
	tr, err := NewTrainer[float32](m, corpus, Config{Batch: 4, BPTT: 10, LR: 1, Clip: 1})
	if err != nil {
		t.Fatal(err)
	}
	var e Epoch
	for range 5 {
		if e, err = tr.Epoch(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	ppl, err := Perplexity[float32](context.Background(), m, corpus[:300], 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("train perplexity %.4f in epoch %d, held-out %.4f", e.Train, e.Epoch, ppl)
	if ppl > 1.5 {
		t.Fatalf("perplexity %.3f on the pattern, want under 1.5", ppl)
	}
	path := filepath.Join(t.TempDir(), "lm.kiso")
	words := []string{"a", "b", "c", "d", "e", "<eos>"}
	if err := Save(path, m, words, Info{Data: "pattern", History: []Epoch{e}, Test: ppl}); err != nil {
		t.Fatal(err)
	}
	f, err := Load[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	ppl2, _ := Perplexity[float32](context.Background(), f.Model, corpus[:300], 2, 10)
	if ppl2 != ppl || f.Info.Test != ppl || len(f.Words) != 6 {
		t.Fatalf("loaded: perplexity %v (saved %v), info %+v", ppl2, ppl, f.Info)
	}
	// At temperature 0.1 the pattern's next word has all but 1e-20 of
	// the probability.
	ctx := context.Background()
	var streamed []int
	a, err := Generate[float32](ctx, m, []int{0}, 12, 0.1, nil, rng.NewNumpy(1), func(id int) error {
		streamed = append(streamed, id)
		return nil
	})
	if err != nil || !equal(streamed, a) {
		t.Fatalf("Generate: %v, streamed %v, returned %v", err, streamed, a)
	}
	b, _ := Generate[float32](ctx, f.Model, []int{0}, 12, 0.1, nil, rng.NewNumpy(1), nil)
	if !equal(a, b) {
		t.Fatalf("samples differ: %v and %v", a, b)
	}
	if want := []int{1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0}; !equal(a, want) {
		t.Errorf("sample after 0: %v, want the pattern %v", a, want)
	}
	if c, _ := Generate[float32](ctx, m, []int{0}, 30, 1, []int{3}, rng.NewNumpy(1), nil); contains(c, 3) {
		t.Errorf("a skipped id was drawn: %v", c)
	}
	// Sampling stops when the context ends (Ctrl-C in kiso) or emit fails,
	// keeping what was drawn.
	cctx, cancel := context.WithCancel(ctx)
	d, err := Generate[float32](cctx, m, []int{0}, 30, 1, nil, rng.NewNumpy(1), func(int) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || len(d) != 1 {
		t.Errorf("cancelled after the first id: %v, %v; want one id and context.Canceled", d, err)
	}
	stop := errors.New("stop")
	if e, err := Generate[float32](ctx, m, []int{0}, 30, 1, nil, rng.NewNumpy(1), func(int) error { return stop }); err != stop || len(e) != 1 {
		t.Errorf("emit failing: %v, %v; want one id and its error", e, err)
	}
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestLossFloat32MatchesFloat64 checks the float32 path (vectorized
// exponentials and max, float32 sums) against float64 on random logits:
// rows of 10,002 (not a multiple of 8) and of 5 (shorter than 8); the
// loss within 1e-6 relative and every gradient within 1e-5 relative
// (1e-9 absolute for those near zero).
func TestLossFloat32MatchesFloat64(t *testing.T) {
	r := rng.NewNumpy(3)
	for _, v := range []int{10002, 5} {
		n := 13
		x32, x64 := tensor.New[float32](n, v), tensor.New[float64](n, v)
		targets := make([]int, n)
		for i := range x64.Data {
			x64.Data[i] = 4 * r.Norm()
			x32.Data[i] = float32(x64.Data[i])
			x64.Data[i] = float64(x32.Data[i])
		}
		for i := range targets {
			targets[i] = r.Below(v)
		}
		var l32 Loss[float32]
		var l64 Loss[float64]
		a, b := l32.Forward(x32, targets), l64.Forward(x64, targets)
		if math.Abs(a-b) > 1e-6*math.Abs(b) {
			t.Errorf("V %d: float32 loss %v, float64 %v", v, a, b)
		}
		g32, g64 := l32.Grad(), l64.Grad()
		for i := range g64.Data {
			if d := math.Abs(float64(g32.Data[i]) - g64.Data[i]); d > 1e-5*math.Abs(g64.Data[i])+1e-9 {
				t.Fatalf("V %d: gradient %d: float32 %v, float64 %v", v, i, g32.Data[i], g64.Data[i])
			}
		}
	}
}
