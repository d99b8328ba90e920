package word2vec

import (
	"strings"
	"testing"
)

// TestConfigLimits checks each capped field of Config at and past its limit.
func TestConfigLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*Config, int)
		max  int
	}{
		{"window", func(c *Config, n int) { c.Window = n }, MaxWindow},
		{"dim", func(c *Config, n int) { c.Dim = n }, MaxDim},
		{"negatives", func(c *Config, n int) { c.Negatives = n }, MaxNegatives},
		{"batch", func(c *Config, n int) { c.Batch = n }, MaxBatch},
	} {
		var at, past Config
		c.set(&at, c.max)
		c.set(&past, c.max+1)
		if err := at.Validate(); err != nil {
			t.Errorf("%s %d (the limit): %v", c.name, c.max, err)
		}
		if err := past.Validate(); err == nil {
			t.Errorf("%s %d (past the limit): accepted", c.name, c.max+1)
		}
	}
}

// TestWordsLimits checks the vocabulary's size at and past MaxValues and
// past MaxWords (at it, ten million distinct words would cost the test
// seconds and a gigabyte).
func TestWordsLimits(t *testing.T) {
	if err := checkWords([]string{"a", "b"}, MaxValues/2); err != nil {
		t.Errorf("2 words of MaxValues/2 values: %v", err)
	}
	if err := checkWords([]string{"a", "b"}, MaxValues/2+1); err == nil {
		t.Error("2 words of MaxValues/2+1 values: accepted")
	}
	if err := checkWords(make([]string, MaxWords+1), 1); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("MaxWords+1 words: %v, want a refusal", err)
	}
}

// TestAnalogiesLimit parses MaxAnalogies analogies and refuses one more.
func TestAnalogiesLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("a million analogies: not in -short")
	}
	at := strings.Repeat("a b c d\n", MaxAnalogies)
	out, err := ParseAnalogies(at)
	if err != nil || len(out) != MaxAnalogies {
		t.Errorf("MaxAnalogies lines: %d analogies, %v", len(out), err)
	}
	if _, err := ParseAnalogies(at + "a b c d\n"); err == nil {
		t.Error("MaxAnalogies+1 lines: accepted")
	}
}
