package plot

import (
	"math"
	"strconv"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   int
		labels []string
	}{
		{0, 29999, 7, []string{"0", "5000", "10000", "15000", "20000", "25000"}},
		{-0.04, 0.97, 6, []string{"0.0", "0.2", "0.4", "0.6", "0.8"}},
		{0.86, 0.96, 6, []string{"0.86", "0.88", "0.90", "0.92", "0.94", "0.96"}},
		{-10, 10, 5, []string{"-10", "-5", "0", "5", "10"}},
		{1, 10, 7, []string{"2", "4", "6", "8", "10"}},
		{3e6, 9e6, 4, []string{"4e+06", "6e+06", "8e+06"}},
	} {
		ticks := niceTicks{want: tc.want}.Ticks(tc.lo, tc.hi)
		var labels []string
		for i, tk := range ticks {
			if tk.Value < tc.lo || tk.Value > tc.hi {
				t.Errorf("[%g, %g]: tick %g outside the range", tc.lo, tc.hi, tk.Value)
			}
			if i > 0 && !(tk.Value > ticks[i-1].Value) {
				t.Errorf("[%g, %g]: ticks not increasing at %g", tc.lo, tc.hi, tk.Value)
			}
			if tk.Label != "" {
				labels = append(labels, tk.Label)
				if v, err := strconv.ParseFloat(tk.Label, 64); err != nil || math.Abs(v-tk.Value) > 1e-12*math.Max(1, math.Abs(v)) {
					t.Errorf("label %q for value %g", tk.Label, tk.Value)
				}
			}
		}
		if !equalStrings(labels, tc.labels) {
			t.Errorf("[%g, %g] want %d: labels %q, want %q", tc.lo, tc.hi, tc.want, labels, tc.labels)
		}
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		labels []string
	}{
		{0.2, 0.7, []string{"0.2", "0.3", "0.4", "0.5", "0.6", "0.7"}},
		{0.02, 4, []string{"0.02", "0.05", "0.1", "0.2", "0.5", "1", "2"}},
		{1e-6, 0.1, []string{"1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1"}},
		{1e-9, 1e3, []string{"1e-08", "1e-06", "0.0001", "0.01", "1", "100"}},
		{0.21, 0.29, []string{"0.22", "0.24", "0.26", "0.28"}},
	} {
		var labels []string
		for _, tk := range (logTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Value < tc.lo*(1-1e-9) || tk.Value > tc.hi*(1+1e-9) {
				t.Errorf("[%g, %g]: tick %g outside the range", tc.lo, tc.hi, tk.Value)
			}
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if !equalStrings(labels, tc.labels) {
			t.Errorf("[%g, %g]: labels %q, want %q", tc.lo, tc.hi, labels, tc.labels)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
