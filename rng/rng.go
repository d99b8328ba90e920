// Package rng is kiso's seeded random-number generator: the Mersenne Twister
// MT19937, the generator behind both numpy's legacy np.random and Python's
// random module, so that a kiso program seeded like a Python one draws the
// very same numbers.
//
// Two seedings exist because the two Python generators seed differently:
// [NewNumpy] matches np.random.seed(seed) (init_genrand) and [NewPython]
// matches random.seed(seed) (init_by_array over the seed's 32-bit words).
// After seeding, [MT.Norm] matches np.random.randn (the legacy polar method,
// with its cached second value), [MT.Float64] matches np.random.random_sample
// and random.random, and [MT.Below] matches Python's random.randrange(n).
// [MT.Randint] and [MT.NumpyShuffle] match numpy's legacy np.random.randint
// and np.random.shuffle.
//
// An MT is not safe for concurrent use. Its whole state can be saved and
// restored with MarshalBinary and UnmarshalBinary, so an interrupted run can
// resume with the exact same stream.
package rng

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"

	"github.com/kiso-go/kiso/internal/crmath"
)

const (
	n         = 624
	m         = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// MT is a Mersenne Twister MT19937 generator with numpy's Gaussian cache.
type MT struct {
	mt       [n]uint32
	idx      int
	hasGauss bool
	gauss    float64
}

// NewNumpy returns a generator seeded as np.random.seed(seed) seeds numpy's
// legacy global RandomState.
func NewNumpy(seed uint32) *MT {
	r := &MT{}
	r.initGenrand(seed)
	return r
}

// NewPython returns a generator seeded as Python's random.seed(seed) seeds
// the random module for a non-negative integer seed.
func NewPython(seed uint64) *MT {
	r := &MT{}
	r.SeedPython(seed)
	return r
}

// SeedPython seeds r in place as NewPython(seed) would, without allocating:
// its stream starts again as Python's after random.seed(seed).
func (r *MT) SeedPython(seed uint64) {
	var words [2]uint32
	key := append(words[:0], uint32(seed))
	if hi := uint32(seed >> 32); hi != 0 {
		key = append(key, hi)
	}
	r.initByArray(key)
}

func (r *MT) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < n; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.idx = n
	r.hasGauss = false
	r.gauss = 0
}

func (r *MT) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	k := max(n, len(key))
	for ; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= n {
			r.mt[0] = r.mt[n-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = n - 1; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= n {
			r.mt[0] = r.mt[n-1]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
}

func (r *MT) generate() {
	mag := [2]uint32{0, matrixA}
	var kk int
	for kk = 0; kk < n-m; kk++ {
		y := (r.mt[kk] & upperMask) | (r.mt[kk+1] & lowerMask)
		r.mt[kk] = r.mt[kk+m] ^ (y >> 1) ^ mag[y&1]
	}
	for ; kk < n-1; kk++ {
		y := (r.mt[kk] & upperMask) | (r.mt[kk+1] & lowerMask)
		r.mt[kk] = r.mt[kk+(m-n)] ^ (y >> 1) ^ mag[y&1]
	}
	y := (r.mt[n-1] & upperMask) | (r.mt[0] & lowerMask)
	r.mt[n-1] = r.mt[m-1] ^ (y >> 1) ^ mag[y&1]
	r.idx = 0
}

// Uint32 returns the next 32 random bits (genrand_int32).
func (r *MT) Uint32() uint32 {
	if r.idx >= n {
		r.generate()
	}
	y := r.mt[r.idx]
	r.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Uint64 returns 64 random bits, two 32-bit outputs high word first. It makes
// an *MT a math/rand/v2 Source.
func (r *MT) Uint64() uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
}

// Float64 returns a uniform float64 in [0, 1) with 53 random bits
// (genrand_res53), as np.random.random_sample and random.random do.
func (r *MT) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// Norm returns a standard normal deviate as numpy's legacy
// RandomState.standard_normal does: Marsaglia's polar method, which makes two
// deviates per accepted pair and keeps the second for the next call. The
// logarithm is correctly rounded; numpy's comes from the C library and is
// not quite, so about 3 draws in 10,000 differ from numpy's in the last bit.
func (r *MT) Norm() float64 {
	if r.hasGauss {
		r.hasGauss = false
		g := r.gauss
		r.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*r.Float64() - 1
		x2 = 2*r.Float64() - 1
		r2 = x1*x1 + x2*x2
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * crmath.Log(r2) / r2)
	r.gauss = f * x1
	r.hasGauss = true
	return f * x2
}

// bitsOf returns the top k (1..32) bits of the next output, as Python's
// getrandbits(k) does for k <= 32.
func (r *MT) bitsOf(k int) uint32 { return r.Uint32() >> (32 - k) }

// Below returns a uniform integer in [0, n) exactly as Python's
// random.randrange(n) does (rejection sampling over getrandbits of n's bit
// length). It panics if n < 1 or n >= 2^32.
func (r *MT) Below(n int) int {
	if n < 1 || uint64(n) >= 1<<32 {
		panic("rng: Below argument out of range [1, 2^32)")
	}
	k := bits.Len(uint(n))
	for {
		v := int(r.bitsOf(k))
		if v < n {
			return v
		}
	}
}

// Shuffle permutes the n elements reached through swap in place, with
// Python's random.shuffle algorithm (Fisher-Yates from the end, Below(i+1)).
func (r *MT) Shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, r.Below(i+1))
	}
}

// Perm returns a random permutation of 0..n-1 drawn with Shuffle.
func (r *MT) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

const stateSize = n*4 + 8 + 1 + 8

// MarshalBinary encodes the generator's whole state.
func (r *MT) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, stateSize)
	for _, v := range r.mt {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(r.idx))
	if r.hasGauss {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(r.gauss))
	return b, nil
}

// UnmarshalBinary restores a state written by MarshalBinary.
func (r *MT) UnmarshalBinary(b []byte) error {
	if len(b) != stateSize {
		return errors.New("rng: bad state length")
	}
	var s MT
	for i := range s.mt {
		s.mt[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	off := 4 * n
	idx := binary.LittleEndian.Uint64(b[off:])
	if idx > n {
		return errors.New("rng: bad state index")
	}
	s.idx = int(idx)
	switch b[off+8] {
	case 0:
	case 1:
		s.hasGauss = true
	default:
		return errors.New("rng: bad state flag")
	}
	s.gauss = math.Float64frombits(binary.LittleEndian.Uint64(b[off+9:]))
	*r = s
	return nil
}
