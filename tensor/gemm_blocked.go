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
	// blockMCMax is the most rows of a block of op(a) that takes in the
	// short block after it: DeZero's batch of 100 rows is one block, not
	// 96 and 4, so its x·W1 streams W1 (784×1000) once, not twice.
	blockMCMax = blockMC + blockMC/2
	blockNC    = 2048
)

// parallelMin is the number of multiply-adds from which gemmBlocked cuts
// a product into chunks for the team (see team.go); chunkMin is the
// fewest multiply-adds worth a chunk of their own.
const (
	parallelMin = 1 << 18
	chunkMin    = 1 << 17
)

// kernel is a micro-kernel: run adds to the mr×nr tile at c (row stride
// ldc) the product of a packed mr×k panel of op(a) (k columns of mr
// elements) and a packed k×nr panel of op(b) (k rows of nr elements); with
// over set it overwrites the tile with 0 + the product instead, the bits
// of adding it to a cleared tile, without reading c.
//
// half, if non-nil, does what run does on the left half of the tile only
// (its first nr/2 columns, the same operations on each element); edge
// tiles of at most nr/2 columns take it.
//
// runS and halfS, if non-nil, do what run and half do with the operands
// read in place instead of packed: element (i, p) of op(a)'s panel is a[i·rs
// + p·ks] and row p of op(b)'s panel starts at b[p·bs]. gemmBlocked then
// packs only op(a)'s panels of fewer than mr rows, and op(b) only if it is
// transposed or its panel has fewer than nr columns.
//
// runO, if non-nil, does what runS does with row p of op(b)'s panel at
// b[off[p]] (gemmOffB's rows, read in place instead of packed); off's
// rows must lie within b for the panel's nr columns.
//
// runA, if non-nil, does what runS does with element (i, p) of op(a)'s
// panel at a[off[i] + p] (gemmOffA's rows, read in place instead of
// packed); off's rows must lie within a for the panel's k columns.
//
// runN, if non-nil, does what runS does on tiles tiles one below the
// other: tile t with op(a)'s panel from a[t·astep:] and c's rows from
// c[t·mr·ldc:].
//
// edgeT, if non-nil, computes for a transposed op(a) the edge panels of at
// most two columns 32 rows at a time, the rows in SIMD lanes: out[j·32 + i]
// = Σ_q a[q·lda + i]·b[q·bs + j], i < 32, j < 2, with the operations run
// gives each element (they are added to c after).
//
// edgeN, if non-nil, does the same for a plain op(a) read in place, 16
// rows at a time, in two blocks of eight: out[j·16 + i] = Σ_q a[i·lda +
// q]·b[q·bs + j] and out[j·16 + 8 + i] = Σ_q a2[i·lda + q]·b[q·bs + j],
// i < 8, j < 2, k ≥ 4.
type kernel[E float32 | float64] struct {
	mr, nr      int
	run, half   func(k int, a, b, c []E, ldc int, over bool)
	runS, halfS func(k int, a []E, rs, ks int, b []E, bs int, c []E, ldc int, over bool)
	runO        func(k int, a []E, rs, ks int, b []E, off []int, c []E, ldc int, over bool)
	runA        func(k int, a []E, off []int, b []E, bs int, c []E, ldc int, over bool)
	runN        func(k int, a []E, rs, ks int, b []E, bs int, c []E, ldc int, over bool, tiles, astep int)
	edgeT       func(k int, a []E, lda int, b []E, bs int, out []E)
	edgeN       func(k int, a []E, lda int, a2 []E, b []E, bs int, out []E)
}

// gemmBlocked computes c = alpha·op(a)·op(b) + beta·c with packing, cache
// blocking, a micro-kernel (SIMD where the CPU has it, see kernels) and,
// for large products, goroutines: up to 2·GOMAXPROCS chunks of whole tiles
// along the longer side of c.
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
// rows instead, which reads b in place and gives the same bits; so do
// float32 products whose op(a) is mostly zeros (see gemmSparse).
func gemmBlocked[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if unsafe.Sizeof(alpha) == 8 {
		blocked(kernel64(), transA, transB, m, n, k, float64(alpha), as[float64](a), lda, as[float64](b), ldb, float64(beta), as[float64](c), ldc, nil, nil)
		return
	}
	if useSIMD && m <= rowsMax && !transA && !transB && alpha == 1 {
		rows(m, n, k, as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc)
		return
	}
	if !transB && alpha == 1 && (beta == 0 || beta == 1) {
		// a's first and last rows: two cases of a batch, plain or transposed.
		var first, last []T
		if transA {
			first, last = a[:m], a[(k-1)*lda:(k-1)*lda+m]
		} else {
			first, last = a[:k], a[(m-1)*lda:(m-1)*lda+k]
		}
		if sparseOK(m, n, k, as[float32](first), as[float32](last), as[float32](b), ldb) {
			gemmSparse(transA, m, n, k, as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc)
			return
		}
	}
	blocked(kernel32(), transA, transB, m, n, k, float32(alpha), as[float32](a), lda, as[float32](b), ldb, float32(beta), as[float32](c), ldc, nil, nil)
}

// gemmOffB adds to c [m, n] (row stride ldc) the product of a [m, k] (row
// stride lda) and the k×n matrix whose row q is b[off[q] : off[q]+n]: rows
// anywhere in b, packed straight from it (a convolution's windows read in
// the padded image, see Conv2D). Each element sees the operations
// Gemm(false, false, 1, a, B, 1, c) gives it on a gemmBlocked product, so
// the bits are those of that call on B materialized, for m > rowsMax (or
// float64) and k·n ≥ blockedMin; it panics otherwise.
func gemmOffB[T Float](m, n, k int, a []T, lda int, b []T, off []int, c []T, ldc int) {
	if len(off) != k || small(n, k) || (unsafe.Sizeof(a[0]) == 4 && m <= rowsMax) {
		panic("tensor: gemmOffB: a product gemm would not block")
	}
	for _, o := range off {
		if o < 0 || o+n > len(b) {
			panic("tensor: gemmOffB: a row of b out of range")
		}
	}
	if unsafe.Sizeof(a[0]) == 8 {
		blocked(kernel64(), false, false, m, n, k, 1, as[float64](a), lda, as[float64](b), 0, 1, as[float64](c), ldc, nil, off)
		return
	}
	blocked(kernel32(), false, false, m, n, k, 1, as[float32](a), lda, as[float32](b), 0, 1, as[float32](c), ldc, nil, off)
}

// gemmOffA sets c [m, n] (row stride ldc) to beta·c plus the product of
// the m×k matrix whose row i is a[off[i] : off[i]+k] (rows anywhere in a:
// a convolution's windows read in the padded image, see Conv2D) and
// op(b) (b [n, k] with row stride ldb if transB, else [k, n]), beta 0 or
// 1. Each element sees the operations Gemm(false, transB, 1, A, b, beta,
// c) gives it on a gemmBlocked product, so the bits are those of that
// call on A materialized, for float32 products of more than rowsMax rows
// (or float64) with k·n ≥ blockedMin; it panics otherwise.
func gemmOffA[T Float](transB bool, m, n, k int, a []T, off []int, b []T, ldb int, beta T, c []T, ldc int) {
	if len(off) != m || small(n, k) || (unsafe.Sizeof(a[0]) == 4 && m <= rowsMax) || (beta != 0 && beta != 1) {
		panic("tensor: gemmOffA: a product gemm would not block")
	}
	for _, o := range off {
		if o < 0 || o+k > len(a) {
			panic("tensor: gemmOffA: a row of a out of range")
		}
	}
	if unsafe.Sizeof(a[0]) == 8 {
		blocked(kernel64(), false, transB, m, n, k, 1, as[float64](a), 0, as[float64](b), ldb, float64(beta), as[float64](c), ldc, off, nil)
		return
	}
	blocked(kernel32(), false, transB, m, n, k, 1, as[float32](a), 0, as[float32](b), ldb, float32(beta), as[float32](c), ldc, off, nil)
}

// as reinterprets a slice of T as a slice of E, the type of the same size
// that T is defined on (~float32 or ~float64).
func as[E float32 | float64, T Float](s []T) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// blocked is gemmBlocked's product with the kernel kern. bOff, if not nil,
// gives the offsets in b of op(b)'s rows (b not transposed, ldb unused):
// they are read from there (see gemmOffB). aOff, if not nil, gives the
// offsets in a of op(a)'s rows (a not transposed, lda unused, alpha 1;
// see gemmOffA).
//
// With beta = 0, c is not cleared first: the first run of each element
// overwrites it (see kernel's over), in the chunks, on every goroutine.
func blocked[E float32 | float64](kern kernel[E], transA, transB bool, m, n, k int, alpha E, a []E, lda int, b []E, ldb int, beta E, c []E, ldc int, aOff, bOff []int) {
	if beta != 0 && beta != 1 {
		for i := 0; i < m; i++ {
			crow := c[i*ldc : i*ldc+n]
			for j := range crow {
				crow[j] *= beta
			}
		}
	}
	p := getPart[E]()
	*p = part[E]{kern: kern, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, aOff: aOff, bOff: bOff, over: beta == 0}
	// Chunks of whole tiles along the longer side of c.
	p.rows = m >= n
	tiles := (n + kern.nr - 1) / kern.nr
	if p.rows {
		tiles = (m + kern.mr - 1) / kern.mr
	}
	p.chunks = 1
	if work := m * n * k; work >= parallelMin {
		p.chunks = min(tiles, 2*runtime.GOMAXPROCS(0), work/chunkMin)
	}
	p.tiles = tiles
	p.direct = kern.runS != nil && directOK
	p.inPlaceA = p.direct && alpha == 1 // alpha scales op(a) as it is packed
	if aOff != nil {
		p.inPlaceA = p.direct && kern.runA != nil
	}
	p.inPlaceB = p.direct && !transB && inPlaceBOK(ldb*int(unsafe.Sizeof(alpha)), m) && bOff == nil
	if bOff != nil {
		p.inPlaceB = p.direct && kern.runO != nil
	}
	p.kcMax = balanced(k, blockKC)
	// kernel.edgeN takes every row of an edge panel of one or two columns
	// under a plain op(a) read in place (its last rows from a block of
	// eight that overlaps the ones before); a panel of two columns it
	// reads in place too, where op(b) is (the kernel reads two columns).
	p.edgeN = kern.edgeN != nil && p.inPlaceA && !transA && aOff == nil && bOff == nil && k >= 4 && m >= 8
	p.edgeInPlace = p.edgeN && p.inPlaceB && n%kern.nr == 2
	var shared *packBuf
	if p.chunks > 1 && p.rows {
		shared = p.packShared()
	}
	Parallel(p, p.chunks)
	if shared != nil {
		bufPool.Put(shared)
	}
	*p = part[E]{} // drop the references to the operands
	partPool[E]().Put(p)
}

// packShared packs, once for all the chunks of a product cut by rows, the
// panels of op(b) that run would pack in each (see fullB), into p.shared:
// block (jc, pc) at slot (jc/blockNC·⌈k/kcMax⌉ + pc/kcMax)·p.slot. It
// returns the pooled buffer to put back, or nil if nothing needs packing.
func (p *part[E]) packShared() *packBuf {
	nr := p.kern.nr
	if p.inPlaceB && (p.n%nr == 0 || p.edgeInPlace) {
		return nil
	}
	nPC := (p.k + p.kcMax - 1) / p.kcMax
	nJC := (p.n + blockNC - 1) / blockNC
	p.slot = p.kcMax * min(blockNC, roundUp(p.n, nr))
	pooled, buf := getBuf[E](nJC * nPC * p.slot)
	p.shared = buf
	for jc := 0; jc < p.n; jc += blockNC {
		nc := min(blockNC, p.n-jc)
		full := p.fullB(nc)
		for pc := 0; pc < p.k; pc += p.kcMax {
			if full < nc {
				p.packB(p.sharedB(jc, pc), pc, min(p.kcMax, p.k-pc), jc+full, nc-full)
			}
		}
	}
	return pooled
}

// sharedB returns block (jc, pc) of p.shared.
func (p *part[E]) sharedB(jc, pc int) []E {
	nPC := (p.k + p.kcMax - 1) / p.kcMax
	i := (jc/blockNC*nPC + pc/p.kcMax) * p.slot
	return p.shared[i : i+p.slot]
}

// fullB returns how many of nc columns of op(b) (from a multiple of nr)
// are read in place, in whole panels or an edge panel of two columns that
// kernel.edgeN reads (see edgeInPlace); the others are packed.
func (p *part[E]) fullB(nc int) int {
	if p.edgeInPlace && nc%p.kern.nr == 2 {
		return nc
	}
	if p.inPlaceB {
		return nc / p.kern.nr * p.kern.nr
	}
	return 0
}

var part32Pool, part64Pool sync.Pool

func partPool[E float32 | float64]() *sync.Pool {
	if unsafe.Sizeof(E(0)) == 4 {
		return &part32Pool
	}
	return &part64Pool
}

func getPart[E float32 | float64]() *part[E] {
	if p, ok := partPool[E]().Get().(*part[E]); ok {
		return p
	}
	return new(part[E])
}

// part is one gemmBlocked product, cut into chunks of whole tiles of c:
// chunk i has tiles [i·tiles/chunks, (i+1)·tiles/chunks) of rows (rows) or
// of columns.
type part[E float32 | float64] struct {
	kern           kernel[E]
	transA, transB bool
	m, n, k        int
	alpha          E
	a, b, c        []E
	lda, ldb, ldc  int
	aOff, bOff     []int // offsets of op(a)'s and op(b)'s rows, or nil (see blocked)
	rows           bool
	over           bool // beta = 0: the first run overwrites c
	tiles, chunks  int

	// direct: the kernels read their operands where they lie (see
	// kernel.runS): full panels of op(a) in a if inPlaceA (alpha = 1),
	// else packed; full panels of op(b) in b if inPlaceB (op(b) not
	// transposed), else packed.
	direct, inPlaceA, inPlaceB bool
	// edgeN: kernel.edgeN computes the edge panels of at most two
	// columns, all their rows; edgeInPlace: it reads a panel of two
	// columns in place, where op(b) is read in place.
	edgeN, edgeInPlace bool
	kcMax              int // the length of the runs of p, balanced
	shared             []E // op(b) packed once for all chunks, or nil
	slot               int // the size of a block of shared
}

// RunChunk computes chunk i of c.
func (p *part[E]) RunChunk(i int) {
	t0, t1 := i*p.tiles/p.chunks, (i+1)*p.tiles/p.chunks
	if p.rows {
		p.run(t0*p.kern.mr, min(t1*p.kern.mr, p.m), 0, p.n)
	} else {
		p.run(0, p.m, t0*p.kern.nr, min(t1*p.kern.nr, p.n))
	}
}

// run computes rows i0..i1-1 and columns j0..j1-1 of c. i0 is a multiple
// of mr and j0 of nr.
func (p *part[E]) run(i0, i1, j0, j1 int) {
	mr, nr := p.kern.mr, p.kern.nr
	direct, kcMax := p.direct, p.kcMax
	rs, ks := p.lda, 1 // op(a)(i, q) is a[i·rs + q·ks]
	if p.transA {
		rs, ks = 1, p.lda
	}
	na := min(blockMCMax, roundUp(i1-i0, mr)) * kcMax
	nb := kcMax * min(blockNC, roundUp(j1-j0, nr))
	if p.inPlaceA {
		na = mr * kcMax
	}
	if p.inPlaceB {
		nb = kcMax * nr
	}
	if p.shared != nil {
		nb = 0
	}
	pooled, buf := getBuf[E](na + nb + mr*nr)
	defer bufPool.Put(pooled)
	pa, pb, tile := buf[:na], buf[na:na+nb], buf[na+nb:]
	for jc := j0; jc < j1; jc += blockNC {
		nc := min(blockNC, j1-jc)
		// Columns jc..jc+fullB-1 of op(b) are read in place, the others
		// packed into pb (or found packed in p.shared).
		fullB := p.fullB(nc)
		for pc := 0; pc < p.k; pc += kcMax {
			kc := min(kcMax, p.k-pc)
			over := p.over && pc == 0
			switch {
			case fullB == nc:
			case p.shared != nil:
				pb = p.sharedB(jc, pc)
			default:
				p.packB(pb, pc, kc, jc+fullB, nc-fullB)
			}
			for ic, mc := i0, 0; ic < i1; ic += mc {
				mc = min(blockMC, i1-ic)
				if rest := i1 - ic - mc; rest > 0 && mc+rest <= blockMCMax {
					// A short last block joins this one: op(b)'s panels,
					// which each block reads whole, are read once fewer.
					mc += rest
				}
				// Rows ic..ic+fullA-1 of op(a) are read in place, the
				// others packed into pa.
				fullA := 0
				if p.inPlaceA {
					fullA = mc / mr * mr
				}
				if fullA < mc {
					p.packA(pa, ic+fullA, mc-fullA, pc, kc)
				}
				for jr := 0; jr < nc; jr += nr {
					var bp []E
					bs := p.ldb
					var offB []int // the offsets of a panel read in place by runO
					switch {
					case jr < fullB && p.bOff != nil:
						bp, offB = p.b[jc+jr:], p.bOff[pc:pc+kc]
					case jr < fullB:
						bp = p.b[pc*p.ldb+jc+jr:]
					default:
						bp, bs = pb[(jr-fullB)*kc:(jr-fullB+nr)*kc], nr
					}
					w := min(nr, nc-jr)
					ir0 := 0
					if w <= 2 && mc >= edgeTRows && p.inPlaceA && p.transA && p.kern.edgeT != nil {
						// The rows after the last multiple of edgeTRows
						// (a multiple of mr) take the tiles below.
						ir0 = mc / edgeTRows * edgeTRows
						p.edgeT(ic, ir0, pc, kc, jc+jr, w, bp, bs, tile, over)
					} else if w <= 2 && p.edgeN {
						p.edgeNRows(ic, mc, pc, kc, jc+jr, w, bp, bs, tile, over)
						ir0 = mc
					}
					for ir := ir0; ir < mc; ir += mr {
						if n := p.fullTiles(ir, mc, fullA, w, offB); n > 1 {
							// A run of whole tiles in one call of the kernel.
							a, rs, ks, step := p.a[(ic+ir)*rs+pc*ks:], rs, ks, mr*rs
							if ir >= fullA {
								a, rs, ks, step = pa[(ir-fullA)*kc:], 1, mr, mr*kc
							}
							p.kern.runN(kc, a, rs, ks, bp, bs, p.c[(ic+ir)*p.ldc+jc+jr:], p.ldc, over, n, step)
							ir += (n - 1) * mr
							continue
						}
						off := (ic+ir)*p.ldc + jc + jr
						c, ldc := p.c[off:], p.ldc
						h := min(mr, mc-ir)
						edge := h < mr || w < nr
						if edge {
							// An edge tile: through a full-size copy, so that
							// its elements see the same operations as the others.
							clear(tile)
							for i := 0; i < h && !over; i++ {
								copy(tile[i*nr:i*nr+w], c[i*ldc:i*ldc+w])
							}
							c, ldc = tile, nr
						}
						o := over && !edge
						half := 2*w <= nr && p.kern.half != nil
						switch {
						case p.aOff != nil && ir < fullA:
							// Also for an edge tile of at most nr/2 columns:
							// its first columns see the same operations.
							p.kern.runA(kc, p.a[pc:], p.aOff[ic+ir:ic+ir+mr], bp, bs, c, ldc, o)
						case offB != nil && ir < fullA:
							p.kern.runO(kc, p.a[(ic+ir)*rs+pc*ks:], rs, ks, bp, offB, c, ldc, o)
						case offB != nil:
							p.kern.runO(kc, pa[(ir-fullA)*kc:], 1, mr, bp, offB, c, ldc, o)
						case ir < fullA && half:
							p.kern.halfS(kc, p.a[(ic+ir)*rs+pc*ks:], rs, ks, bp, bs, c, ldc, o)
						case ir < fullA:
							p.kern.runS(kc, p.a[(ic+ir)*rs+pc*ks:], rs, ks, bp, bs, c, ldc, o)
						case direct && half:
							p.kern.halfS(kc, pa[(ir-fullA)*kc:], 1, mr, bp, bs, c, ldc, o)
						case direct:
							p.kern.runS(kc, pa[(ir-fullA)*kc:], 1, mr, bp, bs, c, ldc, o)
						case half:
							p.kern.half(kc, pa[ir*kc:(ir+mr)*kc], bp, c, ldc, o)
						default:
							p.kern.run(kc, pa[ir*kc:(ir+mr)*kc], bp, c, ldc, o)
						}
						if edge {
							for i := 0; i < h; i++ {
								copy(p.c[off+i*p.ldc:off+i*p.ldc+w], tile[i*nr:i*nr+w])
							}
						}
					}
				}
			}
		}
	}
}

// fullTiles returns how many whole tiles from row ir of a block of mc
// rows (the first fullA read in place, the others packed) run can hand to
// kern.runN at once: the tiles of nr columns (w), all in place or all
// packed, op(a) and op(b) read with runS's strides.
func (p *part[E]) fullTiles(ir, mc, fullA, w int, offB []int) int {
	if p.kern.runN == nil || !p.direct || w != p.kern.nr || offB != nil || p.aOff != nil {
		return 0
	}
	if ir < fullA {
		return (fullA - ir) / p.kern.mr
	}
	return (mc - ir) / p.kern.mr
}

// edgeT computes rows ic..ic+mc-1 (mc a multiple of edgeTRows) of the w ≤ 2
// columns from j of c with kernel.edgeT, for a transposed op(a) and the
// panel bp (row stride bs) of op(b); out holds at least 64 elements. With
// over, c is overwritten (0 + the sum) instead of added to.
func (p *part[E]) edgeT(ic, mc, pc, kc, j, w int, bp []E, bs int, out []E, over bool) {
	for i := ic; i < ic+mc; i += 32 {
		p.kern.edgeT(kc, p.a[pc*p.lda+i:], p.lda, bp, bs, out)
		for jj := 0; jj < w; jj++ {
			col := out[jj*32 : jj*32+32]
			for r, v := range col {
				e := &p.c[(i+r)*p.ldc+j+jj]
				if over {
					*e = 0 + v
				} else {
					*e += v
				}
			}
		}
	}
}

// edgeTRows is the granularity, in rows, of the blocks of a transposed
// op(a) whose edge panels of one or two columns kernel.edgeT computes: a
// multiple of its 32 rows and of the kernels' mr (6), so that the rows
// after them start a tile; blockMC is one such block.
const edgeTRows = 96

// edgeNRows computes rows ic..ic+mc-1 of the w ≤ 2 columns from j of c
// with kernel.edgeN, for a plain op(a) of at least eight rows read in
// place and the panel bp (row stride bs) of op(b); out holds at least 32
// elements. Sixteen rows at a time, then eight; the last rows, fewer than
// eight, come from the block of eight that ends with the last row of
// op(a) or starts at the first of them, whose other rows (computed with
// the same operations) are left out. With over, c is overwritten (0 + the
// sum) instead of added to.
func (p *part[E]) edgeNRows(ic, mc, pc, kc, j, w int, bp []E, bs int, out []E, over bool) {
	for i := ic; i < ic+mc; {
		left := ic + mc - i
		s, rows, a2 := i, 16, 8 // the block's first row, its rows, a2's offset in rows
		switch {
		case left < 8:
			s = min(i, p.m-8)
			rows, a2 = 8, 0 // a2 repeats a, its sums unused
		case left < 16:
			rows, a2 = 8, 0
		}
		a := p.a[s*p.lda+pc:]
		p.kern.edgeN(kc, a, p.lda, a[a2*p.lda:], bp, bs, out)
		use := min(rows, left)
		for jj := 0; jj < w; jj++ {
			for r, v := range out[jj*16+i-s : jj*16+i-s+use] {
				e := &p.c[(i+r)*p.ldc+j+jj]
				if over {
					*e = 0 + v
				} else {
					*e += v
				}
			}
		}
		i += use
	}
}

// inPlaceBMax is the largest distance in bytes between rows of op(b) that
// gemmBlocked reads in place whatever it is (a 256-wide float32 matrix's;
// see inPlaceBOK for farther ones). Measured on Zen 4, packing was as fast
// from 256 columns on and faster from 512, whose rows share cache sets.
const inPlaceBMax = 1024

// inPlaceBOK reports whether gemmBlocked reads op(b) in place when its
// rows are stride bytes apart and op(a) has m rows. A panel is nr elements
// of some hundreds of rows; in a level-1 cache of 64 sets of 64-byte lines
// (4 KiB a way, as in Zen's and Intel's 32 or 48 KiB caches) row q lands
// at q·stride mod 4096, so rows whose distance has a large power-of-two
// factor share a few sets and evict one another: 2 KiB (a 512-wide
// float32 matrix) puts every row in one of two. Those are packed. Rows up
// to inPlaceBMax apart are read in place, and so are farther rows that
// land on every set (gcd(stride, 4096) ≤ 64) when op(a) has at most
// inPlaceFarMaxM rows: then the copy would cost about as much as the
// product reads of op(b), while for many rows it pays for itself. So
// DeZero's 1000-wide W1 under a batch of 100 (rows 4,000 bytes apart, 96
// apart mod 4096) is no longer copied at every step. Measured one
// goroutine on a loaded AVX2 machine, CPU time a product: x·W1 3.6-4.0
// ms in place against 4.2-4.4 packed; an LSTM's h·Wh with 20 rows (4·650
// wide) 2.7-3.3 ms against 4.4-5.0; a 16×144×784 convolution 83-85 µs
// against 147-158; but the same LSTM's x·Wx with 700 rows 4% slower in
// place (medians of three), so many rows pack.
func inPlaceBOK(stride, m int) bool {
	if stride <= inPlaceBMax {
		return true
	}
	g, r := stride, 4096
	for r != 0 {
		g, r = r, g%r
	}
	return g <= 64 && m <= inPlaceFarMaxM
}

// inPlaceFarMaxM is the most rows of op(a) for which inPlaceBOK reads far
// rows of op(b) in place.
const inPlaceFarMaxM = 256

// directOK lets gemmBlocked read operands in place (kernel.runS); tests
// clear it to check that packing gives the same bits.
var directOK = true

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
	if p.transA && mr == 6 {
		// The SIMD kernels' full panels, a's rows read once each, in
		// order, each scattered six elements at a time over the panels.
		start = mc / 6 * 6
		for q := 0; q < kc; q++ {
			row := a[(pc+q)*lda+ic : (pc+q)*lda+ic+start]
			for ir := 0; ir < start; ir += 6 {
				s, d := row[ir:ir+6:ir+6], dst[ir*kc+q*6:ir*kc+q*6+6:ir*kc+q*6+6]
				if alpha == 1 {
					d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
				} else {
					d[0], d[1], d[2], d[3], d[4], d[5] = alpha*s[0], alpha*s[1], alpha*s[2], alpha*s[3], alpha*s[4], alpha*s[5]
				}
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
		if h == 6 { // the SIMD kernels' mr, unrolled: six rows at once
			i := ic + ir
			r0, r1, r2 := a[p.rowA(i)+pc:][:kc], a[p.rowA(i+1)+pc:][:kc], a[p.rowA(i+2)+pc:][:kc]
			r3, r4, r5 := a[p.rowA(i+3)+pc:][:kc], a[p.rowA(i+4)+pc:][:kc], a[p.rowA(i+5)+pc:][:kc]
			if alpha == 1 {
				for q := range r0 {
					d := panel[q*6 : q*6+6 : q*6+6]
					d[0], d[1], d[2], d[3], d[4], d[5] = r0[q], r1[q], r2[q], r3[q], r4[q], r5[q]
				}
				continue
			}
			// Scaled as the loop below scales: alpha·v, one rounding.
			for q := range r0 {
				d := panel[q*6 : q*6+6 : q*6+6]
				d[0], d[1], d[2], d[3], d[4], d[5] = alpha*r0[q], alpha*r1[q], alpha*r2[q], alpha*r3[q], alpha*r4[q], alpha*r5[q]
			}
			continue
		}
		for i := 0; i < h; i++ {
			src := a[p.rowA(ic+ir+i)+pc:][:kc]
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
		if p.transB && unsafe.Sizeof(E(0)) == 4 {
			packT32(as[float32](panel), nr, as[float32](b[(jc+jr)*ldb+pc:]), ldb, w, kc)
			continue
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
				src, dst := b[p.rowB(pc+q)+jc+jr:][:16], panel[q*16:][:16]
				s := (*[8]uint64)(unsafe.Pointer(&src[0]))
				d := (*[8]uint64)(unsafe.Pointer(&dst[0]))
				d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
			}
			continue
		}
		for q := 0; q < kc; q++ {
			r := p.rowB(pc + q)
			copy(panel[q*nr:q*nr+w], b[r+jc+jr:r+jc+jr+w])
		}
	}
}

// rowA returns the offset in a of row i of a plain op(a).
func (p *part[E]) rowA(i int) int {
	if p.aOff != nil {
		return p.aOff[i]
	}
	return i * p.lda
}

// rowB returns the offset in b of row q of a plain op(b).
func (p *part[E]) rowB(q int) int {
	if p.bOff != nil {
		return p.bOff[q]
	}
	return q * p.ldb
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
