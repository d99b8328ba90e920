package tensor

import "unsafe"

// Winograd's F(2×2, 3×3) convolution (Lavin and Gray, "Fast Algorithms
// for Convolutional Neural Networks", 2016) computes each 2×2 tile of an
// output plane from the 4×4 cells d of the input under it and the 3×3
// filter g as Aᵀ[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]A, with
//
//	Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//	G  = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]
//	Aᵀ = [1 1 1 0; 0 1 -1 -1]
//
// so that summed over the input channels the 16 products of a tile are
// 16 matrix products, M_ξ [out, tiles] = U_ξ [out, in] · V_ξ [in, tiles]
// for ξ = 4i+j, U_ξ and V_ξ the cells (i, j) of the transformed filters
// and input tiles: 16·in multiply-adds per tile and filter instead of the
// 36·in of the four outputs' windows, 2.25 times fewer, for adds in the
// transforms. Its results differ from the windows' sums by rounding (the
// transforms add and subtract cells before the products): a few units in
// the last place of float32, well inside what float32 and float64 already
// disagree by.
//
// Conv2D takes it for float32 3×3 filters at stride 1 from winogradMinIn
// channels on a CPU with AVX2, in the forward pass (forwardWinograd) and
// for dx (dxWinograd, the convolution of dy with the flipped filters): the
// transforms run on 8 tiles at a time in winograd_amd64.s, the products
// on the micro-kernel of the blocked product (sgemm6x16n) reading the
// planes in place. float64 keeps the windows' sums, for the gradient
// checks.

// winogradMinIn is the fewest input channels (of dy for dx) for which
// Winograd's algorithm pays: the input's transform is paid once per input
// channel, the products it saves once per pair of channels. Measured on
// the project's AVX2 machine, an AMD EPYC without AVX-512 and with 512 KB
// of L2 cache a core (BenchmarkConv2DWinograd, one core, 5 interleaved
// pairs, forward pass to 16 channels at 28×28): 4 channels 6% slower, 8
// channels 4% faster, 16 channels 30% faster. DeepConvNet's layers, from
// 16 channels: forward 1.2 to 2 times as fast, backward (dw and dx) in
// 0.53 to 0.85 of the time.
const winogradMinIn = 8

// winogradOK lets Conv2D's forward pass take Winograd's algorithm (see
// winograd); tests clear it to compare with the windows' sums.
var winogradOK = true

// winoFloats bounds the transformed inputs and products of a group of
// images (V and M), in floats: 512 KB, the L2 cache of a core of the
// machine it was measured on (Zen 4 has 1 MB).
const winoFloats = 1 << 17

// winograd reports whether the forward pass takes forwardWinograd and the
// backward pass computes dw with dwWinograd.
func (c *Conv2D[T]) winograd() bool {
	var z T
	return unsafe.Sizeof(z) == 4 && useSIMD && winogradOK && c.Stride == 1 &&
		c.kh == 3 && c.kw == 3 && c.w.Dim(1) >= winogradMinIn &&
		winoFits(c.w.Dim(1), c.w.Dim(0), c.oh, c.ow)
}

// winoFits reports whether the transformed planes of one image, from in
// channels to out of oh×ow, fit in 4·winoFloats floats (2 MB): larger
// images (ImageNet's, not MNIST's or CIFAR's) keep the windows' sums
// rather than planes far larger than the caches.
func winoFits(in, out, oh, ow int) bool {
	return 16*(in+padRows(out))*((oh+1)/2)*((ow+1)/2) <= 4*winoFloats
}

// winogradDx reports whether the backward pass computes dx with Winograd's
// algorithm (dxWinograd): as the convolution of dy, padded by 2-pad, with
// the filters flipped and transposed, from winogradMinIn output channels.
func (c *Conv2D[T]) winogradDx() bool {
	var z T
	return unsafe.Sizeof(z) == 4 && useSIMD && winogradOK && c.Stride == 1 &&
		c.kh == 3 && c.kw == 3 && c.Pad <= 2 && c.w.Dim(0) >= winogradMinIn &&
		winoFits(c.w.Dim(0), c.w.Dim(1), c.x.Dim(2), c.x.Dim(3))
}

// winoGeom is the geometry of a Winograd pass from in planes of ih×iw
// cells, padded by pad, to out planes of oh×ow.
type winoGeom struct {
	in, out, outPad int // channels; out rounded up to tiles of 6 rows
	ih, iw, oh, ow  int
	pad             int
	hp, wp, plane   int // the padded frame of one channel: hp rows of wp cells
	ntx, nty, tiles int // output tiles per row, per column, per image
	frame           int // floats of one image's frame
	group           int // images per group
}

// newWinoGeom returns the geometry of a pass over n images.
func newWinoGeom(n, in, out, ih, iw, pad int) winoGeom {
	g := winoGeom{in: in, out: out, ih: ih, iw: iw, oh: ih + 2*pad - 2, ow: iw + 2*pad - 2, pad: pad}
	g.outPad = padRows(g.out)
	g.hp, g.wp = g.ih+2*pad, frameWidth(g.iw, pad, 3)
	g.plane = g.hp * g.wp
	g.ntx, g.nty = (g.ow+1)/2, (g.oh+1)/2
	g.tiles = g.ntx * g.nty
	g.frame = g.in * g.plane
	g.group = max(1, min(n, winoFloats/(16*(g.in+g.outPad)*g.tiles)))
	return g
}

// transformFilters sets u to the transforms G·g·Gᵀ of the 3×3 filters g
// of w [out, in, 3, 3] (flip: of the flipped and transposed filters,
// g[co][ci] = w[ci, co] turned by half a turn, for dx) as 16 matrices U_ξ
// [padRows(rows), cols] (rows = out, cols = in; flip: in and out), the
// rows past the filters zero, each cell computed in float64 and rounded
// once. It returns u, reallocated if too short.
func transformFilters[T Float](u []float32, w []T, out, in int, flip bool) []float32 {
	rows, cols := out, in
	if flip {
		rows, cols = in, out
	}
	rowsPad := padRows(rows)
	u = grow(u, 16*rowsPad*cols)
	clear(u)
	for f := range out {
		for ch := range in {
			var g [3][3]float64
			for i := range 3 {
				for j := range 3 {
					g[i][j] = float64(w[((f*in+ch)*3+i)*3+j])
				}
			}
			r, c := f, ch
			if flip {
				r, c = ch, f
				g = [3][3]float64{
					{g[2][2], g[2][1], g[2][0]},
					{g[1][2], g[1][1], g[1][0]},
					{g[0][2], g[0][1], g[0][0]},
				}
			}
			// gg = G·g [4, 3], then each of its rows times Gᵀ.
			var gg [4][3]float64
			for j := range 3 {
				gg[0][j] = g[0][j]
				gg[1][j] = 0.5 * (g[0][j] + g[1][j] + g[2][j])
				gg[2][j] = 0.5 * (g[0][j] - g[1][j] + g[2][j])
				gg[3][j] = g[2][j]
			}
			for i := range 4 {
				t := [4]float64{gg[i][0], 0.5 * (gg[i][0] + gg[i][1] + gg[i][2]), 0.5 * (gg[i][0] - gg[i][1] + gg[i][2]), gg[i][2]}
				for j := range 4 {
					u[((i*4+j)*rowsPad+r)*cols+c] = float32(t[j])
				}
			}
		}
	}
	return u
}

// forwardWinograd computes the output of images lo..hi-1 with Winograd's
// algorithm (winoPass).
func (h *convHalf[T]) forwardWinograd(c *Conv2D[T], lo, hi int) {
	g := newWinoGeom(hi-lo, c.x.Dim(1), c.y.Dim(1), c.x.Dim(2), c.x.Dim(3), c.Pad)
	var b []float32
	if c.b != nil {
		b = as[float32](c.b.Data)
	}
	h.winoPass(g, as[float32](c.x.Data), c.u, b, as[float32](c.y.Data), lo, hi)
}

// dxWinograd sets dx of images lo..hi-1 to the convolution of their
// output gradients, padded by 2-pad, with the flipped and transposed
// filters (see implicitDx), with Winograd's algorithm (winoPass).
func (h *convHalf[T]) dxWinograd(c *Conv2D[T], lo, hi int) {
	g := newWinoGeom(hi-lo, c.dy.Dim(1), c.dx.Dim(1), c.oh, c.ow, 2-c.Pad)
	h.winoPass(g, as[float32](c.dy.Data), c.uf, nil, as[float32](c.dx.Data), lo, hi)
}

// winoPass sets images lo..hi-1 of y [n, out, oh, ow] to the convolution
// of those of x [n, in, ih, iw] with the filters whose transforms are u
// (see transformFilters) plus the bias b [out] (nil: none) with
// Winograd's F(2×2, 3×3), group images at a time: their padded frames (as
// forwardImplicit's, one after the other), their input tiles' transforms
// V_ξ [in, ppad] (the tiles of the group's images one after the other,
// ppad their number rounded up to 16), the 16 products M_ξ = U_ξ·V_ξ
// [outPad, ppad], and each image's output from M's transforms, in a wide
// output of rows wide cells (whole blocks of 8 tiles) of which the first
// ow count. The transforms run on whole blocks of 8 tiles: a block past a
// row's last tile writes its extra tiles over the next row's first ones,
// which that row's pass rewrites, so the rows and images go in order and
// each plane ends with 8 cells of slack. Every output cell sees the same
// operations whatever the grouping, so the same bits whatever the halves.
func (h *convHalf[T]) winoPass(g winoGeom, x, u, b, y []float32, lo, hi int) {
	in, out := g.in, g.out
	ppad, dsV, wide := h.prepareInput(g)
	dsM := g.outPad*ppad + 8
	h.wm = grow(h.wm, 16*dsM)
	h.wy = grow(h.wy, out*g.oh*wide+wide)
	kern := kernel32()
	for g0 := lo; g0 < hi; g0 += g.group {
		n := min(g.group, hi-g0)
		h.transformInput(g, x, g0, n, ppad, dsV)
		cols := roundUp(n*g.tiles, 16)
		for xi := range 16 {
			u, v, m := u[xi*g.outPad*in:], h.wv[xi*dsV:], h.wm[xi*dsM:]
			for j := 0; j < cols; j += 16 {
				kern.runN(in, u, in, 1, v[j:], ppad, m[j:], ppad, true, g.outPad/tileRows, tileRows*in)
			}
		}
		for i := range n {
			for f := range out {
				var bf float32
				if b != nil {
					bf = b[f]
				}
				winoOut(h.wm[f*ppad+i*g.tiles:], dsM, g.ntx, g.nty, h.wy[f*g.oh*wide:], wide, bf)
			}
			fromWide(y[(g0+i)*out*g.oh*g.ow:][:out*g.oh*g.ow], h.wy, out, g.oh, g.ow, wide)
		}
	}
}

// dwWinograd sets this half's dw [out, in·9] to the filters' gradient
// over images lo..hi-1 with Winograd's algorithm run backwards: the
// gradient of the forward pass's Aᵀ[U ⊙ V]A with respect to the filters
// g is Gᵀ[Σ_tiles (A·dy·Aᵀ) ⊙ V]G, exact for the convolution since the
// algorithm is. For each group of images (as winoPass's) it transforms
// the input tiles into V_ξ [in, ppad] as the forward pass does and each
// 2×2 tile of dy into D_ξ [out, ppad+8] (its cells e, o in a row become e,
// e+o, e-o, -o, then the same down the rows), and adds the 16 products
// D_ξ·V_ξᵀ [outPad, roundUp(in, 16)] over the group's tiles to M_ξ, on
// the micro-kernel reading D in place and V packed transposed into panels
// of 16 columns (the rows and columns past out and in are dropped); then dw[f, c] = Gᵀ·M[f, c]·G, in float64 rounded once. The tiles
// past odd planes read zeros of dy, so add nothing.
func (h *convHalf[T]) dwWinograd(c *Conv2D[T], lo, hi int) {
	g := newWinoGeom(hi-lo, c.x.Dim(1), c.dy.Dim(1), c.x.Dim(2), c.x.Dim(3), c.Pad)
	in, out := g.in, g.out
	x, dy := as[float32](c.x.Data), as[float32](c.dy.Data)
	ppad, dsV, wide := h.prepareInput(g)
	// D's rows (one per filter, image after image) have 8 cells of slack:
	// their images go in order inside the filters, not the other way.
	ldD := ppad + 8
	dsD := g.outPad * ldD
	inPad := roundUp(in, 16)
	kern := kernel32()
	h.wm = grow(h.wm, 16*dsD)
	h.wy = grow(h.wy, out*2*g.nty*wide)
	clear(h.wy) // the cells past dy's planes stay zero
	h.wg = grow(h.wg, 16*g.outPad*inPad)
	for g0 := lo; g0 < hi; g0 += g.group {
		n := min(g.group, hi-g0)
		h.transformInput(g, x, g0, n, ppad, dsV)
		for i := range n {
			toFrame(h.wy, dy[(g0+i)*out*g.oh*g.ow:], out, g.oh, g.ow, 2*g.nty*wide, wide, 0, 0)
			for f := range out {
				winoDy(h.wy[f*2*g.nty*wide:], wide, g.ntx, g.nty, h.wm[f*ldD+i*g.tiles:], dsD)
			}
		}
		// M_ξ [outPad, inPad] += D_ξ·V_ξᵀ: D read in place, V packed
		// transposed into panels of 16 columns.
		k := n * g.tiles
		h.wq = grow(h.wq, 16*k)
		for xi := range 16 {
			d, v, m := h.wm[xi*dsD:], h.wv[xi*dsV:], h.wg[xi*g.outPad*inPad:]
			for c0 := 0; c0 < in; c0 += 16 {
				w := min(16, in-c0)
				if w < 16 {
					clear(h.wq)
				}
				packT32(h.wq, 16, v[c0*ppad:], ppad, w, k)
				kern.runN(k, d, ldD, 1, h.wq, 16, m[c0:], inPad, g0 == lo, g.outPad/tileRows, tileRows*ldD)
			}
		}
	}
	dw := as[float32](h.dw.Data)
	if lo == hi {
		clear(dw)
		return
	}
	m := h.wg
	for f := range out {
		for ch := range in {
			// t = Gᵀ·M [3, 4], then each of its rows times G.
			var t [3][4]float64
			for j := range 4 {
				at := func(i int) float64 { return float64(m[((4*i+j)*g.outPad+f)*inPad+ch]) }
				m0, m1, m2, m3 := at(0), at(1), at(2), at(3)
				t[0][j] = m0 + 0.5*(m1+m2)
				t[1][j] = 0.5 * (m1 - m2)
				t[2][j] = 0.5*(m1+m2) + m3
			}
			d := dw[(f*in+ch)*9:][:9]
			for a := range 3 {
				r := t[a]
				d[3*a] = float32(r[0] + 0.5*(r[1]+r[2]))
				d[3*a+1] = float32(0.5 * (r[1] - r[2]))
				d[3*a+2] = float32(0.5*(r[1]+r[2]) + r[3])
			}
		}
	}
}

// winoDy sets dst[ξ·ds + ty·ntx + tx] to cell ξ of A·e·Aᵀ for the 2×2
// cells e of src (rows of ws cells) from row 2·ty and column 2·tx on, for
// the ntx×nty tiles, in blocks of 8 tiles a row (see winoIn): it reads
// src up to row 2·nty-1 and column 2·roundUp(ntx, 8)-1 and writes up to
// roundUp(ntx, 8)-ntx tiles past the last. It panics if those are out of
// range.
func winoDy(src []float32, ws, ntx, nty int, dst []float32, ds int) {
	bx := roundUp(ntx, 8)
	_, _ = src[(2*nty-1)*ws+2*bx-1], dst[15*ds+(nty-1)*ntx+bx-1]
	winoDy32(&src[0], ws, ntx, nty, &dst[0], ds)
}

// prepareInput sizes and clears the frames of a group of images of
// geometry g (forwardImplicit's frames, one after the other, with slack
// for the blocks past a row's last tile) and sizes V; it returns the
// tiles of a group rounded up to 16 (ppad, the length of V's rows), the
// floats between V's planes (dsV) and the width of a wide output (whole
// blocks of 8 tiles).
func (h *convHalf[T]) prepareInput(g winoGeom) (ppad, dsV, wide int) {
	ppad = roundUp(g.group*g.tiles, 16)
	dsV = g.in*ppad + 8
	wide = 2 * roundUp(g.ntx, 8)
	h.wx = grow(h.wx, g.group*g.frame+wide+2)
	clear(h.wx) // the frames' borders stay zero; the insides are overwritten
	h.wv = grow(h.wv, 16*dsV)
	return ppad, dsV, wide
}

// transformInput copies images g0..g0+n-1 of x into their frames and
// sets V_ξ [in, ppad] (planes dsV floats apart) to their tiles'
// transforms, the images' tiles one after the other.
func (h *convHalf[T]) transformInput(g winoGeom, x []float32, g0, n, ppad, dsV int) {
	size := g.in * g.ih * g.iw
	for i := range n {
		toFrame(h.wx[i*g.frame:], x[(g0+i)*size:], g.in, g.ih, g.iw, g.plane, g.wp, g.pad, g.pad)
	}
	for ch := range g.in {
		for i := range n {
			winoIn(h.wx[i*g.frame+ch*g.plane:], g.wp, g.ntx, g.nty, h.wv[ch*ppad+i*g.tiles:], dsV)
		}
	}
}

// grow returns s with length n, reallocated only if its capacity is less.
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// winoIn sets dst[ξ·ds + ty·ntx + tx] to cell ξ of the transform Bᵀ·d·B
// of the 4×4 cells d of src (rows of ws cells) from row 2·ty and column
// 2·tx on, for the ntx×nty tiles, in blocks of 8 tiles a row (see
// forwardWinograd): it reads src up to row 2·nty+1 and column
// 2·roundUp(ntx, 8)+1 and writes up to roundUp(ntx, 8)-ntx tiles past the
// last. It panics if those are out of range.
func winoIn(src []float32, ws, ntx, nty int, dst []float32, ds int) {
	bx := roundUp(ntx, 8)
	_, _ = src[(2*nty+1)*ws+2*bx+1], dst[15*ds+(nty-1)*ntx+bx-1]
	winoIn32(&src[0], ws, ntx, nty, &dst[0], ds)
}

// winoOut sets the 2×2 output cells of each of ntx×nty tiles, in dst
// (rows of wide cells) from row 2·ty and column 2·tx on, to Aᵀ·m·A plus
// bias for the 16 cells m[ξ·ds + ty·ntx + tx] of the tile, in blocks of 8
// tiles a row: it reads up to roundUp(ntx, 8)-ntx tiles past the last and
// writes dst up to column 2·roundUp(ntx, 8)-1 of row 2·nty-1. It panics
// if those are out of range.
func winoOut(m []float32, ds, ntx, nty int, dst []float32, wide int, bias float32) {
	bx := roundUp(ntx, 8)
	if wide < 2*bx {
		panic("tensor: winoOut: rows narrower than the blocks")
	}
	_, _ = m[15*ds+(nty-1)*ntx+bx-1], dst[(2*nty-1)*wide+2*bx-1]
	winoOut32(&m[0], ds, ntx, nty, &dst[0], wide, bias)
}
