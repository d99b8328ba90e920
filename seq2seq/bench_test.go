package seq2seq

import (
	"testing"

	"github.com/kiso-go/kiso/internal/cputime"
	"github.com/kiso-go/kiso/rng"
)

// benchStep times one training step (Loss, Backward, ClipGradNorm) in
// float32 on the book's shapes: batch 128, embeddings of 16. Beside the
// wall time it reports the process's CPU time per step (cpu-ns/op), the
// figure to compare on a busy machine.
func benchStep(b *testing.B, cfg Config, tq, ta int) {
	cfg.Vocab, cfg.Embed = 13, 16
	r := rng.NewNumpy(1)
	m, err := New[float32](cfg, r)
	if err != nil {
		b.Fatal(err)
	}
	x, y := randomBatch(r, 128, tq, ta, cfg.Vocab)
	m.Loss(x, y, 128)
	m.Backward()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, ok := cputime.Process()
	for range b.N {
		m.Loss(x, y, 128)
		m.Backward()
		ClipGradNorm(m.Params(), 5)
	}
	b.ReportMetric(float64(128*b.N)/b.Elapsed().Seconds(), "examples/s")
	if cpu1, ok1 := cputime.Process(); ok && ok1 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkPeekyAddition: chapter 7's reversed peeky model, questions of
// 7 and answers of 5.
func BenchmarkPeekyAddition(b *testing.B) {
	benchStep(b, Config{Hidden: 128, Reverse: true, Peeky: true}, 7, 5)
}

// BenchmarkAttentionDates: chapter 8's attention model, questions of 29
// and answers of 11.
func BenchmarkAttentionDates(b *testing.B) {
	benchStep(b, Config{Hidden: 256, Reverse: true, Attention: true}, 29, 11)
}
