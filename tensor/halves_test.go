package tensor

import "testing"

// TestHalvesRanges checks that Run covers [0, n) with the two halves
// [0, n/2) and [n/2, n), named 0 and 1, whether it runs them at once or
// one after the other, and that a nil F is a programmer's mistake.
func TestHalvesRanges(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		for _, large := range []bool{false, true} {
			var got [2][2]int
			h := Halves{F: func(i, lo, hi int) { got[i] = [2]int{lo, hi} }}
			h.Run(n, large)
			if want := [2][2]int{{0, n / 2}, {n / 2, n}}; got != want {
				t.Errorf("n=%d large=%v: halves %v, want %v", n, large, got, want)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Run with a nil F did not panic")
		}
	}()
	var h Halves
	h.Run(4, false)
}
