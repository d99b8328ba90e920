package data

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

func TestXOR(t *testing.T) {
	s := XOR[float32]()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 4 || s.Classes != 2 {
		t.Fatalf("%d cases, %d classes", s.Len(), s.Classes)
	}
	// The tutorial's order, and each label is x1 XOR x2.
	wantX := [][2]float32{{1, 1}, {1, 0}, {0, 1}, {0, 0}}
	for i, w := range wantX {
		row := s.X.Row(i)
		if row[0] != w[0] || row[1] != w[1] {
			t.Errorf("case %d = %v, want %v", i, row, w)
		}
		if want := float32(int(w[0]) ^ int(w[1])); s.Y.Data[i] != want {
			t.Errorf("case %d label %v, want %v", i, s.Y.Data[i], want)
		}
	}
}

func TestToy(t *testing.T) {
	for _, name := range ToyNames() {
		for _, noise := range []float64{0, 0.25, 0.5} {
			s, err := Toy[float64](name, 201, noise, rng.NewNumpy(3))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Check(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.Equal(s.X.Shape(), []int{201, 2}) || s.Classes != 2 {
				t.Fatalf("%s: shape %v, %d classes", name, s.X.Shape(), s.Classes)
			}
			ones := 0
			for i := range s.Len() {
				ones += int(s.Y.Data[i])
				x, y := s.X.At(i, 0), s.X.At(i, 1)
				if lim := 6.0; name != "gauss" && (math.Abs(x) > lim || math.Abs(y) > lim) {
					t.Errorf("%s noise %v: point (%v, %v) outside [-6, 6]", name, noise, x, y)
				}
				if noise == 0 {
					checkCleanToyPoint(t, name, x, y, s.Y.Data[i])
				}
			}
			// Circle without noise, gauss and spiral put n/2 points in
			// class 1; xor labels by quadrant and noise moves circle labels.
			if (name == "gauss" || name == "spiral" || name == "circle" && noise == 0) && ones != 100 {
				t.Errorf("%s noise %v: %d points in class 1, want 100", name, noise, ones)
			}
			// Shuffled: the first half holds both classes.
			first := s.Y.Data[:100]
			if !slices.Contains(first, 0) || !slices.Contains(first, 1) {
				t.Errorf("%s: first half is one class", name)
			}
		}
	}
}

// checkCleanToyPoint checks a noiseless point against its set's rule.
func checkCleanToyPoint(t *testing.T, name string, x, y, label float64) {
	t.Helper()
	r := math.Hypot(x, y)
	var ok bool
	switch name {
	case "circle":
		ok = (label == 1 && r < 2.5) || (label == 0 && r >= 3.5 && r <= 5)
	case "xor":
		ok = (label == 1) == (x*y >= 0) && math.Abs(x) >= 0.3 && math.Abs(y) >= 0.3
	case "gauss":
		ok = true // checked through the class means below
	case "spiral":
		// On arm 1 the angle from the y axis grows as 1.75 turns times r/5;
		// arm 0 is the same spiral turned by π.
		want := 1.75 * r / 5 * 2 * math.Pi
		if label == 0 {
			want += math.Pi
		}
		got := math.Atan2(x, y) // angle measured as sin for x, cos for y
		d := math.Remainder(got-want, 2*math.Pi)
		ok = r <= 5 && (math.Abs(d) < 1e-9 || r < 1e-9)
	}
	if !ok {
		t.Errorf("%s: clean point (%v, %v) has label %v", name, x, y, label)
	}
}

func TestToyGaussCentres(t *testing.T) {
	s, err := Toy[float64]("gauss", 2000, 0, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	var sum [2][2]float64
	var n [2]float64
	for i := range s.Len() {
		c := int(s.Y.Data[i])
		sum[c][0] += s.X.At(i, 0)
		sum[c][1] += s.X.At(i, 1)
		n[c]++
	}
	// Variance 0.5 over 1000 points: the mean's standard error is 0.022.
	for c, centre := range []float64{-2, 2} {
		for d := range 2 {
			if m := sum[c][d] / n[c]; math.Abs(m-centre) > 0.15 {
				t.Errorf("class %d axis %d mean %v, want about %v", c, d, m, centre)
			}
		}
	}
}

func TestToyDeterministic(t *testing.T) {
	for _, name := range ToyNames() {
		a, _ := Toy[float32](name, 50, 0.2, rng.NewNumpy(8))
		b, _ := Toy[float32](name, 50, 0.2, rng.NewNumpy(8))
		c, _ := Toy[float32](name, 50, 0.2, rng.NewNumpy(9))
		if !slices.Equal(a.X.Data, b.X.Data) || !slices.Equal(a.Y.Data, b.Y.Data) {
			t.Errorf("%s: same seed, different data", name)
		}
		if slices.Equal(a.X.Data, c.X.Data) {
			t.Errorf("%s: different seeds, same data", name)
		}
	}
}

func TestToyErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		noise float64
		want  string
	}{
		{"moons", 10, 0, `unknown toy data set "moons" (known: circle, xor, gauss, spiral)`},
		{"xor", 0, 0, "at least 1"},
		{"xor", 10, -0.1, "noise"},
		{"xor", 10, math.NaN(), "noise"},
	} {
		_, err := Toy[float64](tc.name, tc.n, tc.noise, rng.NewNumpy(1))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Toy(%q, %d, %v) error %v, want %q", tc.name, tc.n, tc.noise, err, tc.want)
		}
	}
}
