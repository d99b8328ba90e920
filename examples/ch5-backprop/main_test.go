package main

import (
	"strings"
	"testing"
)

// The book's figures: price 715; dApple 2.2, dAppleNum 110, dOrange 3.3,
// dOrangeNum 165, dTax 650.
func TestBackprop(t *testing.T) {
	var b strings.Builder
	worst := run(&b)
	for _, want := range []string{"price 715\n", "dApple 2.2, dAppleNum 110, dOrange 3.3, dOrangeNum 165, dTax 650\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
	// A linear function's central difference is exact up to rounding.
	if worst > 1e-8 {
		t.Errorf("Linear's backward vs central differences: %g", worst)
	}
}
