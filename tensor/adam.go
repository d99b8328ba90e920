package tensor

import (
	"fmt"
	"math"
	"sync"
	"unsafe"
)

// AdamUpdate is Adam's element update (Kingma and Ba) with the bias
// correction folded into lr: for every j,
//
//	m[j] += c1·(g[j] − m[j])
//	v[j] += c2·(g[j]·g[j] − v[j])
//	w[j] −= lr·m[j] / (√v[j] + eps)
//
// each operation rounded to T (c1 = 1−β1, c2 = 1−β2). The four slices
// must have the same length; it panics otherwise. Float32 runs eight
// elements at a time on CPUs with AVX2, and long slices in chunks on
// Parallel: the same bits either way.
func AdamUpdate[T Float](w, g, m, v []T, lr, c1, c2, eps T) {
	mustAdam("AdamUpdate", w, g, m, v)
	runAdam(&adamOp[T]{w: w, g: g, m: m, v: v, lr: lr, c1: c1, c2: c2, eps: eps})
}

// AdamWUpdate is AdamW's element update after the decay (PyTorch's
// torch.optim.AdamW): for every j,
//
//	m[j] = b1·m[j] + c1·g[j]
//	v[j] = b2·v[j] + c2·g[j]·g[j]
//	w[j] −= step·(m[j] / (√v[j]/bc2 + eps))
//
// each operation rounded to T (c1 = 1−β1, c2 = 1−β2, step = lr/(1−β1^t),
// bc2 = √(1−β2^t)). The four slices must have the same length; it panics
// otherwise. Float32 runs eight elements at a time on CPUs with AVX2, and
// long slices in chunks on Parallel: the same bits either way.
func AdamWUpdate[T Float](w, g, m, v []T, step, b1, c1, b2, c2, bc2, eps T) {
	mustAdam("AdamWUpdate", w, g, m, v)
	runAdam(&adamOp[T]{decoupled: true, w: w, g: g, m: m, v: v, lr: step, b1: b1, c1: c1, b2: b2, c2: c2, bc2: bc2, eps: eps})
}

func mustAdam[T Float](name string, w, g, m, v []T) {
	if len(g) != len(w) || len(m) != len(w) || len(v) != len(w) {
		panic(fmt.Sprintf("tensor: %s: lengths %d, %d, %d and %d differ", name, len(w), len(g), len(m), len(v)))
	}
}

// adamOp is one AdamUpdate or AdamWUpdate, cut into chunks of whole
// 32-byte blocks for Parallel.
type adamOp[T Float] struct {
	decoupled                    bool
	w, g, m, v                   []T
	lr, b1, c1, b2, c2, bc2, eps T
	chunks                       int
}

// parallelAdam is the length from which the Adam updates cut their work
// into chunks for Parallel.
const parallelAdam = 1 << 15

var adamPools PerType[sync.Pool]

func runAdam[T Float](op *adamOp[T]) {
	n := len(op.w)
	if n < parallelAdam {
		op.run(0, n)
		return
	}
	pool := Of[T](&adamPools)
	p, ok := pool.Get().(*adamOp[T])
	if !ok {
		p = new(adamOp[T])
	}
	*p = *op
	p.chunks = min(n/(parallelAdam/4), 4)
	Parallel(p, p.chunks)
	*p = adamOp[T]{} // hold no slices
	pool.Put(p)
}

// RunChunk updates chunk i's elements.
func (o *adamOp[T]) RunChunk(i int) {
	n := len(o.w)
	i0, i1 := blocks8(i, n, o.chunks)
	o.run(i0, i1)
}

// run updates elements i0..i1-1.
func (o *adamOp[T]) run(i0, i1 int) {
	w, g, m, v := o.w[i0:i1], o.g[i0:i1], o.m[i0:i1], o.v[i0:i1]
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	done := 0
	if blocks := len(w) / 8; useSIMD && unsafe.Sizeof(T(0)) == 4 && blocks > 0 {
		w32, g32, m32, v32 := &as[float32](w)[0], &as[float32](g)[0], &as[float32](m)[0], &as[float32](v)[0]
		if o.decoupled {
			adamw32(w32, g32, m32, v32, float32(o.lr), float32(o.b1), float32(o.c1), float32(o.b2), float32(o.c2), float32(o.bc2), float32(o.eps), blocks)
		} else {
			adam32(w32, g32, m32, v32, float32(o.lr), float32(o.c1), float32(o.c2), float32(o.eps), blocks)
		}
		done = 8 * blocks
	}
	if o.decoupled {
		for j := done; j < len(w); j++ {
			gj := g[j]
			m[j] = T(o.b1*m[j]) + T(o.c1*gj)
			v[j] = T(o.b2*v[j]) + T(T(o.c2*gj)*gj)
			w[j] -= T(o.lr * (m[j] / (T(math.Sqrt(float64(v[j])))/o.bc2 + o.eps)))
		}
		return
	}
	for j := done; j < len(w); j++ {
		gj := g[j]
		m[j] += T(o.c1 * (gj - m[j]))
		v[j] += T(o.c2 * (T(gj*gj) - v[j]))
		w[j] -= T(o.lr * m[j] / (T(math.Sqrt(float64(v[j]))) + o.eps))
	}
}
