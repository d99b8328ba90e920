package seq2seq

import (
	"fmt"
	"math"
	"testing"

	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// variants are the book's models: plain, reversed, peeky (with reversed
// input, as chapter 7 trains it) and attention.
var variants = []Config{
	{},
	{Reverse: true},
	{Reverse: true, Peeky: true},
	{Attention: true},
	{Reverse: true, Attention: true},
}

func name(c Config) string {
	return fmt.Sprintf("reverse=%v,peeky=%v,attention=%v", c.Reverse, c.Peeky, c.Attention)
}

// randomBatch returns n questions of tq ids and answers of ta ids below v.
func randomBatch(r *rng.MT, n, tq, ta, v int) (x, y []int) {
	for range n * tq {
		x = append(x, r.Below(v))
	}
	for range n * ta {
		y = append(y, r.Below(v))
	}
	return x, y
}

// gradH is the step of the central differences: the loss composes two
// LSTMs over 5 and 3 steps, whose third derivatives make the truncation
// error of numgrad.H (1e-4) reach about 1e-8 relative; at 1e-5 rounding
// stays near 1e-11.
const gradH = 1e-5

// TestGradients checks every parameter of every variant, in float64,
// against central differences of Loss, with weights drawn large enough
// (std 0.5) that the gates work off their linear middle. The tolerance,
// 1e-6 relative (numgrad.RelErr, gradients under numgrad.Floor compared
// absolutely), is what the recurrent layers alone meet with room.
func TestGradients(t *testing.T) {
	for _, v := range variants {
		t.Run(name(v), func(t *testing.T) {
			cfg := v
			cfg.Vocab, cfg.Embed, cfg.Hidden = 7, 3, 4
			r := rng.NewNumpy(3)
			m, err := New[float64](cfg, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.Params() {
				tensor.FillNormal(p.Value, r, 0, 0.5)
			}
			x, y := randomBatch(r, 2, 5, 4, cfg.Vocab)
			f := func() float64 { return m.Loss(x, y, 2) }
			f()
			m.Backward()
			overall := 0.0
			defer func() { t.Logf("largest relative error over the parameters: %.3g", overall) }()
			for _, p := range m.Params() {
				want := numgrad.GradientTo(tensor.New[float64](p.Value.Shape()...), f, p.Value, gradH)
				worst := 0.0
				for i := range want.Data {
					worst = max(worst, numgrad.RelErr(p.Grad.Data[i], want.Data[i]))
				}
				overall = max(overall, worst)
				if worst > 1e-6 {
					t.Errorf("%s: largest relative error %.3g", p.Name, worst)
				}
			}
		})
	}
}

// TestGenerateMatchesLoss checks that greedy decoding, one step at a time
// with the state carried, computes the scores teacher forcing computes
// for the same inputs: decoding the ids chosen gives the same answer as
// the argmax of Loss's scores on them.
func TestGenerateMatchesLoss(t *testing.T) {
	for _, v := range variants {
		t.Run(name(v), func(t *testing.T) {
			cfg := v
			cfg.Vocab, cfg.Embed, cfg.Hidden = 6, 3, 5
			r := rng.NewNumpy(11)
			m, err := New[float64](cfg, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.Params() {
				tensor.FillNormal(p.Value, r, 0, 0.8)
			}
			n, tq, steps := 3, 4, 5
			x, _ := randomBatch(r, n, tq, 1, cfg.Vocab)
			start := []int{0, 1, 2}
			got := m.Generate(x, start, steps)
			// Teacher-force the generated answers: each position's argmax
			// must be the next generated id.
			y := make([]int, 0, n*(steps+1))
			for b := 0; b < n; b++ {
				y = append(y, start[b])
				y = append(y, got[b*steps:(b+1)*steps]...)
			}
			m.Loss(x, y, n)
			V := cfg.Vocab
			for row := 0; row < n*steps; row++ {
				s := m.scores.Data[row*V : (row+1)*V]
				best := 0
				for j := range s {
					if s[j] > s[best] {
						best = j
					}
				}
				if best != got[row] {
					t.Fatalf("row %d: teacher forcing's argmax %d, Generate chose %d", row, best, got[row])
				}
			}
			if w := m.AttentionWeights(); cfg.Attention {
				for i := 0; i < n*steps; i++ {
					var s float64
					for _, a := range w.Data[i*tq : (i+1)*tq] {
						s += a
					}
					if s < 1-1e-12 || s > 1+1e-12 {
						t.Fatalf("attention weights of row %d sum to %v", i, s)
					}
				}
			} else if w != nil {
				t.Fatal("AttentionWeights without attention is not nil")
			}
		})
	}
}

// TestNewIsTheBooksInitialization checks New's draws for the attention
// model on dates (vocabulary 59, embedding 16, hidden 256) against the
// book's initialization, which the anchor attention_torch.py copies:
// embeddings randn/100, W_ih randn/√D, W_hh randn/√H, the output layer
// randn/√(2H), every bias zero. Each weight's sample mean and standard
// deviation must lie within 4 standard errors of the distribution's.
func TestNewIsTheBooksInitialization(t *testing.T) {
	const V, D, H = 59, 16, 256
	m, err := New[float32](Config{Vocab: V, Embed: D, Hidden: H, Reverse: true, Attention: true}, rng.NewNumpy(1984))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"enc_embed.weight":      0.01,
		"enc_lstm.weight_ih_l0": 1 / math.Sqrt(D),
		"enc_lstm.weight_hh_l0": 1 / math.Sqrt(H),
		"enc_lstm.bias_ih_l0":   0,
		"enc_lstm.bias_hh_l0":   0,
		"dec_embed.weight":      0.01,
		"dec_lstm.weight_ih_l0": 1 / math.Sqrt(D),
		"dec_lstm.weight_hh_l0": 1 / math.Sqrt(H),
		"dec_lstm.bias_ih_l0":   0,
		"dec_lstm.bias_hh_l0":   0,
		"affine.weight":         1 / math.Sqrt(2*H),
		"affine.bias":           0,
	}
	if len(m.Params()) != len(want) {
		t.Fatalf("%d parameters, want %d", len(m.Params()), len(want))
	}
	for _, p := range m.Params() {
		std, ok := want[p.Name]
		if !ok {
			t.Fatalf("unexpected parameter %s", p.Name)
		}
		var s, ss float64
		for _, w := range p.Value.Data {
			s += float64(w)
			ss += float64(w) * float64(w)
		}
		n := float64(len(p.Value.Data))
		mean := s / n
		sd := math.Sqrt(ss/n - mean*mean)
		if std == 0 {
			if ss != 0 {
				t.Errorf("%s: not all zero (sum of squares %g)", p.Name, ss)
			}
			continue
		}
		if math.Abs(mean) > 4*std/math.Sqrt(n) || math.Abs(sd/std-1) > 4/math.Sqrt(2*n) {
			t.Errorf("%s: %d draws of mean %.4g and std %.4g, want mean 0 and std %.4g", p.Name, len(p.Value.Data), mean, sd, std)
		}
	}
}
