package tensor

import (
	"fmt"
	"testing"

	"github.com/kiso-go/kiso/internal/cputime"
	"github.com/kiso-go/kiso/rng"
)

// BenchmarkGemm reports GFLOP/s (2·m·n·k per product) for square sizes and
// for the shapes of an MNIST MLP's first Linear layer (784 to 50 or 100)
// with batch 100: forward x·W (xW), and backward xᵀ·dy (dW) and dy·Wᵀ
// (dx), and SimpleConvNet's weight gradient of one image (cnn_dW); the
// names give the sizes of the product's factors. BenchmarkGemmShapes has
// the float32 products of DeZero's step 51 and of the GPT of docs/gpt.md.
func BenchmarkGemm(b *testing.B) {
	type shape struct {
		name           string
		m, n, k        int
		transA, transB bool
	}
	var shapes []shape
	for _, s := range []int{32, 64, 128, 256, 512, 1024} {
		shapes = append(shapes, shape{fmt.Sprint(s), s, s, s, false, false})
	}
	for _, h := range []int{50, 100} {
		shapes = append(shapes,
			shape{fmt.Sprintf("mnist_xW_100x784x%d", h), 100, h, 784, false, false}, // x·W
			shape{fmt.Sprintf("mnist_dW_784x100x%d", h), 784, h, 100, true, false},  // xᵀ·dy
			shape{fmt.Sprintf("mnist_dx_100x%dx784", h), 100, 784, h, false, true})  // dy·Wᵀ
	}
	// SimpleConvNet's convolution (30 filters of 1×5×5 over 24×24 outputs):
	// the weight gradient dy·colsᵀ of one image.
	shapes = append(shapes, shape{"cnn_dW_30x576x25", 30, 25, 576, false, true})
	for _, s := range shapes {
		b.Run("f64/"+s.name, func(b *testing.B) { benchGemm[float64](b, s.m, s.n, s.k, s.transA, s.transB) })
		b.Run("f32/"+s.name, func(b *testing.B) { benchGemm[float32](b, s.m, s.n, s.k, s.transA, s.transB) })
	}
}

func benchGemm[T Float](b *testing.B, m, n, k int, transA, transB bool) {
	r := rng.NewNumpy(0)
	ash, bsh := []int{m, k}, []int{k, n}
	if transA {
		ash = []int{k, m}
	}
	if transB {
		bsh = []int{n, k}
	}
	x, y, c := RandN[T](r, 1, ash...), RandN[T](r, 1, bsh...), New[T](m, n)
	cpu0, ok := cputime.Process()
	for b.Loop() {
		MatMulTo(c, x, y, transA, transB)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	// The process's CPU time per product (the helpers' spinning included):
	// on a busy machine the steadier figure for one goroutine, and with
	// several, what the wall time cost in cores.
	if cpu1, ok1 := cputime.Process(); ok && ok1 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkGemmShapes reports GFLOP/s for the float32 products of two
// training steps, each as MatMulTo runs it (c overwritten): DeZero's step
// 51 (MLP 784-1000-10, batch 100: forward x·W, weight gradients xᵀ·dy and
// the second layer's dy·Wᵀ) and the GPT of docs/gpt.md (768 tokens, width
// 128: the products x·W of c_attn, attention's c_proj, c_fc and the MLP's
// c_proj, their weight gradients xᵀ·dy and their dy·Wᵀ). Names are
// m x k x n of the product, t marking a transposed factor.
func BenchmarkGemmShapes(b *testing.B) {
	type shape struct {
		name           string
		m, n, k        int
		transA, transB bool
	}
	shapes := []shape{
		{"step51_xW1_100x784x1000", 100, 1000, 784, false, false},
		{"step51_dW1_784tx100x1000", 784, 1000, 100, true, false},
		{"step51_xW2_100x1000x10", 100, 10, 1000, false, false},
		{"step51_dW2_1000tx100x10", 1000, 10, 100, true, false},
		{"step51_dx2_100x10x1000t", 100, 1000, 10, false, true},
	}
	for _, w := range [][2]int{{128, 384}, {128, 128}, {128, 512}, {512, 128}} {
		in, out := w[0], w[1]
		shapes = append(shapes,
			shape{fmt.Sprintf("gpt_xW_768x%dx%d", in, out), 768, out, in, false, false},
			shape{fmt.Sprintf("gpt_dW_%dtx768x%d", in, out), in, out, 768, true, false},
			shape{fmt.Sprintf("gpt_dx_768x%dx%dt", out, in), 768, in, out, false, true})
	}
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) { benchGemm[float32](b, s.m, s.n, s.k, s.transA, s.transB) })
	}
}

// BenchmarkBatchGemmAttention reports GFLOP/s for the batched products of
// the attention of docs/gpt.md's GPT (12 windows of 64 tokens, 4 heads of
// 32 features: 48 products each), as nn.CausalSelfAttention calls them:
// the scores q·kᵀ scaled (qk), att·v (av), and backward datt = dy·vᵀ
// (datt), dv = attᵀ·dy (dv), dq = datt·k scaled (dq), dk = dattᵀ·q scaled
// (dk).
func BenchmarkBatchGemmAttention(b *testing.B) {
	const batch, t, hs = 48, 64, 32
	scale := float32(0.17677669529663687) // 1/√32
	type prod struct {
		name           string
		transA, transB bool
		alpha          float32
		a, b, c        [3]int
	}
	for _, p := range []prod{
		{"qk", false, true, scale, [3]int{batch, t, hs}, [3]int{batch, t, hs}, [3]int{batch, t, t}},
		{"av", false, false, 1, [3]int{batch, t, t}, [3]int{batch, t, hs}, [3]int{batch, t, hs}},
		{"datt", false, true, 1, [3]int{batch, t, hs}, [3]int{batch, t, hs}, [3]int{batch, t, t}},
		{"dv", true, false, 1, [3]int{batch, t, t}, [3]int{batch, t, hs}, [3]int{batch, t, hs}},
		{"dq", false, false, scale, [3]int{batch, t, t}, [3]int{batch, t, hs}, [3]int{batch, t, hs}},
		{"dk", true, false, scale, [3]int{batch, t, t}, [3]int{batch, t, hs}, [3]int{batch, t, hs}},
	} {
		b.Run(p.name, func(b *testing.B) {
			r := rng.NewNumpy(0)
			x, y, c := RandN[float32](r, 1, p.a[:]...), RandN[float32](r, 1, p.b[:]...), New[float32](p.c[:]...)
			k := p.a[2]
			if p.transA {
				k = p.a[1]
			}
			cpu0, ok := cputime.Process()
			for b.Loop() {
				BatchGemm(p.transA, p.transB, p.alpha, x, y, 0, c)
			}
			b.ReportMetric(2*float64(c.Len())*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if cpu1, ok1 := cputime.Process(); ok && ok1 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
