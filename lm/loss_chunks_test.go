package lm

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestLossChunksMatchPlainLoop checks Loss.Forward, whose rows run in
// chunks on tensor.Parallel, bit for bit against the plain loop over the
// rows (loss and gradient), with 1 and 2 goroutines.
func TestLossChunksMatchPlainLoop(t *testing.T) {
	r := rng.NewNumpy(9)
	for _, sh := range [][2]int{{1, 5}, {768, 91}, {300, 1000}} {
		n, v := sh[0], sh[1]
		logits := tensor.RandN[float32](r, 3, n, v)
		targets := make([]int, n)
		for i := range targets {
			targets[i] = r.Below(v)
		}
		want, wd := 0.0, make([]float32, n*v)
		inv := 1 / float64(n)
		for i, y := range targets {
			x, d := logits.Data[i*v:(i+1)*v], wd[i*v:(i+1)*v]
			m := float64(x[0])
			for _, e := range x[1:] {
				m = max(m, float64(e))
			}
			var sum float64
			for j, e := range x {
				p := math.Exp(float64(e) - m)
				d[j] = float32(p)
				sum += p
			}
			want += m + math.Log(sum) - float64(x[y])
			for j := range d {
				d[j] = float32(float64(d[j]) * (inv / sum))
			}
			d[y] -= float32(inv)
		}
		want *= inv
		for _, procs := range []int{1, 2} {
			old := runtime.GOMAXPROCS(procs)
			var l Loss[float32]
			got := l.Forward(logits, targets)
			runtime.GOMAXPROCS(old)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%v procs %d: loss %v, want %v", sh, procs, got, want)
			}
			for i, g := range l.Grad().Data {
				if math.Float32bits(g) != math.Float32bits(wd[i]) {
					t.Fatalf("%v procs %d: gradient %d is %v, want %v", sh, procs, i, g, wd[i])
				}
			}
		}
	}
}
