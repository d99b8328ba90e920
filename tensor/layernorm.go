package tensor

import (
	"fmt"
	"math"
	"sync"
)

// Layer normalization's arithmetic over x viewed as rows of f values.
// Each row's figures are computed in float64 by one goroutine, in order,
// so their bits do not depend on GOMAXPROCS; from parallelChannels
// elements on, the rows are cut into chunks for Parallel.

// RowNormalize normalizes each row of f values of x: with the row's mean
// and biased variance (float64, two passes, in order) and
// inv[r] = 1/√(var + eps), it sets
//
//	h = (float64(v) − mean)·inv[r],  xhat = T(h),  y = T(h·float64(gamma[i]))
//
// and then, if beta is not nil, y += beta[i] (in T). y and xhat have x's
// length, inv one value a row, gamma (and beta) f. It panics if the
// lengths disagree.
func RowNormalize[T Float](y, xhat, x []T, inv []float64, f int, gamma, beta []T, eps float64) {
	if f < 1 || len(x)%f != 0 || len(y) != len(x) || len(xhat) != len(x) || len(inv) != len(x)/f || len(gamma) != f || beta != nil && len(beta) != f {
		panic(fmt.Sprintf("tensor: RowNormalize: lengths %d, %d, %d, %d, %d, %d for rows of %d", len(y), len(xhat), len(x), len(inv), len(gamma), len(beta), f))
	}
	runRows(&rowOp[T]{x: x, y: y, z: xhat, inv: inv, f: f, gamma: gamma, beta: beta, eps: eps})
}

// RowNormGrad sets dx for each row of f values from dy and the xhat and
// inv of RowNormalize: with g = float64(dy)·float64(gamma[i]) and the
// row's means of g and of g·xhat (float64, in order),
//
//	dx = T((g − mean(g) − float64(xhat)·mean(g·xhat))·inv[r]).
//
// dx may be dy. It panics if the lengths disagree.
func RowNormGrad[T Float](dx, dy, xhat []T, inv []float64, f int, gamma []T) {
	if f < 1 || len(dy)%f != 0 || len(dx) != len(dy) || len(xhat) != len(dy) || len(inv) != len(dy)/f || len(gamma) != f {
		panic(fmt.Sprintf("tensor: RowNormGrad: lengths %d, %d, %d, %d, %d for rows of %d", len(dx), len(dy), len(xhat), len(inv), len(gamma), f))
	}
	runRows(&rowOp[T]{grad: true, x: dy, y: dx, z: xhat, inv: inv, f: f, gamma: gamma})
}

// rowOp is RowNormalize (x the input, y and z the outputs) or RowNormGrad
// (x = dy, y = dx, z = xhat), cut into chunks of whole rows.
type rowOp[T Float] struct {
	grad        bool
	x, y, z     []T
	inv         []float64
	f           int
	gamma, beta []T
	eps         float64
	chunks      int
}

var rowPools PerType[sync.Pool]

func runRows[T Float](op *rowOp[T]) {
	rows := len(op.x) / op.f
	chunks := 1
	if len(op.x) >= parallelChannels {
		chunks = min(rows, len(op.x)/(parallelChannels/2), 8)
	}
	if chunks < 2 {
		op.rows(0, rows)
		return
	}
	pool := Of[T](&rowPools)
	p, ok := pool.Get().(*rowOp[T])
	if !ok {
		p = new(rowOp[T])
	}
	*p = *op
	p.chunks = chunks
	Parallel(p, chunks)
	*p = rowOp[T]{} // hold no slices
	pool.Put(p)
}

// RunChunk runs the rows of chunk i.
func (o *rowOp[T]) RunChunk(i int) {
	rows := len(o.x) / o.f
	o.rows(i*rows/o.chunks, (i+1)*rows/o.chunks)
}

func (o *rowOp[T]) rows(r0, r1 int) {
	f := o.f
	for r := r0; r < r1; r++ {
		if o.grad {
			o.gradRow(r, o.x[r*f:(r+1)*f], o.y[r*f:(r+1)*f], o.z[r*f:(r+1)*f])
		} else {
			o.normRow(r, o.x[r*f:(r+1)*f], o.y[r*f:(r+1)*f], o.z[r*f:(r+1)*f])
		}
	}
}

func (o *rowOp[T]) normRow(r int, x, y, xhat []T) {
	y, xhat, gamma := y[:len(x)], xhat[:len(x)], o.gamma[:len(x)]
	mean := 0.0
	for _, v := range x {
		mean += float64(v)
	}
	mean /= float64(len(x))
	variance := 0.0
	for _, v := range x {
		d := float64(v) - mean
		variance += d * d
	}
	variance /= float64(len(x))
	inv := 1 / math.Sqrt(variance+o.eps)
	o.inv[r] = inv
	for i, v := range x {
		h := (float64(v) - mean) * inv
		xhat[i] = T(h)
		y[i] = T(h * float64(gamma[i]))
	}
	if o.beta != nil {
		for i, b := range o.beta[:len(x)] {
			y[i] += b
		}
	}
}

func (o *rowOp[T]) gradRow(r int, dy, dx, xhat []T) {
	dx, xhat, gamma := dx[:len(dy)], xhat[:len(dy)], o.gamma[:len(dy)]
	sumG, sumGH := 0.0, 0.0
	for i, d := range dy {
		g := float64(d) * float64(gamma[i])
		sumG += g
		sumGH += g * float64(xhat[i])
	}
	f, inv := float64(len(dy)), o.inv[r]
	meanG, meanGH := sumG/f, sumGH/f
	for i, d := range dy {
		g := float64(d) * float64(gamma[i])
		dx[i] = T((g - meanG - float64(xhat[i])*meanGH) * inv)
	}
}
