package main

import (
	"strings"
	"testing"
)

// The book prints [0.31682708 0.69627909].
func TestForward(t *testing.T) {
	var b strings.Builder
	run(&b)
	if want := "x = [1.0 0.5] -> y = [0.31682708 0.69627909]\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
