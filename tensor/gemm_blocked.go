package tensor

import (
	"runtime"
	"sync"
	"unsafe"
)

// Blocking of gemmBlocked, in elements: op(a) is cut into blocks of
// blockMC rows by blockKC columns (kept in L2), op(b) into panels of
// blockKC rows by blockNC columns (kept in L3); both are copied ("packed")
// into contiguous micro-panels that the micro-kernel streams through L1.
// blockMC is a multiple of every kernel's mr and blockNC of every nr.
const (
	blockKC = 256
	blockMC = 96
	blockNC = 2048
)

// parallelMin is the number of multiply-adds from which gemmBlocked splits
// a product between two goroutines; below it the hand-off costs more than
// the second core gives.
const parallelMin = 1 << 23

// kernel is a micro-kernel: run adds to the mr×nr tile at c (row stride
// ldc) the product of a packed mr×k panel of op(a) (k columns of mr
// elements) and a packed k×nr panel of op(b) (k rows of nr elements).
//
// half, if non-nil, does what run does on the left half of the tile only
// (its first nr/2 columns, the same operations on each element); edge
// tiles of at most nr/2 columns take it.
type kernel[E float32 | float64] struct {
	mr, nr int
	run    func(k int, a, b, c []E, ldc int)
	half   func(k int, a, b, c []E, ldc int)
}

// gemmBlocked computes c = alpha·op(a)·op(b) + beta·c with packing, cache
// blocking, a micro-kernel (SIMD where the CPU has it, see kernels) and,
// for large products, two goroutines.
//
// Rounding: each element is the sum over p in increasing order, cut into
// runs of at most blockKC terms of nearly equal length (a function of k
// alone); a run is accumulated in a register (with fused multiply-adds on
// the SIMD kernels) and then added to the element; alpha multiplies
// op(a)'s elements as they are packed. The bits therefore
// differ from gemmSmall's (by rounding only) and between the SIMD and the
// portable kernels, but not between runs: the split between goroutines
// follows tile boundaries, so every element is computed by the same
// operations whatever GOMAXPROCS is. Float32 products of at most rowsMax
// rows without transposes or scaling (a single case through a layer) take
// rows instead, which reads b in place and gives the same bits.
func gemmBlocked[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if unsafe.Sizeof(alpha) == 8 {
		blocked(kernel64(), transA, transB, m, n, k, float64(alpha), as[float64](a), lda, as[float64](b), ldb, float64(beta), as[float64](c), ldc)
		return
	}
	if useSIMD && m <= rowsMax && !transA && !transB && alpha == 1 {
		rows(m, n, k, as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc)
		return
	}
	blocked(kernel32(), transA, transB, m, n, k, float32(alpha), as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc)
}

// as reinterprets a slice of T as a slice of E, the type of the same size
// that T is defined on (~float32 or ~float64).
func as[E float32 | float64, T Float](s []T) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func blocked[E float32 | float64](kern kernel[E], transA, transB bool, m, n, k int, alpha E, a []E, lda int, b []E, ldb int, beta E, c []E, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		switch {
		case beta == 0:
			clear(crow)
		case beta != 1:
			for j := range crow {
				crow[j] *= beta
			}
		}
	}
	p := part[E]{kern: kern, transA: transA, transB: transB, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	if m*n*k < parallelMin || runtime.GOMAXPROCS(0) < 2 {
		p.run(0, m, 0, n) // allocates nothing
		return
	}
	// Two halves along the longer side of c, cut on a tile boundary; the
	// second runs on another goroutine, through a pooled split so that
	// starting it allocates nothing in steady state.
	sp := getSplit[E]()
	sp.p = p
	sp.i0, sp.i1, sp.j0, sp.j1 = 0, m, 0, n
	if m >= n {
		mid := (m/2 + kern.mr - 1) / kern.mr * kern.mr
		sp.i0 = mid
		sp.wg.Add(1)
		go sp.run()
		p.run(0, mid, 0, n)
	} else {
		mid := (n/2 + kern.nr - 1) / kern.nr * kern.nr
		sp.j0 = mid
		sp.wg.Add(1)
		go sp.run()
		p.run(0, m, 0, mid)
	}
	sp.wg.Wait()
	sp.p = part[E]{} // drop the references to the operands
	splitPool[E]().Put(sp)
}

// split is the second half of a parallel gemmBlocked product: run computes
// rows i0..i1-1 and columns j0..j1-1 of p's c and signals wg.
type split[E float32 | float64] struct {
	p              part[E]
	i0, i1, j0, j1 int
	wg             sync.WaitGroup
	run            func() // made once per split, so that go run() allocates nothing
}

var split32Pool, split64Pool sync.Pool

func splitPool[E float32 | float64]() *sync.Pool {
	if unsafe.Sizeof(E(0)) == 4 {
		return &split32Pool
	}
	return &split64Pool
}

func getSplit[E float32 | float64]() *split[E] {
	if sp, ok := splitPool[E]().Get().(*split[E]); ok {
		return sp
	}
	sp := new(split[E])
	sp.run = func() {
		defer sp.wg.Done()
		sp.p.run(sp.i0, sp.i1, sp.j0, sp.j1)
	}
	return sp
}

// part is one gemmBlocked product; run computes a rectangle of c.
type part[E float32 | float64] struct {
	kern           kernel[E]
	transA, transB bool
	k              int
	alpha          E
	a, b, c        []E
	lda, ldb, ldc  int
}

// run computes rows i0..i1-1 and columns j0..j1-1 of c. i0 is a multiple
// of mr and j0 of nr.
func (p *part[E]) run(i0, i1, j0, j1 int) {
	mr, nr := p.kern.mr, p.kern.nr
	kcMax := balanced(p.k, blockKC)
	na := min(blockMC, roundUp(i1-i0, mr)) * kcMax
	nb := kcMax * min(blockNC, roundUp(j1-j0, nr))
	pooled, buf := getBuf[E](na + nb + mr*nr)
	defer bufPool.Put(pooled)
	pa, pb, tile := buf[:na], buf[na:na+nb], buf[na+nb:]
	for jc := j0; jc < j1; jc += blockNC {
		nc := min(blockNC, j1-jc)
		for pc := 0; pc < p.k; pc += kcMax {
			kc := min(kcMax, p.k-pc)
			p.packB(pb, pc, kc, jc, nc)
			for ic := i0; ic < i1; ic += blockMC {
				mc := min(blockMC, i1-ic)
				p.packA(pa, ic, mc, pc, kc)
				for jr := 0; jr < nc; jr += nr {
					bp := pb[jr*kc : (jr+nr)*kc]
					for ir := 0; ir < mc; ir += mr {
						ap := pa[ir*kc : (ir+mr)*kc]
						off := (ic+ir)*p.ldc + jc + jr
						if ir+mr <= mc && jr+nr <= nc {
							p.kern.run(kc, ap, bp, p.c[off:], p.ldc)
							continue
						}
						// An edge tile: through a full-size copy, so that
						// its elements see the same operations as the others.
						h, w := min(mr, mc-ir), min(nr, nc-jr)
						clear(tile)
						for i := 0; i < h; i++ {
							copy(tile[i*nr:i*nr+w], p.c[off+i*p.ldc:off+i*p.ldc+w])
						}
						if p.kern.half != nil && 2*w <= nr {
							p.kern.half(kc, ap, bp, tile, nr)
						} else {
							p.kern.run(kc, ap, bp, tile, nr)
						}
						for i := 0; i < h; i++ {
							copy(p.c[off+i*p.ldc:off+i*p.ldc+w], tile[i*nr:i*nr+w])
						}
					}
				}
			}
		}
	}
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

// balanced returns the block size, at most max, that cuts n into the
// fewest blocks of nearly equal size (784 into 4 of 196, not 3 of 256 and
// one of 16).
func balanced(n, max int) int {
	blocks := (n + max - 1) / max
	return (n + blocks - 1) / blocks
}

// packA copies alpha·op(a)[ic:ic+mc, pc:pc+kc] into dst as micro-panels of
// mr rows, each stored column after column; rows past mc are zero.
func (p *part[E]) packA(dst []E, ic, mc, pc, kc int) {
	mr, a, lda, alpha := p.kern.mr, p.a, p.lda, p.alpha
	start := 0
	if p.transA && mr == 6 && alpha == 1 {
		// The SIMD kernels' full panels, a's rows read once each, in
		// order, each scattered six elements at a time over the panels.
		start = mc / 6 * 6
		for q := 0; q < kc; q++ {
			row := a[(pc+q)*lda+ic : (pc+q)*lda+ic+start]
			for ir := 0; ir < start; ir += 6 {
				s, d := row[ir:ir+6:ir+6], dst[ir*kc+q*6:ir*kc+q*6+6:ir*kc+q*6+6]
				d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
			}
		}
	}
	for ir := start; ir < mc; ir += mr {
		panel := dst[ir*kc : (ir+mr)*kc]
		h := min(mr, mc-ir)
		if h < mr {
			clear(panel)
		}
		if p.transA { // op(a)'s rows are a's columns: read a's rows
			for q := 0; q < kc; q++ {
				src := a[(pc+q)*lda+ic+ir : (pc+q)*lda+ic+ir+h]
				dst := panel[q*mr : q*mr+h]
				if alpha == 1 {
					copy(dst, src)
					continue
				}
				for i, v := range src {
					dst[i] = alpha * v
				}
			}
			continue
		}
		if h == 6 && alpha == 1 { // the SIMD kernels' mr, unrolled: six rows at once
			row := (ic+ir)*lda + pc
			r0, r1, r2 := a[row:row+kc], a[row+lda:row+lda+kc], a[row+2*lda:row+2*lda+kc]
			r3, r4, r5 := a[row+3*lda:row+3*lda+kc], a[row+4*lda:row+4*lda+kc], a[row+5*lda:row+5*lda+kc]
			for q := range r0 {
				d := panel[q*6 : q*6+6 : q*6+6]
				d[0], d[1], d[2], d[3], d[4], d[5] = r0[q], r1[q], r2[q], r3[q], r4[q], r5[q]
			}
			continue
		}
		for i := 0; i < h; i++ {
			row := ic + ir + i
			src := a[row*lda+pc : row*lda+pc+kc]
			for q, v := range src {
				panel[q*mr+i] = alpha * v
			}
		}
	}
}

// packB copies op(b)[pc:pc+kc, jc:jc+nc] into dst as micro-panels of nr
// columns, each stored row after row; columns past nc are zero.
func (p *part[E]) packB(dst []E, pc, kc, jc, nc int) {
	nr, b, ldb := p.kern.nr, p.b, p.ldb
	for jr := 0; jr < nc; jr += nr {
		panel := dst[jr*kc : (jr+nr)*kc]
		w := min(nr, nc-jr)
		if w < nr {
			clear(panel)
		}
		if p.transB {
			for j := 0; j < w; j++ {
				src := b[(jc+jr+j)*ldb+pc : (jc+jr+j)*ldb+pc+kc]
				for q, v := range src {
					panel[q*nr+j] = v
				}
			}
			continue
		}
		if w == 16 && unsafe.Sizeof(E(0)) == 4 { // float32's full panel: a 64-byte move, no call to copy
			for q := 0; q < kc; q++ {
				src, dst := b[(pc+q)*ldb+jc+jr:][:16], panel[q*16:][:16]
				s := (*[8]uint64)(unsafe.Pointer(&src[0]))
				d := (*[8]uint64)(unsafe.Pointer(&dst[0]))
				d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
			}
			continue
		}
		for q := 0; q < kc; q++ {
			copy(panel[q*nr:q*nr+w], b[(pc+q)*ldb+jc+jr:(pc+q)*ldb+jc+jr+w])
		}
	}
}

// Packing buffers are reused through a pool, so that a product allocates
// nothing: float64 words, viewed as twice as many float32s for float32
// products.
var bufPool = sync.Pool{New: func() any { return new(packBuf) }}

type packBuf struct{ words []float64 }

// getBuf returns a pooled buffer and a view of n elements of it.
func getBuf[E float32 | float64](n int) (*packBuf, []E) {
	words := n
	if unsafe.Sizeof(E(0)) == 4 {
		words = (n + 1) / 2
	}
	b := bufPool.Get().(*packBuf)
	if cap(b.words) < words {
		b.words = make([]float64, words)
	}
	return b, unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(b.words))), n)
}
