package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// TestStepAllocatesNothing checks that once its buffers exist Step
// allocates nothing.
func TestStepAllocatesNothing(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			eachType(t,
				func(t *testing.T) { checkAllocs[float32](t, name) },
				func(t *testing.T) { checkAllocs[float64](t, name) })
		})
	}
}

func checkAllocs[T tensor.Float](t *testing.T, name string) {
	params := testParams[T](1)
	quadGrad(params)
	o := configured[T](name)
	o.Step(params)
	if n := testing.AllocsPerRun(100, func() { o.Step(params) }); n != 0 {
		t.Errorf("Step allocates %v times per call", n)
	}
}

// TestStepPanics checks the programmer mistakes Step and the constructors
// catch.
func TestStepPanics(t *testing.T) {
	for _, name := range Names() {
		o := configured[float64](name)
		o.Step(testParams[float64](1))
		if name != "sgd" {
			mustPanic(t, name+" fewer params", func() { o.Step(testParams[float64](1)[:1]) })
			resized := testParams[float64](1)
			resized[1] = nn.NewParam("bias", tensor.New[float64](5), false)
			mustPanic(t, name+" resized param", func() { o.Step(resized) })
		}
		bad := testParams[float64](1)
		bad[0].Grad = tensor.New[float64](2)
		mustPanic(t, name+" gradient shape", func() { o.Step(bad) })
		mustPanic(t, name+" nil param", func() { o.Step([]*nn.Param[float64]{nil}) })
		mustPanic(t, name+" negative lr", func() { o.SetLR(-1) })
		mustPanic(t, name+" NaN lr", func() { o.SetLR(math.NaN()) })
		mustPanic(t, name+" infinite decay", func() { o.SetWeightDecay(math.Inf(1)) })
	}
	mustPanic(t, "momentum 1", func() { NewMomentum[float32](0.1, 1) })
	mustPanic(t, "nesterov -0.1", func() { NewNesterov[float32](0.1, -0.1) })
	mustPanic(t, "rmsprop decay NaN", func() { NewRMSprop[float32](0.1, math.NaN()) })
	mustPanic(t, "adam beta2 1", func() { NewAdam[float32](0.1, 0.9, 1) })
	mustPanic(t, "sgd lr -1", func() { NewSGD[float32](-1) })
}

func TestNew(t *testing.T) {
	for _, name := range Names() {
		for _, spelled := range []string{name, strings.ToUpper(name), strings.ToUpper(name[:1]) + name[1:]} {
			o, err := New[float32](spelled, 0.25)
			if err != nil {
				t.Fatalf("New(%q): %v", spelled, err)
			}
			if o.Name() != name || o.LR() != 0.25 || o.WeightDecay() != 0 || o.Steps() != 0 {
				t.Errorf("New(%q) = %s with LR %v, decay %v, steps %d", spelled, o.Name(), o.LR(), o.WeightDecay(), o.Steps())
			}
		}
	}
	_, err := New[float64]("lbfgs", 0.1)
	if err == nil || !strings.Contains(err.Error(), "sgd, momentum, nesterov, adagrad, rmsprop, adam") {
		t.Errorf("unknown name: %v", err)
	}
	for _, lr := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		if _, err := New[float64]("sgd", lr); err == nil {
			t.Errorf("lr %v: no error", lr)
		}
	}
	n := Names()
	n[0] = "changed"
	if Names()[0] != "sgd" {
		t.Error("Names returns shared storage")
	}
}

// TestDefaults checks that New uses the documented default
// hyperparameters.
func TestDefaults(t *testing.T) {
	want := map[string]map[string]float64{
		"momentum": {"momentum": 0.9},
		"nesterov": {"momentum": 0.9},
		"rmsprop":  {"decay": 0.99},
		"adam":     {"beta1": 0.9, "beta2": 0.999},
	}
	for name, hs := range want {
		o, _ := New[float64](name, 0.01)
		for k, v := range hs {
			if got := o.State().Hyper[k]; got != v {
				t.Errorf("%s: %s = %v, want %v", name, k, got, v)
			}
		}
	}
}

// BenchmarkStep measures one Step over a 784×50 weight and a 50 bias (the
// book's MNIST network's first layer), float32, after the buffers exist.
func BenchmarkStep(b *testing.B) {
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			params := []*nn.Param[float32]{
				nn.NewParam("weight", tensor.New[float32](784, 50), true),
				nn.NewParam("bias", tensor.New[float32](50), false),
			}
			quadGrad(params)
			o := configured[float32](name)
			o.Step(params)
			b.ResetTimer()
			for range b.N {
				o.Step(params)
			}
		})
	}
}
