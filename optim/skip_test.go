package optim

import (
	"math"
	"slices"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// TestNilGradSkipped steps every optimizer twice, the second time with the
// bias's gradient nil: the bias's value and buffers stay as the first step
// left them, the weight moves as it would alone, and the step count
// advances (DeZero's optimizers skip a parameter whose grad is None).
func TestNilGradSkipped(t *testing.T) {
	makers := map[string]func() Optimizer[float64]{
		"sgd":      func() Optimizer[float64] { return NewSGD[float64](0.1) },
		"momentum": func() Optimizer[float64] { return NewMomentum[float64](0.1, DefaultMomentum) },
		"nesterov": func() Optimizer[float64] { return NewNesterov[float64](0.1, DefaultMomentum) },
		"adagrad":  func() Optimizer[float64] { return NewAdaGrad[float64](0.1) },
		"rmsprop":  func() Optimizer[float64] { return NewRMSprop[float64](0.1, DefaultDecay) },
		"adam":     func() Optimizer[float64] { return NewAdam[float64](0.1, DefaultBeta1, DefaultBeta2) },
	}
	for name, mk := range makers {
		t.Run(name, func(t *testing.T) {
			o := mk()
			ps := testParams[float64](1)
			quadGrad(ps)
			o.Step(ps)
			quadGrad(ps)
			bias := slices.Clone(ps[1].Value.Data)
			before := o.State()
			grad := ps[1].Grad
			ps[1].Grad = nil
			o.Step(ps)
			ps[1].Grad = grad
			if !slices.Equal(ps[1].Value.Data, bias) {
				t.Fatalf("the skipped bias moved: %v, was %v", ps[1].Value.Data, bias)
			}
			after := o.State()
			for k, bufs := range after.Slots {
				if !slices.Equal(bufs[1], before.Slots[k][1]) {
					t.Fatalf("the skipped bias's buffer %q changed", k)
				}
				if slices.Equal(bufs[0], before.Slots[k][0]) {
					t.Fatalf("the weight's buffer %q did not change", k)
				}
			}
			if o.Steps() != 2 {
				t.Fatalf("Steps = %d, want 2", o.Steps())
			}
		})
	}
}

// TestAdamEps checks SetEps against the formula on one step from zero
// moments: w − η·√(1−β2)/(1−β1)·(1−β1)g / (√((1−β2)g²) + ε).
func TestAdamEps(t *testing.T) {
	for _, eps := range []float64{Eps, 1e-8, 0.5} {
		o := NewAdam[float64](0.01, DefaultBeta1, DefaultBeta2)
		o.SetEps(eps)
		if o.Eps() != eps {
			t.Fatalf("Eps() = %v, want %v", o.Eps(), eps)
		}
		g := 1e-6
		p := nn.NewParam("w", tensor.FromSlice([]float64{1}, 1), false)
		p.Grad.Data[0] = g
		o.Step([]*nn.Param[float64]{p})
		lrt := 0.01 * math.Sqrt(1-DefaultBeta2) / (1 - DefaultBeta1)
		want := 1 - lrt*(1-DefaultBeta1)*g/(math.Sqrt((1-DefaultBeta2)*g*g)+eps)
		if d := math.Abs(p.Value.Data[0] - want); d > 1e-15 {
			t.Fatalf("eps %v: w = %v, want %v", eps, p.Value.Data[0], want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("SetEps(0) did not panic")
		}
	}()
	NewAdam[float64](0.01, DefaultBeta1, DefaultBeta2).SetEps(0)
}

// TestAdamFloat32 checks that SetFloat32 leaves float32 values in the
// parameters and moments of a float64 Adam, and that off it changes
// nothing (the default's bits are kept).
func TestAdamFloat32(t *testing.T) {
	run := func(f32 bool) []*nn.Param[float64] {
		o := NewAdam[float64](0.01, DefaultBeta1, DefaultBeta2)
		o.SetFloat32(f32)
		ps := testParams[float64](2)
		for range 3 {
			quadGrad(ps)
			o.Step(ps)
		}
		if f32 {
			for k, bufs := range o.State().Slots {
				for _, b := range bufs {
					for _, x := range b {
						if float64(float32(x)) != x {
							t.Fatalf("buffer %q holds %v, not a float32 value", k, x)
						}
					}
				}
			}
		}
		return ps
	}
	for _, p := range run(true) {
		for _, x := range p.Value.Data {
			if float64(float32(x)) != x {
				t.Fatalf("%s holds %v, not a float32 value", p.Name, x)
			}
		}
	}
	a, b := run(false), testParams[float64](2)
	o := NewAdam[float64](0.01, DefaultBeta1, DefaultBeta2)
	for range 3 {
		quadGrad(b)
		o.Step(b)
	}
	for i := range a {
		if !slices.Equal(a[i].Value.Data, b[i].Value.Data) {
			t.Fatal("SetFloat32(false) changed the bits")
		}
	}
}
