package tensor

import (
	"fmt"
	"sync"
	"unsafe"
)

// The arithmetic of batch normalization over x viewed as [n, c, s]: n
// cases, c features (channels), s positions per feature (1 for a flat
// [batch, features] input, height·width for an image). Every feature's
// figures are computed in float64, by one goroutine, in the order i = 0..n-1
// and then position by position, so their bits do not depend on GOMAXPROCS
// or on how the features are cut into chunks. From parallelChannels
// elements on, the features are cut into chunks for Parallel. Within a
// chunk, the running sums of up to four features advance together: a sum
// in order is a chain of dependent additions, and four chains keep the
// adder busy where one would wait on it.

// ChannelMoments sets mean[f] and vr[f] to the mean and the biased variance
// (divided by n·s) of feature f of x, for every f, computed in two passes:
// the sum, then the sum of the squared differences from the mean. It
// panics if the lengths disagree with n, c and s or if n·s is 0.
func ChannelMoments[T Float](mean, vr []float64, x []T, n, c, s int) {
	mustChannels("ChannelMoments", len(x), n, c, s, len(mean), len(vr))
	if n*s == 0 {
		panic("tensor: ChannelMoments: no values per feature")
	}
	runChannels(&channelOp[T]{kind: opMoments, x: x, n: n, c: c, s: s, a: mean, b: vr})
}

// ChannelNormalize sets, for every element v of feature f of x,
//
//	xh = (float64(v) - mean[f]) · inv[f],  xhat = T(xh),  y = T(gamma[f]·xh + beta[f]).
//
// y and xhat have x's length (either may be x). It panics if the lengths
// disagree.
func ChannelNormalize[T Float](y, xhat, x []T, n, c, s int, mean, inv, gamma, beta []float64) {
	mustChannels("ChannelNormalize", len(x), n, c, s, len(mean), len(inv), len(gamma), len(beta))
	if len(y) != len(x) || len(xhat) != len(x) {
		panic(fmt.Sprintf("tensor: ChannelNormalize: lengths %d, %d and %d differ", len(y), len(xhat), len(x)))
	}
	runChannels(&channelOp[T]{kind: opNormalize, x: x, y: y, z: xhat, n: n, c: c, s: s, a: mean, b: inv, g: gamma, h: beta})
}

// ChannelGradSums sets sdy[f] = Σ dy and sdyx[f] = Σ dy·xhat over the
// elements of feature f, summed in float64 in order. It panics if the
// lengths disagree.
func ChannelGradSums[T Float](sdy, sdyx []float64, dy, xhat []T, n, c, s int) {
	mustChannels("ChannelGradSums", len(dy), n, c, s, len(sdy), len(sdyx))
	if len(xhat) != len(dy) {
		panic(fmt.Sprintf("tensor: ChannelGradSums: lengths %d and %d differ", len(dy), len(xhat)))
	}
	runChannels(&channelOp[T]{kind: opGradSums, x: dy, z: xhat, n: n, c: c, s: s, a: sdy, b: sdyx})
}

// ChannelNormGrad sets, for every element g of dy and xh of xhat in
// feature f, with m = n·s,
//
//	dx = T(k[f]/m · (m·float64(g) - sdy[f] - float64(xh)·sdyx[f])),
//
// batch normalization's gradient through the batch's statistics, where
// k = gamma·inv. dx may be dy. It panics if the lengths disagree.
func ChannelNormGrad[T Float](dx, dy, xhat []T, n, c, s int, k, sdy, sdyx []float64) {
	mustChannels("ChannelNormGrad", len(dy), n, c, s, len(k), len(sdy), len(sdyx))
	if len(dx) != len(dy) || len(xhat) != len(dy) {
		panic(fmt.Sprintf("tensor: ChannelNormGrad: lengths %d, %d and %d differ", len(dx), len(dy), len(xhat)))
	}
	runChannels(&channelOp[T]{kind: opNormGrad, x: dy, y: dx, z: xhat, n: n, c: c, s: s, a: k, b: sdy, g: sdyx})
}

// ChannelScale sets dx = T(k[f]·float64(g)) for every element g of
// feature f of dy: the gradient of a fixed per-feature affine map. dx may
// be dy. It panics if the lengths disagree.
func ChannelScale[T Float](dx, dy []T, n, c, s int, k []float64) {
	mustChannels("ChannelScale", len(dy), n, c, s, len(k))
	if len(dx) != len(dy) {
		panic(fmt.Sprintf("tensor: ChannelScale: lengths %d and %d differ", len(dx), len(dy)))
	}
	runChannels(&channelOp[T]{kind: opScale, x: dy, y: dx, n: n, c: c, s: s, a: k})
}

func mustChannels(name string, size, n, c, s int, perFeature ...int) {
	if n < 0 || c < 1 || s < 0 || n*c*s != size {
		panic(fmt.Sprintf("tensor: %s: %d elements are not [%d, %d, %d]", name, size, n, c, s))
	}
	for _, l := range perFeature {
		if l != c {
			panic(fmt.Sprintf("tensor: %s: a per-feature slice has %d values for %d features", name, l, c))
		}
	}
}

const (
	opMoments = iota
	opNormalize
	opGradSums
	opNormGrad
	opScale
)

// parallelChannels is the number of elements from which the Channel
// functions cut the features into chunks for Parallel.
const parallelChannels = 1 << 14

// channelOp is one of the Channel functions over x viewed as [n, c, s],
// cut into chunks of whole features. Its slices: x the input, y and z the
// outputs, a, b, g, h per-feature figures.
type channelOp[T Float] struct {
	kind       int
	x, y, z    []T
	n, c, s    int
	a, b, g, h []float64
	chunks     int
}

var channelPools PerType[sync.Pool]

func runChannels[T Float](op *channelOp[T]) {
	chunks := 1
	if size := op.n * op.c * op.s; size >= parallelChannels {
		chunks = min(op.c, size/(parallelChannels/2), 8)
	}
	if chunks < 2 {
		op.features(0, op.c)
		return
	}
	pool := Of[T](&channelPools)
	p, ok := pool.Get().(*channelOp[T])
	if !ok {
		p = new(channelOp[T])
	}
	*p = *op
	p.chunks = chunks
	Parallel(p, chunks)
	*p = channelOp[T]{} // hold no slices
	pool.Put(p)
}

// RunChunk runs the features of chunk i.
func (o *channelOp[T]) RunChunk(i int) {
	o.features(i*o.c/o.chunks, (i+1)*o.c/o.chunks)
}

// features runs the operation on features f0..f1-1.
func (o *channelOp[T]) features(f0, f1 int) {
	switch o.kind {
	case opMoments:
		o.moments(f0, f1)
	case opNormalize:
		o.normalize(f0, f1)
	case opGradSums:
		o.gradSums(f0, f1)
	case opNormGrad, opScale:
		o.normGrad(f0, f1)
	}
}

// seg returns the s values of feature f of case i in x.
func (o *channelOp[T]) seg(x []T, i, f int) []T {
	off := (i*o.c + f) * o.s
	return x[off : off+o.s]
}

func (o *channelOp[T]) moments(f0, f1 int) {
	mean, vr := o.a[f0:f1], o.b[f0:f1]
	clear(mean)
	clear(vr)
	for i := 0; i < o.n; i++ {
		f := f0
		for ; f+4 <= f1; f += 4 {
			x0, x1, x2, x3 := o.seg(o.x, i, f), o.seg(o.x, i, f+1), o.seg(o.x, i, f+2), o.seg(o.x, i, f+3)
			x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
			m := mean[f-f0 : f-f0+4]
			s0, s1, s2, s3 := m[0], m[1], m[2], m[3]
			for j, v := range x0 {
				s0 += float64(v)
				s1 += float64(x1[j])
				s2 += float64(x2[j])
				s3 += float64(x3[j])
			}
			m[0], m[1], m[2], m[3] = s0, s1, s2, s3
		}
		for ; f < f1; f++ {
			acc := mean[f-f0]
			for _, v := range o.seg(o.x, i, f) {
				acc += float64(v)
			}
			mean[f-f0] = acc
		}
	}
	cnt := float64(o.n * o.s)
	for f := range mean {
		mean[f] /= cnt
	}
	for i := 0; i < o.n; i++ {
		f := f0
		for ; f+4 <= f1; f += 4 {
			x0, x1, x2, x3 := o.seg(o.x, i, f), o.seg(o.x, i, f+1), o.seg(o.x, i, f+2), o.seg(o.x, i, f+3)
			x1, x2, x3 = x1[:len(x0)], x2[:len(x0)], x3[:len(x0)]
			m, q := mean[f-f0:f-f0+4], vr[f-f0:f-f0+4]
			m0, m1, m2, m3 := m[0], m[1], m[2], m[3]
			s0, s1, s2, s3 := q[0], q[1], q[2], q[3]
			for j, v := range x0 {
				d0 := float64(v) - m0
				d1 := float64(x1[j]) - m1
				d2 := float64(x2[j]) - m2
				d3 := float64(x3[j]) - m3
				s0 += d0 * d0
				s1 += d1 * d1
				s2 += d2 * d2
				s3 += d3 * d3
			}
			q[0], q[1], q[2], q[3] = s0, s1, s2, s3
		}
		for ; f < f1; f++ {
			acc, m := vr[f-f0], mean[f-f0]
			for _, v := range o.seg(o.x, i, f) {
				d := float64(v) - m
				acc += d * d
			}
			vr[f-f0] = acc
		}
	}
	for f := range vr {
		vr[f] /= cnt
	}
}

func (o *channelOp[T]) normalize(f0, f1 int) {
	for i := 0; i < o.n; i++ {
		for f := f0; f < f1; f++ {
			x := o.seg(o.x, i, f)
			y, z := o.seg(o.y, i, f)[:len(x)], o.seg(o.z, i, f)[:len(x)]
			mean, inv, gamma, beta := o.a[f], o.b[f], o.g[f], o.h[f]
			done := 0
			if blocks := len(x) / 4; useSIMD && unsafe.Sizeof(T(0)) == 4 && blocks > 0 {
				bnNormalize32(&as[float32](y)[0], &as[float32](z)[0], &as[float32](x)[0], mean, inv, gamma, beta, blocks)
				done = 4 * blocks
			}
			for j := done; j < len(x); j++ {
				v := x[j]
				xh := (float64(v) - mean) * inv
				z[j] = T(xh)
				y[j] = T(gamma*xh + beta)
			}
		}
	}
}

func (o *channelOp[T]) gradSums(f0, f1 int) {
	sdy, sdyx := o.a[f0:f1], o.b[f0:f1]
	clear(sdy)
	clear(sdyx)
	for i := 0; i < o.n; i++ {
		f := f0
		for ; f+2 <= f1; f += 2 {
			g0, g1 := o.seg(o.x, i, f), o.seg(o.x, i, f+1)
			h0, h1 := o.seg(o.z, i, f), o.seg(o.z, i, f+1)
			g1, h0, h1 = g1[:len(g0)], h0[:len(g0)], h1[:len(g0)]
			a, b := sdy[f-f0:f-f0+2], sdyx[f-f0:f-f0+2]
			a0, a1, b0, b1 := a[0], a[1], b[0], b[1]
			for j, g := range g0 {
				a0 += float64(g)
				b0 += float64(g) * float64(h0[j])
				a1 += float64(g1[j])
				b1 += float64(g1[j]) * float64(h1[j])
			}
			a[0], a[1], b[0], b[1] = a0, a1, b0, b1
		}
		for ; f < f1; f++ {
			g0, h0 := o.seg(o.x, i, f), o.seg(o.z, i, f)
			h0 = h0[:len(g0)]
			a0, b0 := sdy[f-f0], sdyx[f-f0]
			for j, g := range g0 {
				a0 += float64(g)
				b0 += float64(g) * float64(h0[j])
			}
			sdy[f-f0], sdyx[f-f0] = a0, b0
		}
	}
}

func (o *channelOp[T]) normGrad(f0, f1 int) {
	m := float64(o.n * o.s)
	for i := 0; i < o.n; i++ {
		for f := f0; f < f1; f++ {
			dy := o.seg(o.x, i, f)
			dx := o.seg(o.y, i, f)[:len(dy)]
			if o.kind == opScale {
				k := o.a[f]
				for j, g := range dy {
					dx[j] = T(k * float64(g))
				}
				continue
			}
			xh := o.seg(o.z, i, f)[:len(dy)]
			km, sdy, sdyx := o.a[f]/m, o.b[f], o.g[f]
			done := 0
			if blocks := len(dy) / 4; useSIMD && unsafe.Sizeof(T(0)) == 4 && blocks > 0 {
				bnNormGrad32(&as[float32](dx)[0], &as[float32](dy)[0], &as[float32](xh)[0], km, m, sdy, sdyx, blocks)
				done = 4 * blocks
			}
			for j := done; j < len(dy); j++ {
				g := dy[j]
				dx[j] = T(km * (m*float64(g) - sdy - float64(xh[j])*sdyx))
			}
		}
	}
}
