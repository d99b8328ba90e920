package rnnlm

import (
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
)

// BenchmarkStep times a training step of the book's simple model
// (vocabulary 10,002, embed and hidden 100, batch 20, 35 steps) in
// float32: Forward, Loss, Backward, clipping, SGD.
func BenchmarkStep(b *testing.B) {
	r := rng.NewNumpy(1)
	m := nn.NewLSTMLM[float32](nn.LSTMLMConfig{Vocab: 10002, Embed: 100, Hidden: 100}, r)
	corpus := make([]int, 100000)
	for i := range corpus {
		corpus[i] = r.Below(10002)
	}
	tr, err := NewTrainer[float32](m, corpus, Config{Batch: 20, BPTT: 35, LR: 20, Clip: 0.25})
	if err != nil {
		b.Fatal(err)
	}
	step := func() {
		tr.Stream.Next(tr.x, tr.y)
		_ = tr.loss.Forward(tr.Model.Forward(tr.x, 20, 35, true), tr.y)
		tr.Model.Backward(tr.loss.Grad())
		ClipGradNorm(m.Params(), 0.25)
		tr.Opt.Step(m.Params())
	}
	tr.loss.Forward(tr.Model.Forward(tr.x, 20, 35, true), tr.y)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		step()
	}
	b.ReportMetric(float64(700*b.N)/b.Elapsed().Seconds(), "tokens/s")
}
