package lm_test

import (
	"testing"

	"github.com/kiso-go/kiso/lm"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
)

// BenchmarkGPTStep is one training step of nanoGPT's CPU configuration
// (4 layers, 4 heads, 128 features, windows of 64, batches of 12,
// vocabulary 91 as Opticks') in float32: forward, loss, backward,
// clipping and AdamW. tokens/s is the figure to compare with the anchor's.
func BenchmarkGPTStep(b *testing.B) {
	r := rng.NewNumpy(1)
	g := nn.NewGPT[float32](nn.GPTConfig{Vocab: 91, Block: 64, Layers: 4, Heads: 4, Embd: 128}, r)
	g.Reset(r)
	m := lm.NewGPT(g)
	opt := optim.NewAdamW[float32](1e-3, 0.9, 0.99, 0.1)
	x, y := make([]int, 12*64), make([]int, 12*64)
	for i := range x {
		x[i], y[i] = r.Below(91), r.Below(91)
	}
	var loss lm.Loss[float32]
	step := func() {
		loss.Forward(m.Forward(x, 12, 64, true), y)
		m.Backward(loss.Grad())
		optim.ClipGradNorm(m.Params(), 1)
		opt.Step(m.Params())
	}
	step() // the buffers of the first step
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		step()
	}
	b.ReportMetric(float64(b.N*len(x))/b.Elapsed().Seconds(), "tokens/s")
}
