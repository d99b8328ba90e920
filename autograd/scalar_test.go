package autograd

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// randomGraph builds the same random graph of Add, Sub, Mul, Div and Sin
// over a few leaves and constants, with shared subexpressions, twice: on
// 0-dimensional variables (Backward's inline scalar path) and on
// variables of shape [1] (the functions' Backward methods). It returns
// the leaves and nodes of each, the output last.
func randomGraph(seed uint32) (s, v []*Variable[float64]) {
	r := rng.NewNumpy(seed)
	one := func(x float64, c bool) *Variable[float64] {
		t := tensor.FromSlice([]float64{x}, 1)
		if c {
			return Const(t)
		}
		return New(t)
	}
	for i := range 4 {
		x := r.Uniform(-2, 2)
		if i == 3 {
			s, v = append(s, ConstScalar(x)), append(v, one(x, true))
			continue
		}
		s, v = append(s, Scalar(x)), append(v, one(x, false))
	}
	for range 60 {
		i, j := r.Randint(0, len(s)), r.Randint(0, len(s))
		if r.Uniform(0, 1) < 0.5 { // mostly recent nodes: deep chains
			i = len(s) - 1 - r.Randint(0, min(3, len(s)))
		}
		var a, b *Variable[float64]
		switch r.Randint(0, 5) {
		case 0:
			a, b = Add(s[i], s[j]), Add(v[i], v[j])
		case 1:
			a, b = Sub(s[i], s[j]), Sub(v[i], v[j])
		case 2:
			a, b = Mul(s[i], s[j]), Mul(v[i], v[j])
		case 3:
			a, b = Div(s[i], Add(Mul(s[j], s[j]), ConstScalar(1.0))), Div(v[i], Add(Mul(v[j], v[j]), ConstScalar(1.0)))
		default:
			a, b = Sin(s[i]), Sin(v[i])
		}
		s, v = append(s, a), append(v, b)
	}
	return s, v
}

// TestScalarPathIsTensorPath checks that Backward's inline scalar path
// gives the bits of the functions' Backward methods, with and without
// RetainGrad and over two passes that accumulate.
func TestScalarPathIsTensorPath(t *testing.T) {
	for seed := range uint32(20) {
		for _, opts := range [][]BackwardOption{nil, {RetainGrad}} {
			s, v := randomGraph(seed)
			for pass := range 2 {
				s[len(s)-1].Backward(opts...)
				v[len(v)-1].Backward(opts...)
				for i := range s {
					gs, gv := s[i].Grad, v[i].Grad
					if (gs == nil) != (gv == nil) {
						t.Fatalf("seed %d %v pass %d: node %d has gradient %v on scalars, %v on [1]", seed, opts, pass, i, gs, gv)
					}
					if gs != nil && math.Float64bits(gs.Item()) != math.Float64bits(gv.Item()) {
						t.Fatalf("seed %d %v pass %d: node %d's gradient is %v on scalars, %v on [1]", seed, opts, pass, i, gs.Item(), gv.Item())
					}
				}
				if pass == 0 {
					for i := range s {
						if i == len(s)-1 || s[i].Creator() != nil {
							s[i].ClearGrad() // the output's and retained ones
							v[i].ClearGrad()
						}
					}
				}
			}
		}
	}
}
