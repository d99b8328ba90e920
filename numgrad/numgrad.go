// Package numgrad computes gradients numerically, by central differences,
// and checks backpropagation against them.
//
// It is the tutorial's numerical_gradient made reusable: perturb one element
// of a parameter by ±h, evaluate the loss twice, take (f(x+h) - f(x-h)) / 2h,
// restore the element, move to the next. It costs two evaluations of the
// loss per parameter element, which is why networks learn by
// backpropagation, and why backpropagation is checked against it.
package numgrad

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// H is the tutorial's step, 1e-4: small enough that the central difference's
// truncation error (of order h²) is about 1e-8, large enough that rounding
// error (about ε·|f|/h ≈ 1e-12) stays below it.
const H = 1e-4

// GradientTo sets dst to the central-difference gradient of f with respect
// to x, with step h, and returns dst. f must read x (typically through a
// closure over the network whose parameter x is) and return the loss; x is
// perturbed in place one element at a time and each element is restored
// exactly before the next. dst must have x's shape and not share its storage.
func GradientTo[T tensor.Float](dst *tensor.Tensor[T], f func() float64, x *tensor.Tensor[T], h float64) *tensor.Tensor[T] {
	if !tensor.SameShape(dst, x) {
		panic(fmt.Sprintf("numgrad: GradientTo: destination %v for parameter %v", dst.Shape(), x.Shape()))
	}
	for i, tmp := range x.Data {
		x.Data[i] = T(float64(tmp) + h)
		fxh1 := f()
		x.Data[i] = T(float64(tmp) - h)
		fxh2 := f()
		dst.Data[i] = T((fxh1 - fxh2) / (2 * h))
		x.Data[i] = tmp
	}
	return dst
}

// Gradient returns the central-difference gradient of f with respect to x
// with the tutorial's step H (see GradientTo).
func Gradient[T tensor.Float](f func() float64, x *tensor.Tensor[T]) *tensor.Tensor[T] {
	return GradientTo(tensor.New[T](x.Shape()...), f, x, H)
}

// Result is the comparison of one parameter's backprop gradient with its
// numerical gradient.
type Result struct {
	Name string `json:"name"`
	// Shape is the parameter's shape.
	Shape []int `json:"shape"`
	// MaxRelErr is the largest RelErr over the parameter's elements.
	MaxRelErr float64 `json:"max_rel_err"`
	// MaxAbsErr is the largest |backprop - numerical|.
	MaxAbsErr float64 `json:"max_abs_err"`
	// Checked is the number of elements compared (all of them, unless
	// CheckSample was asked for fewer).
	Checked int `json:"checked"`
}

// Floor is the smallest denominator RelErr divides by. Gradients smaller
// than it are in effect compared absolutely (at Floor times the tolerance),
// which keeps the rounding noise of a central difference, about 1e-12, from
// posing as a relative error on a gradient that is nearly zero.
const Floor = 1e-3

// RelErr returns |a - b| / max(|a|, |b|, Floor).
func RelErr(a, b float64) float64 {
	return math.Abs(a-b) / max(math.Abs(a), math.Abs(b), Floor)
}

// Check runs x through net and l against targets t, backpropagates, and
// compares every parameter's gradient with the central-difference gradient
// of the same loss (step h). train is passed to every Forward; a network with
// Dropout must have its masks fixed (nn.Dropout.Freeze) so that every
// evaluation sees the same function. Parameter values are left as they were;
// gradients hold the backprop values on return.
func Check[T tensor.Float](net nn.Layer[T], l loss.Loss[T], x, t *tensor.Tensor[T], train bool, h float64) []Result {
	return CheckSample(net, l, x, t, train, h, 0, nil)
}

// CheckSample is Check on at most maxPerParam elements of each parameter,
// chosen with r without repetition (all of them when maxPerParam is 0 or the
// parameter is small enough; r may then be nil). Large networks need it: a
// full check costs two evaluations of the loss per parameter element.
func CheckSample[T tensor.Float](net nn.Layer[T], l loss.Loss[T], x, t *tensor.Tensor[T], train bool, h float64, maxPerParam int, r *rng.MT) []Result {
	res, _ := CheckContext(context.Background(), net, l, x, t, train, h, Options{MaxPerParam: maxPerParam, Rand: r})
	return res
}

// Options are CheckContext's settings beyond the network and the data.
type Options struct {
	// MaxPerParam and Rand are CheckSample's maxPerParam and r.
	MaxPerParam int
	Rand        *rng.MT
	// Progress, if non-nil, is called after each element compared with
	// the number compared so far and the total to compare.
	Progress func(done, total int)
}

// CheckContext is CheckSample with a context and a progress callback: it
// returns ctx.Err() with the parameters restored if ctx is done before the
// check is, which it checks before each element.
func CheckContext[T tensor.Float](ctx context.Context, net nn.Layer[T], l loss.Loss[T], x, t *tensor.Tensor[T], train bool, h float64, o Options) ([]Result, error) {
	f := func() float64 { return l.Forward(net.Forward(x, train), t) }
	f()
	net.Backward(l.Backward())
	params := net.Params()
	idxs := make([][]int, len(params))
	total, done := 0, 0
	for k, p := range params {
		idxs[k] = sample(p.Value.Len(), o.MaxPerParam, o.Rand)
		total += len(idxs[k])
	}
	var out []Result
	for k, p := range params {
		res := Result{Name: p.Name, Shape: append([]int(nil), p.Value.Shape()...)}
		for _, i := range idxs[k] {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			old := p.Value.Data[i]
			p.Value.Data[i] = T(float64(old) + h)
			fp := f()
			p.Value.Data[i] = T(float64(old) - h)
			fm := f()
			p.Value.Data[i] = old
			done++
			if o.Progress != nil {
				o.Progress(done, total)
			}
			a, b := float64(p.Grad.Data[i]), (fp-fm)/(2*h)
			if math.IsNaN(a) || math.IsNaN(b) {
				res.MaxRelErr, res.MaxAbsErr = math.NaN(), math.NaN()
				break
			}
			res.MaxRelErr = max(res.MaxRelErr, RelErr(a, b))
			res.MaxAbsErr = max(res.MaxAbsErr, math.Abs(a-b))
		}
		res.Checked = len(idxs[k])
		out = append(out, res)
	}
	return out, nil
}

// sample returns the indices 0..n-1, or k of them drawn with r (sorted) when
// 0 < k < n.
func sample(n, k int, r *rng.MT) []int {
	if k <= 0 || k >= n {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	if r == nil {
		panic("numgrad: CheckSample needs a generator to choose elements")
	}
	idx := r.Perm(n)[:k]
	slices.Sort(idx)
	return idx
}

// CheckInput is Check for the gradient with respect to the input x instead
// of the parameters: it returns the largest RelErr between the dx that
// Backward returns and the numerical gradient with respect to x.
func CheckInput[T tensor.Float](net nn.Layer[T], l loss.Loss[T], x, t *tensor.Tensor[T], train bool, h float64) float64 {
	f := func() float64 { return l.Forward(net.Forward(x, train), t) }
	f()
	dx := net.Backward(l.Backward()).Clone()
	num := GradientTo(tensor.New[T](x.Shape()...), f, x, h)
	var m float64
	for i, g := range dx.Data {
		e := RelErr(float64(g), float64(num.Data[i]))
		if math.IsNaN(e) {
			return math.NaN()
		}
		m = max(m, e)
	}
	return m
}

// MaxRelErr returns the largest MaxRelErr of results (NaN if any is NaN).
func MaxRelErr(results []Result) float64 {
	var m float64
	for _, r := range results {
		if math.IsNaN(r.MaxRelErr) {
			return math.NaN()
		}
		m = max(m, r.MaxRelErr)
	}
	return m
}
