package nn

import (
	"fmt"
	"math"
	"strings"
)

// The limits Spec.Validate (and so Build) puts on an architecture, so that
// a spec read from a file cannot ask for more memory than a network kiso
// trains could use: a 400-byte model file once asked for a convolution
// padded by 20000 cells, 12.8 GB on its first input. Each is far above the
// book's networks and far below what would exhaust a machine's memory.
const (
	// MaxSize bounds every size a layer spec or input shape gives:
	// features, channels, kernel sides, strides and padding (2²⁴ =
	// 16,777,216). It keeps the arithmetic on sizes far from overflow.
	MaxSize = 1 << 24

	// MaxParams bounds the parameter and buffer values of a network,
	// summed over its layers (2²⁸ = 268,435,456: 2 GB in float64, about 8
	// GB while training with Adam). SimpleConvNet has 433,890.
	MaxParams = 1 << 28

	// MaxActivations bounds the values one case makes a network hold in a
	// forward pass, summed over its layers: every layer's output, and a
	// convolution's column buffer (2²⁴ = 16,777,216: 128 MB per case in
	// float64). SimpleConvNet on a 28×28 image holds 58,810. Code that
	// runs batches divides its memory budget by Footprint.Activations
	// rather than trusting a fixed batch size.
	MaxActivations = 1 << 24
)

// Footprint is what a network costs in memory, counted in values (bytes
// are values times the element size).
type Footprint struct {
	// Params counts the parameter and buffer values.
	Params int
	// Activations counts the values one case makes the network hold in a
	// forward pass (see MaxActivations), or -1 when the input shape is
	// not known far enough to count them.
	Activations int
}

// Footprint checks the spec as Validate does and returns its memory
// footprint for one case of shape input (nil or empty means s.Input).
func (s Spec) Footprint(input []int) (Footprint, error) {
	_, fp, err := s.walk(input)
	return fp, err
}

// checkSizes reports the first size beyond MaxSize, for a config's
// OutShape: names lists the sizes' JSON names, separated by spaces.
func checkSizes(names string, sizes ...int) error {
	for i, name := range strings.Fields(names) {
		if sizes[i] > MaxSize {
			return fmt.Errorf("%s %d is more than nn.MaxSize (%d)", name, sizes[i], MaxSize)
		}
	}
	return nil
}

// mulSat returns a·b for a, b ≥ 0, or math.MaxInt if it overflows.
func mulSat(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

// addSat returns a+b for a, b ≥ 0, or math.MaxInt if it overflows.
func addSat(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
