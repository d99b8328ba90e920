package model

import (
	"encoding/binary"
	"fmt"
	"math"
)

// checkFinite returns an error naming the first tensor of ts that holds a
// NaN or an infinity, or, when the network is built in float32
// (to32), a float64 value too large to be a float32 (it would load as an
// infinity). A network with such a weight computes nothing but NaN, so
// loading refuses it rather than let eval and predict print NaN.
func checkFinite(ts []Named, to32 bool) error {
	for _, t := range ts {
		n := len(t.Data) / max(DTypeSize(t.DType), 1)
		for i := range n {
			var v float64
			switch t.DType {
			case "F32":
				v = float64(math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:])))
			case "F64":
				v = math.Float64frombits(binary.LittleEndian.Uint64(t.Data[8*i:]))
			default:
				continue
			}
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				return fmt.Errorf("tensor %q holds %v at element %d: the model is unusable (training diverged before it was saved?)", t.Name, v, i)
			case to32 && math.Abs(v) > math.MaxFloat32:
				return fmt.Errorf("tensor %q holds %g at element %d, beyond float32's range: load it as float64", t.Name, v, i)
			}
		}
	}
	return nil
}
