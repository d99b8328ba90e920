package optim

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// configured returns the optimizer called name with non-default settings
// everywhere, so that a resume that lost one would show.
func configured[T tensor.Float](name string) Optimizer[T] {
	o := newWithRefHypers[T](name, 0.03)
	o.SetWeightDecay(0.01)
	return o
}

// runSteps takes n Steps of o on the quadratic of quadGrad.
func runSteps[T tensor.Float](o Optimizer[T], params []*nn.Param[T], n int) {
	for range n {
		quadGrad(params)
		o.Step(params)
	}
}

// TestResumeBitIdentical runs each optimizer 10 steps straight, and 5
// steps, then State, MarshalBinary, UnmarshalBinary, FromState into a fresh
// optimizer on copies of the parameters, then 5 more: values and states
// must be identical bit for bit.
func TestResumeBitIdentical(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			eachType(t,
				func(t *testing.T) { checkResume[float32](t, name) },
				func(t *testing.T) { checkResume[float64](t, name) })
		})
	}
}

func checkResume[T tensor.Float](t *testing.T, name string) {
	straight := testParams[T](5)
	a := configured[T](name)
	runSteps(a, straight, 10)

	resumed := testParams[T](5)
	b := configured[T](name)
	runSteps(b, resumed, 5)
	blob, err := b.State().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// What a trainer's checkpoint holds: the parameters and the state,
	// loaded into fresh objects.
	saved := make([]*nn.Param[T], len(resumed))
	for i, p := range resumed {
		saved[i] = nn.NewParam(p.Name, p.Value.Clone(), p.Decay)
	}
	var st State
	if err := st.UnmarshalBinary(blob); err != nil {
		t.Fatal(err)
	}
	if err := CheckState(st, saved); err != nil {
		t.Fatal(err)
	}
	c, err := FromState[T](st)
	if err != nil {
		t.Fatal(err)
	}
	runSteps(c, saved, 5)

	for i, p := range straight {
		for j, w := range p.Value.Data {
			if got := saved[i].Value.Data[j]; math.Float64bits(float64(got)) != math.Float64bits(float64(w)) {
				t.Fatalf("%s[%d]: resumed %v, straight %v", p.Name, j, got, w)
			}
		}
	}
	if sa, sc := a.State(), c.State(); !reflect.DeepEqual(sa, sc) {
		t.Errorf("states differ after resume:\nstraight %+v\nresumed  %+v", sa, sc)
	}
	if c.Steps() != 10 || c.LR() != a.LR() || c.WeightDecay() != a.WeightDecay() {
		t.Errorf("resumed Steps %d, LR %v, WeightDecay %v; want 10, %v, %v",
			c.Steps(), c.LR(), c.WeightDecay(), a.LR(), a.WeightDecay())
	}
}

// TestStateBeforeFirstStep: a State taken before any Step has no buffers
// and resumes like a fresh optimizer.
func TestStateBeforeFirstStep(t *testing.T) {
	o := configured[float64]("adam")
	st := o.State()
	if len(st.Slots) != 0 || st.Steps != 0 {
		t.Fatalf("fresh state has Steps %d and %d buffers", st.Steps, len(st.Slots))
	}
	c, err := FromState[float64](st)
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := testParams[float64](6), testParams[float64](6)
	runSteps(o, p1, 3)
	runSteps(c, p2, 3)
	if d := tensor.MaxAbsDiff(p1[0].Value, p2[0].Value); d != 0 {
		t.Errorf("paths differ by %v", d)
	}
}

// TestStateIsACopy: changing a State does not change the optimizer.
func TestStateIsACopy(t *testing.T) {
	o := configured[float32]("momentum")
	runSteps(o, testParams[float32](1), 2)
	st := o.State()
	st.Slots["v"][0][0] = 42
	st.Hyper["lr"] = 42
	if again := o.State(); again.Slots["v"][0][0] == 42 || o.LR() == 42 {
		t.Error("State shares memory with the optimizer")
	}
}

func TestLoadStateErrors(t *testing.T) {
	o := configured[float64]("adam")
	runSteps(o, testParams[float64](1), 2)
	good := o.State()
	cases := []struct {
		name   string
		edit   func(s *State)
		target string
		want   string
	}{
		{"other optimizer", func(s *State) {}, "momentum", `state is for "adam", not "momentum"`},
		{"negative steps", func(s *State) { s.Steps = -1 }, "adam", "negative step count"},
		{"missing hyper", func(s *State) { delete(s.Hyper, "beta2") }, "adam", `missing hyperparameter "beta2"`},
		{"unknown hyper", func(s *State) { s.Hyper["gamma"] = 1 }, "adam", `unknown hyperparameter "gamma"`},
		{"bad beta", func(s *State) { s.Hyper["beta1"] = 1 }, "adam", "beta1 = 1, want in [0, 1)"},
		{"NaN lr", func(s *State) { s.Hyper["lr"] = math.NaN() }, "adam", "lr = NaN"},
		{"missing buffer", func(s *State) { delete(s.Slots, "m") }, "adam", `missing buffer "m"`},
		{"unknown buffer", func(s *State) { s.Slots["h"] = s.Slots["m"] }, "adam", `unknown buffer "h"`},
		{"buffer count", func(s *State) { s.Slots["v"] = s.Slots["v"][:1] }, "adam", `buffer "v" holds 1 parameters`},
		{"buffer size", func(s *State) { s.Slots["v"][1] = s.Slots["v"][1][:2] }, "adam", `buffer "v" of parameter 1 has 2 elements`},
	}
	for _, c := range cases {
		s := cloneState(good)
		c.edit(&s)
		target := configured[float64](c.target)
		before := target.State()
		err := target.LoadState(s)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "optim: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if !reflect.DeepEqual(target.State(), before) {
			t.Errorf("%s: failed LoadState changed the optimizer", c.name)
		}
	}
}

func cloneState(s State) State {
	var c State
	b, _ := s.MarshalBinary()
	if err := c.UnmarshalBinary(b); err != nil {
		panic(err)
	}
	return c
}

func TestCheckStateMismatch(t *testing.T) {
	o := configured[float32]("rmsprop")
	runSteps(o, testParams[float32](1), 1)
	st := o.State()
	if err := CheckState(st, testParams[float32](1)[:1]); err == nil || !strings.Contains(err.Error(), "holds 2 parameters, the model has 1") {
		t.Errorf("fewer parameters: %v", err)
	}
	other := testParams[float32](1)
	other[1] = nn.NewParam("bias", tensor.New[float32](5), false)
	if err := CheckState(st, other); err == nil || !strings.Contains(err.Error(), `holds 4 elements for parameter 1 ("bias"), which has 5`) {
		t.Errorf("resized parameter: %v", err)
	}
}

func TestUnmarshalBinaryErrors(t *testing.T) {
	o := configured[float64]("nesterov")
	runSteps(o, testParams[float64](1), 1)
	b, _ := o.State().MarshalBinary()
	var s State
	for n := range len(b) {
		if err := s.UnmarshalBinary(b[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(b))
		}
	}
	if err := s.UnmarshalBinary(append(b[:len(b):len(b)], 0)); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Errorf("trailing byte: %v", err)
	}
	bad := append([]byte(nil), b...)
	bad[0] = 'K'
	if err := s.UnmarshalBinary(bad); err == nil || !strings.Contains(err.Error(), "magic") {
		t.Errorf("bad magic: %v", err)
	}
	if err := s.UnmarshalBinary(b); err != nil || !reflect.DeepEqual(s, o.State()) {
		t.Errorf("round trip: %v, %+v", err, s)
	}
}
