package rng

import (
	"reflect"
	"testing"
)

func TestPermutationUniformNormal(t *testing.T) {
	// np.random.seed(5); np.random.permutation(10),
	// np.random.permutation(300)[:8], uniform(-0.05, 0.05), uniform(2, 3),
	// normal(1.5, 0.1), normal(scale=0.1) (numpy 1.24).
	r := NewNumpy(5)
	if got, want := r.Permutation(10), []int{9, 5, 2, 4, 7, 1, 0, 8, 6, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("permutation(10) = %v, want %v", got, want)
	}
	if got, want := r.Permutation(300)[:8], []int{131, 24, 274, 96, 140, 293, 43, 166}; !reflect.DeepEqual(got, want) {
		t.Errorf("permutation(300)[:8] = %v, want %v", got, want)
	}
	for i, c := range []struct{ got, want float64 }{
		{r.Uniform(-0.05, 0.05), 0.024918465961043218},
		{r.Uniform(2, 3), 2.7605315404167414},
		{r.Normal(1.5, 0.1), 1.5302960498707803},
		{r.Normal(0, 0.1), -0.03468393683976858},
	} {
		if c.got != c.want {
			t.Errorf("draw %d = %v, want %v", i, c.got, c.want)
		}
	}
}
