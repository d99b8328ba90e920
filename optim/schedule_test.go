package optim

import (
	"math"
	"testing"
)

func TestSchedules(t *testing.T) {
	const base, min = 0.1, 0.001
	cases := []struct {
		name string
		s    Schedule
		step int
		want float64
	}{
		{"constant 0", Constant(0.3), 0, 0.3},
		{"constant 1000", Constant(0.3), 1000, 0.3},
		// StepDecay: Base times Gamma once for every full Every steps.
		{"step 0", StepDecay{Base: base, Every: 10, Gamma: 0.5}, 0, base},
		{"step 9", StepDecay{Base: base, Every: 10, Gamma: 0.5}, 9, base},
		{"step 10", StepDecay{Base: base, Every: 10, Gamma: 0.5}, 10, base * 0.5},
		{"step 25", StepDecay{Base: base, Every: 10, Gamma: 0.5}, 25, base * 0.5 * 0.5},
		{"step 30 gamma 0.1", StepDecay{Base: base, Every: 10, Gamma: 0.1}, 30, base * 0.1 * 0.1 * 0.1},
		// Cosine: Base at 0, the midpoint halfway, Min from Total on; at a
		// quarter cos(π/4) = √2/2.
		{"cosine 0", Cosine{Base: base, Min: min, Total: 100}, 0, base},
		{"cosine 25", Cosine{Base: base, Min: min, Total: 100}, 25, min + (base-min)*(1+math.Sqrt2/2)/2},
		{"cosine 50", Cosine{Base: base, Min: min, Total: 100}, 50, (base + min) / 2},
		{"cosine 75", Cosine{Base: base, Min: min, Total: 100}, 75, min + (base-min)*(1-math.Sqrt2/2)/2},
		{"cosine 100", Cosine{Base: base, Min: min, Total: 100}, 100, min},
		{"cosine 150", Cosine{Base: base, Min: min, Total: 100}, 150, min},
	}
	for _, c := range cases {
		if got := c.s.LR(c.step); !close(got, c.want, 1e-14) {
			t.Errorf("%s: LR(%d) = %v, want %v", c.name, c.step, got, c.want)
		}
	}
}

func TestCosineDecreases(t *testing.T) {
	c := Cosine{Base: 1, Min: 0.1, Total: 37}
	prev := math.Inf(1)
	for s := 0; s <= 40; s++ {
		lr := c.LR(s)
		if lr > prev || lr < c.Min {
			t.Fatalf("LR(%d) = %v after %v: want non-increasing and >= Min", s, lr, prev)
		}
		prev = lr
	}
}

func TestApplySchedule(t *testing.T) {
	o := NewSGD[float32](1)
	s := StepDecay{Base: 0.2, Every: 3, Gamma: 0.5}
	for step := range 10 {
		got := ApplySchedule(o, s, step)
		if got != s.LR(step) || o.LR() != got {
			t.Fatalf("step %d: ApplySchedule = %v, LR() = %v, want %v", step, got, o.LR(), s.LR(step))
		}
	}
}

func TestSchedulePanics(t *testing.T) {
	mustPanic(t, "StepDecay Every 0", func() { StepDecay{Base: 1, Gamma: 0.5}.LR(1) })
	mustPanic(t, "Cosine Total 0", func() { Cosine{Base: 1}.LR(1) })
	mustPanic(t, "negative step", func() { Cosine{Base: 1, Total: 5}.LR(-1) })
	mustPanic(t, "negative rate", func() { ApplySchedule(NewSGD[float64](1), Constant(-1), 0) })
}
