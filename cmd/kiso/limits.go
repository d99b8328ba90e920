package main

import (
	"errors"
	"strconv"
	"strings"

	"github.com/kiso-go/kiso/nn"
)

// maxBatchValues is the most activation values one batch of kiso eval or
// kiso predict may make a network hold (2²⁷: 1 GiB in float64): a network
// within nn.MaxActivations per case can still need far too much at a
// fixed batch size (500 cases of 16 million values are 64 GB). It is far
// above what the book's networks need (SimpleConvNet holds 58,810 values
// per case, 2282 cases per batch), so their batches are not cut.
const maxBatchValues = 1 << 27

// fitBatch returns batch, cut so that a batch of spec's network holds at
// most maxBatchValues activation values (nn.Spec.Footprint, for cases of
// shape input; nil means spec.Input) and at least one case. A spec whose
// footprint is unknown keeps batch.
func fitBatch(spec nn.Spec, input []int, batch int) int {
	fp, err := spec.Footprint(input)
	if err != nil || fp.Activations <= 0 {
		return batch
	}
	return max(1, min(batch, maxBatchValues/fp.Activations))
}

// maxCheckBatch returns the most cases kiso gradcheck's random batch may
// have for spec, a valid spec with an input shape: maxBatchValues divided
// by what one case holds, its input and the activations of every layer.
// (A --batch of 10⁹ once asked for 64 GB and crashed the process.)
func maxCheckBatch(spec nn.Spec) int {
	per := numel(spec.Input)
	if fp, err := spec.Footprint(nil); err == nil && fp.Activations > 0 {
		per += fp.Activations
	}
	return max(1, maxBatchValues/per)
}

// The limits of --hidden, whether typed or read back from a checkpoint's
// options: far above the book's networks (hidden layers of 50 and 100, two
// or three of them) and far below what would take the arithmetic or the
// memory anywhere strange. A network within them can still pass
// nn.MaxParams (--hidden 100000,100000), which nn.Spec.Validate refuses.
const (
	// maxHiddenSize is the most units one hidden layer may have (2²⁰ =
	// 1,048,576).
	maxHiddenSize = 1 << 20
	// maxHiddenLayers is the most hidden layers --hidden may list.
	maxHiddenLayers = 1000
)

// parseHidden parses a --hidden value: positive layer sizes separated by
// commas, empty for none, at most maxHiddenLayers of them, each at most
// maxHiddenSize. Its errors are one line that quotes at most the first 40
// bytes of the value.
func parseHidden(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if len(sizes) == maxHiddenLayers {
			return nil, usagef("--hidden %s: more than %d hidden layers (maxHiddenLayers)", quoteStart(s), maxHiddenLayers)
		}
		n, err := strconv.Atoi(f)
		switch {
		case err != nil && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(f, "-"), err == nil && n > maxHiddenSize:
			if len(f) > 20 {
				f = quoteStart(f)
			}
			return nil, usagef("--hidden %s: a layer of %s units, more than %d (maxHiddenSize)", quoteStart(s), f, maxHiddenSize)
		case err != nil || n < 1:
			return nil, usagef("--hidden %s: want positive layer sizes separated by commas, such as 100,50", quoteStart(s))
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// quoteStart returns s quoted, cut to its first 40 bytes (and its length
// said) when it is longer, so that an error message stays one short line.
func quoteStart(s string) string {
	const keep = 40
	if len(s) <= keep {
		return strconv.Quote(s)
	}
	return strconv.Quote(strings.ToValidUTF8(s[:keep], "")) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}
