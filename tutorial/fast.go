package tutorial

import (
	"context"
	"math"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// fastMax bounds the products the fast path takes on: tensor.AffineTo
// sums x·W for one case in increasing order from 0 and then adds the bias
// (affineSmall) while W has fewer than 256 elements, and blocks larger
// products, in another order. The fast path reproduces the first order
// only, so it serves networks whose W1 and W2 both stay below the bound
// (the tutorial's 2-2-2, and up to 2-127-2). The backward pass's products
// (dz·W2ᵀ, and the outer products of the weights' gradients) are then
// small for tensor.MatMulTo too, which sums them in the same way
// (gemmSmall).
const fastMax = 256

// fast64 is the numerical gradient, the backpropagation (fastbackprop.go)
// and the training loops of a float64 TwoLayerNet on one case at a time,
// on plain slices: the arithmetic of the generic path
// (numgrad.LayersGradient over the layers, or the layers' Forward and
// Backward; Learn's update and loss), operation for operation and in the
// same order, so the bits are the same, without the layers' and tensors'
// bookkeeping.
//
// For the numerical gradient, like LayersGradient it takes exact
// shortcuts: a perturbation of W1 or b1 recomputes only the hidden unit it
// touches, one of W2 or b2 only the logit it touches, and the
// perturbations of a weight that multiplies an input of exactly 0 leave
// the pre-activation bitwise unchanged and give the unperturbed loss.
// Beyond them it saves time in two ways that change no result: it runs the
// plus and minus sides of a central difference side by side (each is a
// long chain of dependent operations, exponential, division, logarithm,
// and the processor overlaps two independent chains), and it remembers the
// exponentials and logarithms it took (memo), since different
// perturbations often give a unit the same rounded value. Backpropagation
// runs side by side the loss of one step's case after the update and the
// forward pass of the next step's case.
type fast64 struct {
	in, hid, out     int
	w1, b1, w2, b2   []float64 // the parameters' values, aliased
	g1, gb1, g2, gb2 []float64 // and their gradients

	x, t []float64 // the case: x [in], t [out]

	// The unperturbed evaluation of the case: pre-activations a [hid],
	// hidden outputs hv [hid], logits z [out], loss f0.
	a, hv, z []float64
	f0       float64

	z1, z2, e1, e2 []float64 // scratch [out]: perturbed logits, exponentials

	// Backpropagation (fastbackprop.go): the probabilities p [out], the
	// logits' gradient dz [out] and the loss's weights w [out], the hidden
	// pre-activations' gradient da [hid].
	p, dz, w, da []float64
	ha, za, pa   []float64 // forwardPair's other case: hidden outputs, logits, probabilities

	exp, log memo
}

// fast returns n's fast path for cases x [in] or [rows, in] and targets t
// of the outputs' shape, or nil when it does not apply (T is float32,
// targets are class indices, the products are too large for fastMax, or
// the generic path is forced).
func (n *TwoLayerNet[T]) fast(x, t *tensor.Tensor[T]) *fast64 {
	if n.generic {
		return nil
	}
	nf, ok := any(n).(*TwoLayerNet[float64])
	if !ok {
		return nil
	}
	in, hid, out := n.affine1.In(), n.affine1.Out(), n.affine2.Out()
	if in*hid >= fastMax || hid*out >= fastMax || x.Cols() != in || t.Cols() != out || x.Rank() != t.Rank() || x.Rank() > 2 {
		return nil
	}
	sizes := [4]int{in * hid, hid, hid * out, out}
	for i, p := range nf.params {
		if len(p.Value.Data) != sizes[i] || len(p.Grad.Data) != sizes[i] {
			return nil // a Value or Grad replaced by one of another size: the generic path says what is wrong
		}
	}
	f := n.fastState
	if f == nil || f.in != in || f.hid != hid || f.out != out {
		f = &fast64{
			in: in, hid: hid, out: out,
			a: make([]float64, hid), hv: make([]float64, hid),
			z: make([]float64, out), z1: make([]float64, out), z2: make([]float64, out),
			e1: make([]float64, out), e2: make([]float64, out),
			p: make([]float64, out), dz: make([]float64, out), w: make([]float64, out),
			da: make([]float64, hid), ha: make([]float64, hid), za: make([]float64, out), pa: make([]float64, out),
		}
		n.fastState = f
	}
	// The parameters' tensors are fetched at every call: a caller may have
	// replaced a Param's Value.
	f.w1, f.b1, f.w2, f.b2 = nf.W1.Value.Data, nf.B1.Value.Data, nf.W2.Value.Data, nf.B2.Value.Data
	f.g1, f.gb1, f.g2, f.gb2 = nf.W1.Grad.Data, nf.B1.Grad.Data, nf.W2.Grad.Data, nf.B2.Grad.Data
	return f
}

// setCase makes x [in] and t [out] the case and evaluates it, returning the
// loss.
func (f *fast64) setCase(x, t []float64) float64 {
	f.x, f.t = x[:f.in], t[:f.out]
	for j := range f.hid {
		f.a[j] = f.pre(j)
		f.hv[j] = sigmoid(f.a[j])
	}
	for o := range f.out {
		f.z[o] = f.logit(o, -1, 0)
	}
	f.f0 = f.loss(f.z)
	return f.f0
}

// pre returns the pre-activation of hidden unit j, as affineSmall sums it.
func (f *fast64) pre(j int) float64 {
	var s float64
	for p, xp := range f.x {
		s += float64(xp * f.w1[p*f.hid+j]) // float64(): never fused into an FMA
	}
	return s + f.b1[j]
}

// logit returns logit o of the hidden outputs f.hv, with hidden unit j's
// output replaced by hj (j = -1 for none).
func (f *fast64) logit(o, j int, hj float64) float64 {
	var s float64
	for q, hq := range f.hv {
		if q == j {
			hq = hj
		}
		s += float64(hq * f.w2[q*f.out+o])
	}
	return s + f.b2[o]
}

// sigmoid is nn.Sigmoid's forward.
func sigmoid(v float64) float64 { return 1 / (1 + tensor.Exp(-v)) }

// loss is loss.SoftmaxCrossEntropy's Forward for one case with logits z
// against f.t: softmax (exp(0) taken as exactly 1), then the mean over a
// batch of 1 of -Σ t·log(p + Delta). A probability whose target is 0 is
// not needed and not computed.
func (f *fast64) loss(z []float64) float64 {
	m := z[0]
	for _, v := range z[1:] {
		if v > m {
			m = v
		}
	}
	e := f.e1[:len(z)]
	var s float64
	for j, v := range z {
		e[j] = 1
		if v != m {
			e[j] = tensor.Exp(v - m)
		}
		s += e[j]
	}
	var c float64
	for j, tj := range f.t {
		if tj != 0 {
			c += tj * tensor.Log(e[j]/s+loss.Delta)
		}
	}
	return -c
}

// lossPair is loss of z1 and of z2, side by side, with the memos.
func (f *fast64) lossPair(z1, z2 []float64) (float64, float64) {
	m1, m2 := z1[0], z2[0]
	for j := 1; j < len(z1); j++ {
		if z1[j] > m1 {
			m1 = z1[j]
		}
		if z2[j] > m2 {
			m2 = z2[j]
		}
	}
	e1, e2 := f.e1[:len(z1)], f.e2[:len(z1)]
	var s1, s2 float64
	for j, v1 := range z1 {
		v2 := z2[j]
		e1[j], e2[j] = 1, 1
		if v1 != m1 {
			e1[j] = f.exp.get(v1-m1, tensor.Exp)
		}
		if v2 != m2 {
			e2[j] = f.exp.get(v2-m2, tensor.Exp)
		}
		s1 += e1[j]
		s2 += e2[j]
	}
	var c1, c2 float64
	for j, tj := range f.t {
		if tj != 0 {
			c1 += tj * f.log.get(e1[j]/s1+loss.Delta, tensor.Log)
			c2 += tj * f.log.get(e2[j]/s2+loss.Delta, tensor.Log)
		}
	}
	return -c1, -c2
}

// hiddenPair returns the losses after two changes of W1 or b1 that touch
// only hidden unit j, giving it the pre-activations a1 and a2.
func (f *fast64) hiddenPair(j int, a1, a2 float64) (float64, float64) {
	if ab := math.Float64bits(f.a[j]); math.Float64bits(a1) == ab && math.Float64bits(a2) == ab {
		return f.f0, f.f0 // the weight multiplies an input of 0
	}
	h1, h2 := 1/(1+f.exp.get(-a1, tensor.Exp)), 1/(1+f.exp.get(-a2, tensor.Exp)) // nn.Sigmoid
	for o := range f.out {
		f.z1[o], f.z2[o] = f.logit(o, j, h1), f.logit(o, j, h2)
	}
	return f.lossPair(f.z1, f.z2)
}

// outputPair returns the losses after two changes of W2 or b2 that touch
// only logit o, giving it the values z1 and z2.
func (f *fast64) outputPair(o int, z1, z2 float64) (float64, float64) {
	copy(f.z1, f.z)
	copy(f.z2, f.z)
	f.z1[o], f.z2[o] = z1, z2
	return f.lossPair(f.z1, f.z2)
}

// gradient stores the central-difference gradient of the case's loss in
// the parameters' gradients, as numgrad.LayersGradient does; setCase must
// have evaluated the case at the current parameters.
func (f *fast64) gradient() {
	h := numgrad.H
	for i, tmp := range f.w1 {
		j := i % f.hid
		f.w1[i] = tmp + h
		a1 := f.pre(j)
		f.w1[i] = tmp - h
		a2 := f.pre(j)
		f.w1[i] = tmp
		l1, l2 := f.hiddenPair(j, a1, a2)
		f.g1[i] = (l1 - l2) / (2 * h)
	}
	for j, tmp := range f.b1 {
		f.b1[j] = tmp + h
		a1 := f.pre(j)
		f.b1[j] = tmp - h
		a2 := f.pre(j)
		f.b1[j] = tmp
		l1, l2 := f.hiddenPair(j, a1, a2)
		f.gb1[j] = (l1 - l2) / (2 * h)
	}
	for i, tmp := range f.w2 {
		o := i % f.out
		f.w2[i] = tmp + h
		z1 := f.logit(o, -1, 0)
		f.w2[i] = tmp - h
		z2 := f.logit(o, -1, 0)
		f.w2[i] = tmp
		l1, l2 := f.outputPair(o, z1, z2)
		f.g2[i] = (l1 - l2) / (2 * h)
	}
	for o, tmp := range f.b2 {
		f.b2[o] = tmp + h
		z1 := f.logit(o, -1, 0)
		f.b2[o] = tmp - h
		z2 := f.logit(o, -1, 0)
		f.b2[o] = tmp
		l1, l2 := f.outputPair(o, z1, z2)
		f.gb2[o] = (l1 - l2) / (2 * h)
	}
}

// update adds alpha times each gradient to its parameter, as
// tensor.AddScaled does.
func (f *fast64) update(alpha float64) {
	for _, pg := range [4][2][]float64{{f.w1, f.g1}, {f.b1, f.gb1}, {f.w2, f.g2}, {f.b2, f.gb2}} {
		v, g := pg[0], pg[1][:len(pg[0])]
		for i, gi := range g {
			v[i] += float64(alpha * gi) // float64(): never fused into an FMA
		}
	}
}

// learn is Learn with the numerical gradient for cases x [rows·in] and
// targets t [rows·out].
func (f *fast64) learn(ctx context.Context, x, t []float64, steps int, lr float64, pick *rng.MT, record func(step int, loss float64)) error {
	rows := len(x) / f.in
	alpha := -lr
	last := -1 // the case setCase last evaluated at the current parameters
	for i := 0; i < steps; i++ {
		if i&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		k := pick.Below(rows)
		xk, tk := x[k*f.in:(k+1)*f.in], t[k*f.out:(k+1)*f.out]
		if k != last {
			f.setCase(xk, tk)
		}
		f.gradient()
		f.update(alpha)
		l := f.setCase(xk, tk)
		last = k
		if record != nil {
			record(i, l)
		}
	}
	return nil
}

// memoBits is the base-2 logarithm of the number of entries of a memo.
const memoBits = 8

// memo remembers the values of a function at its recent arguments, one per
// slot, the slot picked by a hash of the argument's bits. Within a step of
// the tutorial's network more than two exponentials and logarithms in five
// are found there.
type memo struct {
	key [1 << memoBits]uint64
	val [1 << memoBits]float64
}

// get returns fn(x), from the memo if x was seen there; a memo serves one
// function only.
func (m *memo) get(x float64, fn func(float64) float64) float64 {
	b := math.Float64bits(x)
	i := (b * 0x9e3779b97f4a7c15) >> (64 - memoBits) // Fibonacci hashing
	if m.key[i] == b && b != 0 {                     // a zero key marks an empty slot
		return m.val[i]
	}
	v := fn(x)
	m.key[i], m.val[i] = b, v
	return v
}
