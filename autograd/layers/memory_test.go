package layers

import (
	"runtime"
	"testing"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// mlpStep is one training step of a small MLP (DeZero's step 51 in
// miniature: sigmoid MLP, softmax cross entropy, SGD) on a fixed batch.
type mlpStep struct {
	model *MLP[float64]
	opt   *Optimizer[float64]
	x     *ag.Variable[float64]
	t     []int
}

func newMLPStep() *mlpStep {
	r := rng.NewNumpy(0)
	const batch, in = 16, 8
	x := tensor.New[float64](batch, in)
	for i := range x.Data {
		x.Data[i] = r.Uniform(-1, 1)
	}
	t := make([]int, batch)
	for i := range t {
		t[i] = i % 3
	}
	model := NewMLP([]int{32, 3}, ag.Sigmoid[float64], false, r)
	return &mlpStep{model: model, opt: Setup[float64](optim.NewSGD[float64](0.1), model), x: ag.Const(x), t: t}
}

func (s *mlpStep) step() float64 {
	l := ag.SoftmaxCrossEntropy(s.model.Forward(s.x), s.t)
	ClearGrads(s.model)
	l.Backward()
	s.opt.Update()
	return l.Item()
}

// heapAfterGC returns the bytes of live heap objects after a collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMemoryFlat trains for 10,000 steps and checks that the live heap
// after 10,000 steps is that after 1,000 (issue 14: memory stays flat):
// nothing of a step's graph outlives the next. A leak of one 32-byte
// object a step would add 288 KB; the bound, 256 KiB, leaves the
// runtime's own noise (a few KB) far behind. It logs the heap figures and
// the allocations a step.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 training steps")
	}
	s := newMLPStep()
	first := s.step()
	for range 999 {
		s.step()
	}
	h1 := heapAfterGC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	var last float64
	for range 9000 {
		last = s.step()
	}
	runtime.ReadMemStats(&m1)
	h10 := heapAfterGC()
	allocs := float64(m1.Mallocs-m0.Mallocs) / 9000
	bytes := float64(m1.TotalAlloc-m0.TotalAlloc) / 9000
	t.Logf("heap after 1,000 steps %d B, after 10,000 steps %d B (growth %d B); %.1f allocations, %.0f B a step; loss %.4f -> %.4f",
		h1, h10, int64(h10)-int64(h1), allocs, bytes, first, last)
	if h10 > h1+256<<10 {
		t.Fatalf("the heap grew from %d B after 1,000 steps to %d B after 10,000", h1, h10)
	}
	if !(last < first) {
		t.Fatalf("the loss did not fall: %v -> %v", first, last)
	}
}

// BenchmarkMLPStep reports the time and allocations of one training step
// of the small MLP of TestMemoryFlat.
func BenchmarkMLPStep(b *testing.B) {
	s := newMLPStep()
	b.ReportAllocs()
	for b.Loop() {
		s.step()
	}
}
