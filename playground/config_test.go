package playground

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecodeConfig(t *testing.T) {
	tests := []struct {
		name, json string
		want       string // substring of the error, "" for none
		check      func(c Config) bool
	}{
		{"defaults", `{}`, "", func(c Config) bool { return c.Data == "xor" && len(c.Layers) == 2 && c.LR == 0.03 }},
		{"no hidden layers", `{"layers": []}`, "", func(c Config) bool { return len(c.Layers) == 0 }},
		{"xor4", `{"data": "xor4", "points": 0}`, "", func(c Config) bool { return c.Data == "xor4" }},
		{"custom points dropped for toy data", `{"data": "spiral", "custom": [{"x": 1, "y": 1, "label": 0}]}`, "", func(c Config) bool { return c.Custom == nil }},
		{"custom without points", `{"data": "custom"}`, "", func(c Config) bool { return c.classes() == 2 }},
		{"custom classes", `{"data": "custom", "custom": [{"x": 1, "y": 1, "label": 4}]}`, "", func(c Config) bool { return c.classes() == 5 }},
		{"he init", `{"init": "he"}`, "", nil},
		{"std init", `{"init": "0.5"}`, "", nil},
		{"unknown data", `{"data": "moons"}`, `data "moons"`, nil},
		{"noise", `{"noise": 1.5}`, "noise", nil},
		{"test ratio", `{"test_ratio": 0.95}`, "test_ratio", nil},
		{"seed", `{"seed": 4294967296}`, "seed", nil},
		{"view order", `{"view": [1, -1]}`, "view", nil},
		{"init", `{"init": "zeros"}`, "init", nil},
		{"optimizer", `{"optimizer": "lbfgs"}`, "lbfgs", nil},
		{"lr zero", `{"lr": 0}`, "lr 0", nil},
		{"batch", `{"batch": 0}`, "batch 0", nil},
		{"reg", `{"reg": "l3"}`, "reg", nil},
		{"reg rate", `{"reg_rate": -0.1}`, "reg_rate", nil},
		{"grad", `{"grad": "guess"}`, "grad", nil},
		{"speed", `{"speed": 5000}`, "speed", nil},
		{"neurons", `{"layers": [{"neurons": 0, "activation": "tanh"}]}`, "layer 1: 0 neurons", nil},
		{"custom NaN-like", `{"data": "custom", "custom": [{"x": 1e7, "y": 0, "label": 0}]}`, "custom point 0", nil},
		{"negative label", `{"data": "custom", "custom": [{"x": 0, "y": 0, "label": -1}]}`, "label -1", nil},
		{"type", `{"layers": 3}`, "layers must be", nil},
		{"null", `null`, "", func(c Config) bool { return c.Data == "xor" }},
		{"string", `"xor"`, "invalid JSON", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeConfig(strings.NewReader(tt.json), DefaultLimits)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			case tt.check != nil && !tt.check(c):
				t.Errorf("decoded %+v", c)
			}
		})
	}
}

func TestSameModel(t *testing.T) {
	a := DefaultConfig()
	b := a
	b.LR, b.Optimizer, b.Batch, b.Reg, b.RegRate, b.Grad, b.Speed = 1, "sgd", 3, "l1", 0.1, "numerical", 0
	if !a.sameModel(&b) {
		t.Error("configurations differing only in training settings are not the same model")
	}
	for _, change := range []func(c *Config){
		func(c *Config) { c.Seed++ },
		func(c *Config) { c.Noise = 0.1 },
		func(c *Config) { c.Init = "he" },
		func(c *Config) { c.Layers = []Layer{{4, "relu"}} },
	} {
		c := a
		c.Layers = append([]Layer(nil), a.Layers...)
		change(&c)
		if a.sameModel(&c) {
			t.Errorf("%+v is the same model as the default", c)
		}
	}
}

// FuzzConfigJSON checks that decoding never panics and gives either an
// error or a configuration that validates, survives a JSON round trip,
// and builds a learner.
func FuzzConfigJSON(f *testing.F) {
	def, _ := json.Marshal(DefaultConfig())
	for _, s := range []string{
		string(def), `{}`, `{"data": "xor4"}`, `{"layers": []}`, `{"lr": 1e309}`, `{"seed": -1}`,
		`{"data": "custom", "custom": [{"x": 1, "y": 2, "label": 7, "test": true}]}`,
		`{"layers": [{"neurons": 8, "activation": "leakyrelu"}], "init": "std=0.01"}`,
		`{"view": [-1, 1], "data": "spiral", "noise": 0.5, "test_ratio": 0.9, "points": 10}`,
		`{"reg": "l1", "reg_rate": 10, "grad": "numerical", "speed": 0, "batch": 100000}`,
		`{"lr": "0.1"}`, `[`, `{"a": 1}`, `{} x`,
		// Hostile sizes (issue 12): past every limit, negative, overflowing.
		`{"points": 1000000000}`, `{"points": -1}`, `{"batch": -5}`, `{"seed": 9223372036854775807}`,
		`{"layers": [{"neurons": 2147483648, "activation": "relu"}]}`, `{"layers": [{"neurons": -1, "activation": "relu"}]}`,
		`{"init": "1e308"}`, `{"init": "-1"}`, `{"view": [1e308, -1e308]}`, `{"speed": 1e300}`,
		`{"data": "custom", "custom": [{"x": 1e308, "y": -1e308, "label": 2147483648}]}`,
	} {
		f.Add(s)
	}
	f.Add(`{"layers": [` + strings.Repeat(`{"neurons": 8, "activation": "relu"},`, 1000) + `{"neurons": 8, "activation": "relu"}]}`)
	lim := DefaultLimits
	lim.MaxPoints = 300 // keep each input fast
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeConfig(strings.NewReader(s), lim)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if err := c.Validate(lim); err != nil {
			t.Fatalf("decoded configuration invalid: %v", err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		c2, err := DecodeConfig(strings.NewReader(string(b)), lim)
		if err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if !c.sameModel(&c2) {
			t.Fatalf("round trip changed the configuration: %s", b)
		}
		if _, err := newLearner(c); err != nil {
			t.Fatalf("valid configuration %s builds no learner: %v", b, err)
		}
	})
}
