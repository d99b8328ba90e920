package main

import (
	"math"
	"strings"
	"testing"
)

// The book's figures: f'(5) ≈ 0.1999999999990898 (digit for digit; its
// f'(10), 0.2999999999986347, comes from x**2, here x*x: 0.29999999999974);
// gradients [6 8], [0 4], [6 0]; gradient descent ends at
// [-6.11110793e-10 8.14814391e-10].
func TestNumericalDifferentiation(t *testing.T) {
	if d := numericalDiff(function1, 5); math.Abs(d-0.2) > 1e-9 {
		t.Errorf("f'(5) = %v", d)
	}
	var b strings.Builder
	run(&b)
	for _, want := range []string{
		"f'(5) ≈ 0.1999999999990898,", "at (3, 4): [6.0000 8.0000]", "at (0, 2): [0.0000 4.0000]", "at (3, 0): [6.0000 0.0000]",
		"100 steps: [-6.111e-10 8.148e-10]",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
