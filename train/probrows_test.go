package train

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
)

// TestProbRows checks ProbRows on a linear classifier of known weights:
// three classes whose logits are x, y and 0, so that the probabilities of
// a point are softmax(x, y, 0), row by row.
func TestProbRows(t *testing.T) {
	lin := nn.NewLinear[float64](2, 3)
	copy(lin.W.Value.Data, []float64{1, 0, 0, 0, 1, 0}) // W [in 2, out 3]
	rows := ProbRows[float64](lin)
	xy := []float64{0, 0, 1, -2, -3, 0.5}
	got := rows(xy, 3)
	if len(got) != 9 {
		t.Fatalf("%d probabilities for 3 points of 3 classes, want 9", len(got))
	}
	for i := range 3 {
		x, y := xy[2*i], xy[2*i+1]
		z := math.Exp(x) + math.Exp(y) + 1
		want := []float64{math.Exp(x) / z, math.Exp(y) / z, 1 / z}
		for k := range 3 {
			if math.Abs(got[3*i+k]-want[k]) > 1e-15 {
				t.Errorf("point (%g, %g) class %d: %v, want %v", x, y, k, got[3*i+k], want[k])
			}
		}
	}
	// A second call of another size gives the first call's rows unchanged.
	if again := rows(xy[:2], 1); len(again) != 3 || again[0] != got[0] || again[2] != got[2] {
		t.Errorf("second call of one point: %v, want %v", again, got[:3])
	}
	defer func() {
		if recover() == nil {
			t.Error("ProbRows given 3 coordinates for 2 points did not panic")
		}
	}()
	rows(xy[:3], 2)
}
