package main

import (
	"strings"
	"testing"
)

// A smaller network than the program's 784-50-10, so that the numerical
// gradient takes milliseconds: the two gradients agree as the book's do.
func TestGradientCheck(t *testing.T) {
	var b strings.Builder
	if worst := run(&b, 20, 10, 10); worst > 1e-9 || worst == 0 {
		t.Errorf("largest mean difference %g, want (0, 1e-9]:\n%s", worst, b.String())
	}
	for _, p := range []string{"W1:", "b1:", "W2:", "b2:"} {
		if !strings.Contains(b.String(), p) {
			t.Errorf("output lacks %s:\n%s", p, b.String())
		}
	}
}
