package rng

// Permutation returns a permutation of 0..n-1 exactly as numpy's legacy
// np.random.permutation(n) draws it: the range shuffled with NumpyShuffle.
func (r *MT) Permutation(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.NumpyShuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// Uniform returns a uniform float64 in [low, high) as numpy's legacy
// np.random.uniform(low, high) computes it: low + (high-low)·Float64().
func (r *MT) Uniform(low, high float64) float64 {
	// The conversion keeps the compiler from fusing the multiply and add.
	return low + float64((high-low)*r.Float64())
}

// Normal returns a normal deviate of mean loc and standard deviation scale
// as numpy's legacy np.random.normal(loc, scale): loc + scale·Norm().
func (r *MT) Normal(loc, scale float64) float64 {
	return loc + float64(scale*r.Norm())
}
