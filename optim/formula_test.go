package optim

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// The hyperparameters of the formula tests: not the defaults, so that a
// hard-coded constant would show.
const (
	refMomentum = 0.8
	refDecay    = 0.9
	refBeta1    = 0.8
	refBeta2    = 0.99
	refLambda   = 0.1
)

// refOptimizer re-implements one optimizer for scalars, written from the
// formulas as a textbook states them rather than in the package's order of
// operations (Adam's moments as β·m + (1−β)·g, Nesterov expanded), in
// float64. update returns the new w for element k given its gradient
// (weight decay already added) and the learning rate; step is Adam's t.
type refOptimizer struct {
	name string
	a, b map[int]float64 // v or h; Adam's m and v
}

func newRef(name string) *refOptimizer {
	return &refOptimizer{name: name, a: map[int]float64{}, b: map[int]float64{}}
}

func (r *refOptimizer) update(k, step int, w, g, lr float64) float64 {
	switch r.name {
	case "sgd": // (6.1)
		return w - lr*g
	case "momentum": // (6.3), (6.4)
		r.a[k] = refMomentum*r.a[k] - lr*g
		return w + r.a[k]
	case "nesterov": // the book's code, expanded: w + α³·v_old − (1+α+α²)·η·g
		a, old := refMomentum, r.a[k]
		r.a[k] = a*old - lr*g
		return w + a*a*a*old - (1+a+a*a)*lr*g
	case "adagrad": // (6.5), (6.6)
		r.a[k] += g * g
		return w - lr*g/(math.Sqrt(r.a[k])+1e-7)
	case "rmsprop":
		r.a[k] = refDecay*r.a[k] + (1-refDecay)*g*g
		return w - lr*g/(math.Sqrt(r.a[k])+1e-7)
	case "adam": // Kingma and Ba §2, with the bias corrections in the step size
		r.a[k] = refBeta1*r.a[k] + (1-refBeta1)*g
		r.b[k] = refBeta2*r.b[k] + (1-refBeta2)*g*g
		t := float64(step)
		lrt := lr * math.Sqrt(1-math.Pow(refBeta2, t)) / (1 - math.Pow(refBeta1, t))
		return w - lrt*r.a[k]/(math.Sqrt(r.b[k])+1e-7)
	}
	panic("unknown optimizer " + r.name)
}

// newWithRefHypers returns the optimizer called name with the reference
// hyperparameters.
func newWithRefHypers[T tensor.Float](name string, lr float64) Optimizer[T] {
	switch name {
	case "sgd":
		return NewSGD[T](lr)
	case "momentum":
		return NewMomentum[T](lr, refMomentum)
	case "nesterov":
		return NewNesterov[T](lr, refMomentum)
	case "adagrad":
		return NewAdaGrad[T](lr)
	case "rmsprop":
		return NewRMSprop[T](lr, refDecay)
	case "adam":
		return NewAdam[T](lr, refBeta1, refBeta2)
	}
	panic("unknown optimizer " + name)
}

// TestStepMatchesFormula runs each optimizer for 6 steps on random
// gradients, with weight decay on the weight and a learning rate halved
// after step 3, and compares every element with the scalar reference.
// Tolerances: float64 agrees to 1e-12 (only the order of roundings
// differs); float32 to 2e-5 relative, a few hundred float32 ulps: the
// package computes in float32 and the reference in float64, and AdaGrad's
// and RMSprop's first steps amplify relative errors of g by about 10.
func TestStepMatchesFormula(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			eachType(t,
				func(t *testing.T) { checkFormula[float32](t, name, 2e-5) },
				func(t *testing.T) { checkFormula[float64](t, name, 1e-12) })
		})
	}
}

func checkFormula[T tensor.Float](t *testing.T, name string, tol float64) {
	params := testParams[T](1)
	o := newWithRefHypers[T](name, 0.05)
	o.SetWeightDecay(refLambda)
	ref := newRef(name)
	want := make([]float64, 0, 16)
	for _, p := range params {
		for _, w := range p.Value.Data {
			want = append(want, float64(w))
		}
	}
	r := rng.NewNumpy(7)
	for step := 1; step <= 6; step++ {
		lr := 0.05
		if step > 3 {
			lr = 0.025
		}
		o.SetLR(lr)
		k := 0
		for _, p := range params {
			for j := range p.Grad.Data {
				g := T(r.Norm())
				p.Grad.Data[j] = g
				gd := float64(g)
				if p.Decay {
					gd += refLambda * want[k]
				}
				want[k] = ref.update(k, step, want[k], gd, lr)
				k++
			}
		}
		o.Step(params)
		k = 0
		for _, p := range params {
			for j, w := range p.Value.Data {
				if !close(float64(w), want[k], tol) {
					t.Fatalf("step %d: %s[%d] = %v, want %v", step, p.Name, j, w, want[k])
				}
				k++
			}
		}
	}
	if o.Steps() != 6 {
		t.Errorf("Steps() = %d, want 6", o.Steps())
	}
}

// TestMinimizesQuadratic runs each optimizer on f(w) = Σ (w − c)² from a
// seeded start (w ~ N(0, 3²), 16 elements) and requires every element
// within 1e-3 of c. The learning rate is annealed to 0 by a Cosine
// schedule: with a constant rate RMSprop and Adam keep hovering about the
// minimum (their step is about η however small g gets). The rates and step
// counts are each a few times past what reaches 1e-6 on this seed in
// float64.
func TestMinimizesQuadratic(t *testing.T) {
	cases := []struct {
		name  string
		lr    float64
		steps int
	}{
		{"sgd", 0.1, 300},
		{"momentum", 0.1, 300},
		{"nesterov", 0.03, 300},
		{"adagrad", 1, 300},
		{"rmsprop", 0.1, 300},
		{"adam", 0.3, 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachType(t,
				func(t *testing.T) { checkQuadratic[float32](t, c.name, c.lr, c.steps) },
				func(t *testing.T) { checkQuadratic[float64](t, c.name, c.lr, c.steps) })
		})
	}
}

func checkQuadratic[T tensor.Float](t *testing.T, name string, lr float64, steps int) {
	const tol = 1e-3
	params := testParams[T](2)
	for _, p := range params {
		tensor.FillNormal(p.Value, rng.NewNumpy(3), 0, 3)
	}
	o, err := New[T](name, lr)
	if err != nil {
		t.Fatal(err)
	}
	sched := Cosine{Base: lr, Total: steps}
	for s := range steps {
		ApplySchedule(o, sched, s)
		quadGrad(params)
		o.Step(params)
	}
	for _, p := range params {
		for j, w := range p.Value.Data {
			if d := math.Abs(float64(w - target[T](j))); d > tol || math.IsNaN(d) {
				t.Fatalf("%s[%d] = %v after %d steps, %v from the minimum %v", p.Name, j, w, steps, d, target[T](j))
			}
		}
	}
}
