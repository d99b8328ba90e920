package experiment

import (
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/rng"
)

// TestSmoothMatchesTheBook runs the book's smooth_curve (common/util.py)
// with numpy on the same series.
func TestSmoothMatchesTheBook(t *testing.T) {
	py := tools.Python(t, "numpy")
	r := rng.NewNumpy(3)
	xs := make([]float64, 40)
	strs := make([]string, len(xs))
	for i := range xs {
		xs[i] = r.Norm()
		strs[i] = strconv.FormatFloat(xs[i], 'g', -1, 64)
	}
	script := `
import numpy as np
x = np.array([` + strings.Join(strs, ",") + `])
window_len = 11
s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
w = np.kaiser(window_len, 2)
y = np.convolve(w/w.sum(), s, mode='valid')
print(" ".join(repr(float(v)) for v in y[5:len(y)-5]))
`
	out, err := exec.Command(py, "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	fields := strings.Fields(string(out))
	got := smooth(xs)
	if len(fields) != len(got) {
		t.Fatalf("numpy gives %d values, smooth %d", len(fields), len(got))
	}
	for i, f := range fields {
		want, _ := strconv.ParseFloat(f, 64)
		if math.Abs(got[i]-want) > 1e-13 {
			t.Errorf("smooth[%d] = %.17g, numpy %.17g", i, got[i], want)
		}
	}
}

func TestSmoothKeepsConstantsAndShortSeries(t *testing.T) {
	c := make([]float64, 30)
	for i := range c {
		c[i] = 2.5
	}
	for i, v := range smooth(c) {
		if math.Abs(v-2.5) > 1e-15 {
			t.Fatalf("smooth of a constant: [%d] = %v", i, v)
		}
	}
	short := []float64{1, 5, 2}
	if got := smooth(short); len(got) != 3 || got[1] != 5 {
		t.Errorf("smooth(%v) = %v, want a copy", short, got)
	}
}
