package data

import (
	"testing"

	"github.com/kiso-go/kiso/rng"
)

func TestDeZeroSpiral(t *testing.T) {
	// DeZero's get_spiral(True): x[:3], t[:10], then np.random.randint(0,
	// 1000); get_spiral(False): x[-1], t[-5:] (numpy 1.24).
	r := rng.NewNumpy(0)
	s := DeZeroSpiral[float64](true, r)
	wantX := []float64{-0.1398138850927353, -0.007216573692858219, 0.37049391865730286, 0.5820947289466858, 0.13742630183696747, -0.17179642617702484}
	for i, w := range wantX {
		if s.X.Data[i] != w {
			t.Fatalf("train x[%d] = %v, want %v", i, s.X.Data[i], w)
		}
	}
	for i, w := range []float64{1, 1, 2, 0, 1, 2, 0, 0, 1, 2} {
		if s.Y.Data[i] != w {
			t.Fatalf("train t[%d] = %v, want %v", i, s.Y.Data[i], w)
		}
	}
	if g := r.Randint(0, 1000); g != 965 {
		t.Fatalf("the generator after get_spiral drew %d, want 965", g)
	}
	s = DeZeroSpiral[float64](false, r)
	if x0, x1 := s.X.Data[598], s.X.Data[599]; x0 != -0.16662900149822235 || x1 != 0.03368643671274185 {
		t.Fatalf("test x[-1] = %v %v", x0, x1)
	}
	for i, w := range []float64{0, 0, 1, 0, 1} {
		if s.Y.Data[295+i] != w {
			t.Fatalf("test t[%d] = %v, want %v", 295+i, s.Y.Data[295+i], w)
		}
	}
	if s.Len() != 300 || s.Classes != 3 {
		t.Fatalf("%d cases, %d classes", s.Len(), s.Classes)
	}
}

func TestLoaderNumpyOrder(t *testing.T) {
	s := DeZeroSpiral[float64](true, rng.NewNumpy(0))
	r := rng.NewNumpy(5)
	l := NewLoader(s, 10, r)
	l.Numpy = true
	l.Next()
	want := []int{66, 239, 250, 224, 24, 286, 234, 233, 49, 293} // np.random.seed(5); np.random.permutation(300)[:10]
	for i, w := range want {
		if l.Indices()[i] != w {
			t.Fatalf("batch %v, want it to start %v", l.Indices(), want)
		}
	}
}
