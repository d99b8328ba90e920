package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The quick start learns the circle and keeps what it learned through a
// model file.
func TestQuickstart(t *testing.T) {
	var b strings.Builder
	if err := run(&b, filepath.Join(t.TempDir(), "circle.kiso")); err != nil {
		t.Fatal(err)
	}
	// Measured 97% and 1.00/0.00.
	out := b.String()
	if !strings.Contains(out, "after 100 epochs: 9") || !strings.Contains(out, "at (0,0): 1.00, at (5,5): 0.00") {
		t.Errorf("output:\n%s", out)
	}
}
