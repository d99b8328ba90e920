package train

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadStateRefusesNonFinite saves checkpoints with a NaN or infinite
// parameter or buffer: LoadState must refuse them, naming the tensor, so
// that a resumed run cannot write a NaN model (issue 12, item 7).
func TestLoadStateRefusesNonFinite(t *testing.T) {
	trn, _, _ := resumable[float64](1)
	tr, _ := circle[float64](40)
	trn.cfg.Epochs = 1
	if _, err := trn.Fit(context.Background(), tr, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(s *State) string
	}{
		{"NaN parameter", func(s *State) string { s.Params[1].Data[0] = math.NaN(); return s.Params[1].Name }},
		{"Inf parameter", func(s *State) string { s.Params[0].Data[5] = math.Inf(-1); return s.Params[0].Name }},
		{"NaN buffer", func(s *State) string { s.Buffers[0].Data[2] = math.NaN(); return s.Buffers[0].Name }},
	} {
		s, _ := trn.Snapshot()
		name := tc.edit(s)
		path := filepath.Join(t.TempDir(), "bad.state")
		if err := SaveState(path, s); err != nil {
			t.Fatal(err)
		}
		_, err := LoadState(path)
		if err == nil || !strings.Contains(err.Error(), `"`+name+`"`) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: LoadState returned %v; want an error naming the file and %q", tc.name, err, name)
		}
	}
}
