package playground

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestDigitSideLimit takes a drawing of MaxDigitSide pixels a side and
// refuses one pixel more.
func TestDigitSideLimit(t *testing.T) {
	for _, side := range []int{MaxDigitSide, MaxDigitSide + 1} {
		req := DigitRequest{Side: side, Ink: base64.StdEncoding.EncodeToString(make([]byte, side*side))}
		px, err := req.pixels()
		if side <= MaxDigitSide && (err != nil || len(px) != side*side) {
			t.Errorf("side %d (the limit): %d pixels, %v", side, len(px), err)
		}
		if side > MaxDigitSide && (err == nil || !strings.Contains(err.Error(), "between")) {
			t.Errorf("side %d (past the limit): %v, want a refusal", side, err)
		}
	}
}

// TestConfigValueLimits checks the learning rate, regularization rate,
// test ratio and speed of a config at and past MaxLR, MaxRegRate, MaxTest
// and MaxSpeed.
func TestConfigValueLimits(t *testing.T) {
	for _, c := range []struct {
		name     string
		set      func(*Config, float64)
		at, past float64
	}{
		{"lr", func(c *Config, v float64) { c.LR = v }, MaxLR, MaxLR * (1 + 1e-15)},
		{"reg_rate", func(c *Config, v float64) { c.RegRate = v }, MaxRegRate, MaxRegRate * (1 + 1e-15)},
		{"test_ratio", func(c *Config, v float64) { c.TestRatio = v }, MaxTest, MaxTest * (1 + 1e-15)},
		{"speed", func(c *Config, v float64) { c.Speed = int(v) }, MaxSpeed, MaxSpeed + 1},
	} {
		at, past := DefaultConfig(), DefaultConfig()
		c.set(&at, c.at)
		c.set(&past, c.past)
		if err := at.Validate(DefaultLimits); err != nil {
			t.Errorf("%s %v (the limit): %v", c.name, c.at, err)
		}
		if err := past.Validate(DefaultLimits); err == nil || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s %v (past the limit): %v, want a refusal naming it", c.name, c.past, err)
		}
	}
}
