package main

import (
	"strings"
	"testing"
)

func TestTruthTables(t *testing.T) {
	var b strings.Builder
	run(&b)
	want := `x1 x2  AND NAND OR  XOR
 0  0    0    1  0    0
 1  0    0    1  1    1
 0  1    0    1  1    1
 1  1    1    0  1    0
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
