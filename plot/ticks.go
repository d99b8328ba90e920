package plot

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels a linear axis at about want round values: multiples of
// 1, 2 or 5 times a power of ten, written with no more digits than the step
// needs, and marks minor ticks between them.
type niceTicks struct{ want int }

// Ticks implements plot.Ticker. It panics if lo > hi.
func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo > hi {
		panic(fmt.Sprintf("plot: axis range [%g, %g] is reversed", lo, hi))
	}
	step, minor := niceStep(lo, hi, max(2, t.want))
	if step == 0 {
		return []plot.Tick{{Value: lo, Label: formatTick(lo, 0)}}
	}
	digits := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ticks []plot.Tick
	for k := math.Ceil(lo/minor - 1e-9); ; k++ {
		v := k * minor
		if v > hi+1e-9*minor {
			break
		}
		tk := plot.Tick{Value: v}
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			tk.Value = math.Round(r) * step // exact multiples, no 0.30000000000000004
			tk.Label = formatTick(tk.Value, digits)
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// niceStep returns the step of the form 1, 2 or 5 times a power of ten
// whose multiples in [lo, hi] number closest to want (the larger step on a
// tie), and the step of the minor ticks within it. It returns zeros for an
// empty or infinite range.
func niceStep(lo, hi float64, want int) (step, minor float64) {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return 0, 0
	}
	p := math.Pow(10, math.Floor(math.Log10(span/float64(want))))
	best := math.Inf(1)
	for _, c := range []struct{ step, minor float64 }{
		{p / 2, p / 10}, {p, p / 5}, {2 * p, p / 2}, {5 * p, p}, {10 * p, 2 * p},
	} {
		n := math.Floor(hi/c.step+1e-9) - math.Ceil(lo/c.step-1e-9) + 1
		if d := math.Abs(n - float64(want)); d <= best {
			best, step, minor = d, c.step, c.minor
		}
	}
	return step, minor
}

// formatTick writes v with the given number of decimals, or in exponent
// form when it is very large or very small.
func formatTick(v float64, digits int) string {
	if v == 0 {
		v = 0 // not -0
	}
	if a := math.Abs(v); a >= 1e6 || digits > 5 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// setLog switches axis a to a logarithmic scale with readable ticks.
func setLog(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
}

// fixLogRange makes a log axis' range drawable: positive and not empty.
// It is called after all data has been added.
func fixLogRange(a *plot.Axis) {
	if !(a.Min > 0 && a.Max > 0) || math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) {
		a.Min, a.Max = 1, 10
	}
	if a.Min == a.Max {
		a.Min, a.Max = a.Min/2, a.Max*2
	}
}

// logTicks labels a log axis with powers of ten (every other one or fewer
// beyond six decades), adding 2 and 5 times them within three
// decades and all multiples within 1.2, so that every axis shows at least
// two labels; unlabelled ticks mark the other integer multiples. A range
// too narrow for that gets linear round values.
type logTicks struct{}

// Ticks implements plot.Ticker. It panics if lo or hi is not positive.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0 && hi > 0) {
		panic(fmt.Sprintf("plot: log axis range [%g, %g] is not positive", lo, hi))
	}
	elo := int(math.Floor(math.Log10(lo)))
	ehi := int(math.Ceil(math.Log10(hi)))
	span := math.Log10(hi / lo) // decades covered
	labelled := map[int]bool{1: true}
	switch {
	case span <= 1.2:
		for i := 2; i <= 9; i++ {
			labelled[i] = true
		}
	case span <= 3:
		labelled[2], labelled[5] = true, true
	}
	every := max(1, int(math.Ceil(span/6))) // label at most about 6 powers of ten
	var ticks []plot.Tick
	n := 0 // labels
	for e := elo; e <= ehi; e++ {
		for i := 1; i <= 9; i++ {
			v := float64(i) * math.Pow10(e)
			if e < 0 {
				v = float64(i) / math.Pow10(-e) // 0.3, not 0.30000000000000004
			}
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled[i] && (i != 1 || e%every == 0) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
			if t.Label != "" {
				n++
			}
		}
	}
	if n < 2 { // a narrow range: round values serve better than multiples
		return niceTicks{want: 5}.Ticks(lo, hi)
	}
	return ticks
}
