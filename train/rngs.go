package train

import (
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// RNGHolder is implemented by a layer (or a whole network) that draws
// random numbers of its own during training, such as Dropout: RNGs returns
// its generators, always the same ones in the same order. A State saves
// their states and Restore sets them back in place, so a resumed run draws
// the same masks as an uninterrupted one. (Buffers, such as BatchNorm's
// running statistics, are found through nn.BuffersOf.)
type RNGHolder interface {
	RNGs() []*rng.MT
}

// rngsOf returns the generators of net: its own if it is an RNGHolder,
// otherwise, for an nn.Container (a Sequential, a composite module), those
// of its children in order (recursively).
func rngsOf[T tensor.Float](net nn.Layer[T]) []*rng.MT {
	switch l := net.(type) {
	case RNGHolder:
		return l.RNGs()
	case nn.Container[T]:
		var out []*rng.MT
		for _, c := range l.Children() {
			out = append(out, rngsOf(c.Layer)...)
		}
		return out
	}
	return nil
}
