package nn

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Init is a weight initializer: weights are drawn from N(0, std²) with std
// a function of the layer's fan-in (inputs per output unit). Biases start at 0.
type Init struct {
	name string
	std  func(fanIn int) float64
}

// Normal returns the initializer with a fixed standard deviation, the
// tutorial's weight_init_std (0.01 in the book's MNIST net, 0.1 for XOR).
func Normal(std float64) Init {
	if std < 0 || math.IsNaN(std) {
		panic(fmt.Sprintf("nn: Normal std %v must be non-negative", std))
	}
	return Init{name: strconv.FormatFloat(std, 'g', -1, 64), std: func(int) float64 { return std }}
}

var (
	// Xavier draws with std = sqrt(1/fanIn), the form the book uses for
	// sigmoid and tanh layers (Glorot and Bengio, 2010, simplified to the
	// fan-in).
	Xavier = Init{name: "xavier", std: func(n int) float64 { return math.Sqrt(1 / float64(n)) }}
	// He draws with std = sqrt(2/fanIn), for ReLU layers (He et al., 2015).
	He = Init{name: "he", std: func(n int) float64 { return math.Sqrt(2 / float64(n)) }}
)

// String returns the name ParseInit accepts: "xavier", "he" or the std.
func (i Init) String() string { return i.name }

// Std returns the standard deviation for a layer with the given fan-in.
func (i Init) Std(fanIn int) float64 {
	if i.std == nil {
		panic("nn: zero Init; use Normal, Xavier or He")
	}
	return i.std(fanIn)
}

// ParseInit returns the initializer named s: "xavier", "he", or a number
// (optionally "std=0.01") for a fixed standard deviation.
func ParseInit(s string) (Init, error) {
	switch strings.ToLower(s) {
	case "xavier", "glorot":
		return Xavier, nil
	case "he", "kaiming":
		return He, nil
	}
	v, err := strconv.ParseFloat(strings.TrimPrefix(s, "std="), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return Init{}, fmt.Errorf("unknown initializer %q (want xavier, he, or a standard deviation such as 0.01)", s)
	}
	return Normal(v), nil
}

// Initializable is a layer whose weights an Init can reset.
type Initializable interface {
	Reset(init Init, r *rng.MT)
}

// Reset draws W from init (fan-in = In) and sets b to zero.
func (l *Linear[T]) Reset(init Init, r *rng.MT) {
	tensor.FillNormal(l.W.Value, r, 0, init.Std(l.In()))
	l.B.Value.Zero()
}
