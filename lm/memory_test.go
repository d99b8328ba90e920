package lm_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/lm"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/text"
)

// TestTrainStepMemory checks that training a GPT does not grow: after a
// few steps and an estimate (which size every buffer), a step allocates
// only a bounded handful of small objects (measured: see the log), and the
// live heap after 300 more steps and estimates is the one after the first
// few, within 64 KiB (a leak of one float32 activation of this model per
// step would add 300·1 KiB at least).
func TestTrainStepMemory(t *testing.T) {
	corpus := strings.Repeat("the light of the sun and the rays of it. ", 100)
	tok, err := text.NewChar(corpus)
	if err != nil {
		t.Fatal(err)
	}
	data, err := text.NewLMData(&text.Corpus{Name: "test", Text: corpus}, tok, 16)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.NewNumpy(1)
	g := nn.NewGPT[float32](nn.GPTConfig{Vocab: tok.VocabSize(), Block: 16, Layers: 2, Heads: 2, Embd: 16, Dropout: 0.1}, r)
	g.Reset(r)
	tr := lm.NewTrainer[float32](lm.NewGPT(g), optim.NewAdamW[float32](1e-3, 0.9, 0.99, 0.1), lm.NewWindows(data.Train, 4, rng.NewNumpy(2)),
		lm.NewWindows(data.Train, 4, rng.NewNumpy(3)), lm.NewWindows(data.Val, 4, rng.NewNumpy(4)),
		lm.Config{Iters: 1000, Schedule: optim.WarmupCosine{Base: 1e-3, Min: 1e-4, Warmup: 10, Decay: 1000}, Clip: 1, EvalEvery: 50, EvalIters: 2})
	step := func() {
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		step()
	}
	tr.Estimate()
	allocs := testing.AllocsPerRun(50, step)
	t.Logf("%.1f allocations per step", allocs)
	if allocs > 20 && !raceEnabled {
		t.Errorf("a step allocates %.1f objects, want a bounded few (the buffers are reused)", allocs)
	}
	live := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := live()
	for i := range 300 {
		step()
		if i%50 == 0 {
			tr.Estimate()
		}
	}
	after := live()
	t.Logf("live heap %d bytes after warm-up, %d after 300 more steps", before, after)
	if after > before+64<<10 {
		t.Errorf("the live heap grew from %d to %d bytes over 300 steps", before, after)
	}
}
