package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/rnnlm"
)

// TestLSTMLMGenerate samples from a saved (untrained) model: the words
// come from its vocabulary, <unk> never, <eos> as line ends.
func TestLSTMLMGenerate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lm.kiso")
	words := []string{"the", "cat", "sat", "<unk>", "<eos>"}
	m := nn.NewLSTMLM[float32](nn.LSTMLMConfig{Vocab: 5, Embed: 3, Hidden: 4}, rng.NewNumpy(1))
	if err := rnnlm.Save(path, m, words, rnnlm.Info{}); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "lstmlm", "--generate", "40", "--model", path, "--start", "The cat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := strings.Fields(stdout)
	if len(got) < 20 || got[0] != "the" || got[1] != "cat" || strings.Contains(stdout, "<unk>") || strings.Contains(stdout, "<eos>") {
		t.Fatalf("sample %q", stdout)
	}
	// Written as drawn: a sentence a line, words one space apart, a
	// newline at the end.
	if !strings.HasSuffix(stdout, "\n") {
		t.Errorf("sample does not end in a newline: %q", stdout)
	}
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if line != strings.Join(strings.Fields(line), " ") {
			t.Errorf("line %q: want words one space apart", line)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lstmlm", "--generate", "5", "--model", path, "--start", "dog"}, "not in the model's vocabulary"},
		{[]string{"lstmlm", "--generate", "5", "--model", filepath.Join(t.TempDir(), "none.kiso")}, "load"},
		{[]string{"lstmlm", "--tie-weights", "--embed", "100", "--hidden", "200"}, "embed = hidden"},
		{[]string{"lstmlm", "--data", "poems", "--out", filepath.Join(t.TempDir(), "x.kiso")}, "want brown or ptb"},
		{[]string{"lstmlm", "--data", "ptb", "--dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "x.kiso")}, "kiso data ptb"},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q, want one line about %q", c.args, code, stderr, c.want)
		}
	}
}

func TestLSTMLMPlateau(t *testing.T) {
	// Validation perplexities of five epochs: the rate falls after the
	// third (no better than the second) and the fifth (equal to the best).
	vals := []float64{300, 200, 210, 150, 150}
	wantLR := []float64{20, 20, 5, 5, 1.25}
	wantBest := []float64{300, 200, 200, 150, 150}
	best, lr := 0.0, 20.0
	for i, v := range vals {
		best, lr = plateau(best, v, lr)
		if lr != wantLR[i] || best != wantBest[i] {
			t.Errorf("epoch %d (validation %g): best %g, lr %g; want %g, %g", i+1, v, best, lr, wantBest[i], wantLR[i])
		}
	}
}
