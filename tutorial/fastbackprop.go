package tutorial

import (
	"context"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// The backpropagation of fast64: Gradient's forward pass and the layers'
// Backward, for one case of a float64 TwoLayerNet, on plain slices and in
// the generic path's order of operations, so the bits are the same.

// forward runs Gradient's forward pass on the case x [in], t [out]: it
// sets the hidden outputs f.hv and the softmax probabilities f.p
// (loss.SoftmaxCrossEntropy's Forward, exp(0) taken as exactly 1).
func (f *fast64) forward(x, t []float64) {
	f.x, f.t = x[:f.in], t[:f.out]
	for j := range f.hid {
		f.hv[j] = sigmoid(f.pre(j))
	}
	z := f.z
	for o := range z {
		z[o] = f.logit(o, -1, 0)
	}
	m := z[0]
	for _, v := range z[1:] {
		if v > m {
			m = v
		}
	}
	p := f.p[:len(z)]
	var s float64
	for j, v := range z {
		e := 1.0
		if v != m {
			e = tensor.Exp(v - m)
		}
		p[j] = e
		s += e
	}
	for j := range p {
		p[j] /= s
	}
}

// forwardPair returns the loss of the case xa [in], ta [out], and runs
// forward on the case xb, tb, the two side by side: each is a chain of
// dependent operations (exponential, division) that the processor
// overlaps with the other.
func (f *fast64) forwardPair(xa, ta, xb, tb []float64) float64 {
	in, hid, out := f.in, f.hid, f.out
	xa, ta = xa[:in], ta[:out]
	f.x, f.t = xb[:in], tb[:out]
	xb = f.x
	ha, hb := f.ha[:hid], f.hv[:hid]
	for j := range hid {
		var sa, sb float64
		for p, xp := range xa {
			w := f.w1[p*hid+j]
			sa += float64(xp * w) // float64(): never fused into an FMA
			sb += float64(xb[p] * w)
		}
		ha[j], hb[j] = sigmoid(sa+f.b1[j]), sigmoid(sb+f.b1[j])
	}
	za, zb := f.za[:out], f.z[:out]
	for o := range out {
		var sa, sb float64
		for q, hq := range ha {
			w := f.w2[q*out+o]
			sa += float64(hq * w)
			sb += float64(hb[q] * w)
		}
		za[o], zb[o] = sa+f.b2[o], sb+f.b2[o]
	}
	ma, mb := za[0], zb[0]
	for o := 1; o < out; o++ {
		if za[o] > ma {
			ma = za[o]
		}
		if zb[o] > mb {
			mb = zb[o]
		}
	}
	pa, pb := f.pa[:out], f.p[:out]
	var sa, sb float64
	for o := range out {
		ea, eb := 1.0, 1.0
		if za[o] != ma {
			ea = tensor.Exp(za[o] - ma)
		}
		if zb[o] != mb {
			eb = tensor.Exp(zb[o] - mb)
		}
		pa[o], pb[o] = ea, eb
		sa += ea
		sb += eb
	}
	var c float64
	for o := range out {
		pb[o] /= sb
		if ta[o] != 0 {
			c += ta[o] * tensor.Log(pa[o]/sa+loss.Delta)
		}
	}
	return -c
}

// crossEntropy returns the loss of the case forward evaluated last:
// loss.SoftmaxCrossEntropy's -Σ t·log(p + Delta), divided by a batch of 1.
func (f *fast64) crossEntropy() float64 {
	var c float64
	for j, tj := range f.t {
		if tj != 0 {
			c += tj * tensor.Log(f.p[j]+loss.Delta)
		}
	}
	return -c
}

// backward stores in the parameters' gradients the gradient of the loss
// of the case forward evaluated last, as Gradient's Backward calls do
// (affine1's Backward also computes the input's gradient, which is not
// needed). If step, it also adds alpha times each gradient to its
// parameter, as tensor.AddScaled does, once nothing reads the parameter's
// old value: Learn's update.
func (f *fast64) backward(step bool, alpha float64) {
	p, t, dz, w := f.p, f.t[:len(f.p)], f.dz[:len(f.p)], f.w[:len(f.p)]
	// loss.SoftmaxCrossEntropy's Backward: w_k = t_k p_k / (p_k + Delta),
	// S = Σ w_k, dz_j = (p_j S - w_j) / 1 (a division by 1 is exact and
	// left out).
	var s float64
	for k, pk := range p {
		w[k] = 0
		if t[k] != 0 {
			w[k] = t[k] * pk / (pk + loss.Delta)
			s += w[k]
		}
	}
	for j, pj := range p {
		dz[j] = pj*s - w[j]
	}
	// affine2's Backward: dh = 0 + dz·W2ᵀ, each element summed over the
	// outputs in increasing order from 0 (gemmSmall); dW2 = hᵀ·dz, an
	// outer product (gemmSmall's k == 1 case: 0 + (0 + h·dz), which is
	// 0 + h·dz); db2 = 0 + dz (SumRowsTo clears, then adds).
	out := f.out
	for q, hq := range f.hv {
		var sq float64
		for o, wv := range f.w2[q*out : (q+1)*out] {
			sq += float64(dz[o] * wv) // float64(): never fused into an FMA
		}
		// The sigmoid's Backward: da = dh·(1 - h)·h, in that order.
		f.da[q] = (0 + sq) * (1 - hq) * hq
	}
	for q, hq := range f.hv {
		w2, g2 := f.w2[q*out:(q+1)*out], f.g2[q*out:(q+1)*out]
		for o, d := range dz {
			g := 0 + float64(hq*d)
			g2[o] = g
			if step {
				w2[o] += float64(alpha * g)
			}
		}
	}
	for o, d := range dz {
		g := 0 + d
		f.gb2[o] = g
		if step {
			f.b2[o] += float64(alpha * g)
		}
	}
	// affine1's Backward, for the parameters: dW1 = xᵀ·da, db1 = 0 + da.
	hid := f.hid
	for i, xi := range f.x {
		w1, g1 := f.w1[i*hid:(i+1)*hid], f.g1[i*hid:(i+1)*hid]
		for q, d := range f.da {
			g := 0 + float64(xi*d)
			g1[q] = g
			if step {
				w1[q] += float64(alpha * g)
			}
		}
	}
	for q, d := range f.da {
		g := 0 + d
		f.gb1[q] = g
		if step {
			f.b1[q] += float64(alpha * g)
		}
	}
}

// learnBackprop is Learn with backpropagation for cases x [rows·in] and
// targets t [rows·out]. The loss after the update is computed only for
// record, side by side with the forward pass of the next step's case,
// which is drawn from pick before record is called (unless ctx is to be
// looked at first).
func (f *fast64) learnBackprop(ctx context.Context, x, t []float64, steps int, lr float64, pick *rng.MT, record func(step int, loss float64)) error {
	rows := len(x) / f.in
	alpha := -lr
	ready := -1 // the case forward last evaluated at the current parameters, if any
	k := -1     // the case of the step, if drawn ahead
	for i := 0; i < steps; i++ {
		if i&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if k < 0 {
			k = pick.Below(rows)
		}
		xk, tk := x[k*f.in:(k+1)*f.in], t[k*f.out:(k+1)*f.out]
		if k != ready {
			f.forward(xk, tk)
		}
		f.backward(true, alpha)
		ready = -1
		next := -1
		if record != nil && i+1 < steps && (i+1)&1023 != 0 {
			next = pick.Below(rows)
		}
		switch {
		case record == nil:
		case next < 0 || next == k:
			f.forward(xk, tk)
			ready = k
			record(i, f.crossEntropy())
		default:
			l := f.forwardPair(xk, tk, x[next*f.in:(next+1)*f.in], t[next*f.out:(next+1)*f.out])
			ready = next
			record(i, l)
		}
		k = next
	}
	return nil
}
