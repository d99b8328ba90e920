package word2vec

import (
	"context"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// benchTrainer returns a trainer of a Brown-sized vocabulary (10,000
// words, vectors of 100) on 20,000 ids drawn from a Zipf-like law.
func benchTrainer(b *testing.B, arch string) *Trainer[float32] {
	const v = 10000
	words := make([]string, v)
	for i := range words {
		words[i] = string(rune(0x4e00 + i))
	}
	r := rng.NewNumpy(1)
	ids := make([]int, 20000)
	for i := range ids {
		ids[i] = int(float64(v) * r.Float64() * r.Float64() * r.Float64())
	}
	m, err := NewModel[float32](words, Config{Arch: arch, Epochs: 1000})
	if err != nil {
		b.Fatal(err)
	}
	tr, err := NewTrainer(m, ids)
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// benchSteps runs b.N steps of 100 examples and reports words (examples) per second.
func benchSteps(b *testing.B, arch string) {
	tr := benchTrainer(b, arch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	b.ResetTimer()
	err := tr.Train(ctx, func(p Progress) {
		if n++; n == b.N {
			cancel()
		}
	})
	if err != nil && err != context.Canceled {
		b.Fatal(err)
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "words/s")
}

func BenchmarkStepCBOW(b *testing.B)     { benchSteps(b, CBOW) }
func BenchmarkStepSkipGram(b *testing.B) { benchSteps(b, SkipGram) }
