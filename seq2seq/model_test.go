package seq2seq

import (
	"fmt"
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
