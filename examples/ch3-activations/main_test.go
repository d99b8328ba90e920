package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestActivations(t *testing.T) {
	out := filepath.Join(t.TempDir(), "act.png")
	var b strings.Builder
	if err := run(&b, out); err != nil {
		t.Fatal(err)
	}
	// The book's values: sigmoid(-1) = 0.2689, sigmoid(1) = 0.7311, sigmoid(2) = 0.8808.
	for _, want := range []string{"  -1.0      0   0.2689   0.0", "   0.0      0   0.5000   0.0", "   1.0      1   0.7311   1.0", "   2.0      1   0.8808   2.0"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 1000 {
		t.Errorf("figure: %v", err)
	}
}
