package rng

import (
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
)

func TestRandint(t *testing.T) {
	// np.random.seed(1984); [np.random.randint(1, 4) for _ in range(10)],
	// then np.random.randint(0, 10) five times (numpy 1.24).
	r := NewNumpy(1984)
	var got []int
	for range 10 {
		got = append(got, r.Randint(1, 4))
	}
	for range 5 {
		got = append(got, r.Randint(0, 10))
	}
	want := []int{1, 2, 1, 3, 1, 3, 3, 2, 3, 2, 0, 1, 5, 7, 6}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("randint = %v, want %v", got, want)
	}
	if g := NewNumpy(3).Randint(5, 6); g != 5 {
		t.Errorf("randint(5, 6) = %d", g)
	}
}

// TestNumpyAgainstLivePython compares Randint and NumpyShuffle with numpy
// itself over ranges of several bit lengths.
func TestNumpyAgainstLivePython(t *testing.T) {
	py := tools.Python(t, "numpy")
	const prog = `
import numpy as np
np.random.seed(11)
print(' '.join(str(np.random.randint(lo, hi)) for lo, hi in [(0, 1), (0, 2), (3, 9), (-5, 5), (719163, 736695), (0, 2**32), (0, 1000)] * 50))
a = np.arange(1000); np.random.shuffle(a); print(' '.join(map(str, a)))
`
	out, err := exec.Command(py, "-c", prog).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	r := NewNumpy(11)
	ranges := [][2]int{{0, 1}, {0, 2}, {3, 9}, {-5, 5}, {719163, 736695}, {0, 1 << 32}, {0, 1000}}
	for i, f := range strings.Fields(lines[0]) {
		w, _ := strconv.Atoi(f)
		lh := ranges[i%len(ranges)]
		if g := r.Randint(lh[0], lh[1]); g != w {
			t.Fatalf("draw %d: randint(%d, %d) = %d, numpy says %d", i, lh[0], lh[1], g, w)
		}
	}
	a := make([]int, 1000)
	for i := range a {
		a[i] = i
	}
	r.NumpyShuffle(len(a), func(i, j int) { a[i], a[j] = a[j], a[i] })
	for i, f := range strings.Fields(lines[1]) {
		if w, _ := strconv.Atoi(f); a[i] != w {
			t.Fatalf("shuffle[%d] = %d, numpy says %d", i, a[i], w)
		}
	}
}
