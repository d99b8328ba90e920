package train

import (
	"fmt"
	"math"
)

// checkFinite returns an error naming the first parameter or buffer of s
// that holds a NaN or an infinity: a run resumed from it could only write
// a model of NaNs.
func (s *State) checkFinite() error {
	for _, group := range []struct {
		what string
		ts   []Tensor
	}{{"parameter", s.Params}, {"buffer", s.Buffers}} {
		for _, t := range group.ts {
			for i, v := range t.Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%s %q holds %v at element %d: the saved run had already diverged", group.what, t.Name, v, i)
				}
			}
		}
	}
	return nil
}
