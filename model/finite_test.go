package model

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefusesNonFinite saves networks whose weights hold NaN or an
// infinity, and a float64 weight too large for float32: loading must fail
// with an error naming the tensor (issue 12, item 7).
func TestLoadRefusesNonFinite(t *testing.T) {
	spec := testSpecs[0].spec
	for _, tc := range []struct {
		name  string
		value float64
		as32  bool
		want  string
	}{
		{"NaN", math.NaN(), false, "NaN"},
		{"+Inf", math.Inf(1), false, "+Inf"},
		{"-Inf", math.Inf(-1), true, "-Inf"},
		{"too large for float32", 1e300, true, "float32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := newNet[float64](t, spec, 1)
			p := net.Params()[2] // the second Linear's weight, layer 2
			p.Value.Data[3] = tc.value
			path := filepath.Join(t.TempDir(), "bad.kiso")
			if err := Save(path, net, Info{}); err != nil {
				t.Fatal(err)
			}
			var err error
			if tc.as32 {
				_, err = Load[float32](path)
			} else {
				_, err = Load[float64](path)
			}
			if err == nil || !strings.Contains(err.Error(), `"2.weight"`) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("load of a model with a %s weight: %v; want an error naming \"1.weight\" and %q", tc.name, err, tc.want)
			}
		})
	}
}
