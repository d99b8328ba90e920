package nn

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// An architecture is a named network family with a JSON config, the way
// Hugging Face stores config.json beside the weights: a Spec can say
// {"arch": "simplecnn", "config": {...}} instead of listing its layers, and
// Build (so model.Load) makes the network from the name and config alone.
// Each architecture is a function from its config to a chain of layers, so
// whatever a chain can hold (composite kinds such as ResidualMLP among
// them) an architecture can be; its parameters are named as the chain's.
var (
	archsMu sync.RWMutex
	archs   = map[string]func(config []byte) (Spec, error){}
)

// RegisterArchitecture adds the architecture name: a config in JSON decodes
// into a copy of defaults (strictly: unknown fields are errors; absent ones
// keep their defaults) and chain returns its layers. It panics if name is
// empty or already registered.
func RegisterArchitecture[C any](name string, defaults C, chain func(C) (Spec, error)) {
	archsMu.Lock()
	defer archsMu.Unlock()
	if _, dup := archs[name]; dup || name == "" {
		panic(fmt.Sprintf("nn: architecture %q registered twice or unnamed", name))
	}
	archs[name] = func(data []byte) (Spec, error) {
		c := defaults
		if len(data) > 0 {
			if err := decodeStrict(data, &c); err != nil {
				return Spec{}, fmt.Errorf("architecture %q: config: %w", name, err)
			}
		}
		s, err := chain(c)
		if err != nil {
			return Spec{}, fmt.Errorf("architecture %q: %w", name, err)
		}
		if s.Arch != "" {
			return Spec{}, fmt.Errorf("architecture %q: its chain names another architecture", name)
		}
		return s, nil
	}
}

// Architectures returns the names of the registered architectures, sorted.
func Architectures() []string {
	archsMu.RLock()
	defer archsMu.RUnlock()
	names := make([]string, 0, len(archs))
	for n := range archs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Architecture returns the spec of the registered architecture name with
// config (any value that marshals to its JSON config; nil for the
// defaults), after checking that they make a valid chain.
func Architecture(name string, config any) (Spec, error) {
	s := Spec{Arch: name}
	if config != nil {
		b, err := json.Marshal(config)
		if err != nil {
			return Spec{}, fmt.Errorf("architecture %q: config: %w", name, err)
		}
		s.Config = b
	}
	c, err := s.Chain()
	if err != nil {
		return Spec{}, err
	}
	s.Input = c.Input
	if _, err := s.Validate(nil); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// expandArchitecture returns the chain of the architecture name for the
// JSON config.
func expandArchitecture(name string, config []byte) (Spec, error) {
	archsMu.RLock()
	f, ok := archs[name]
	archsMu.RUnlock()
	if !ok {
		return Spec{}, fmt.Errorf("unknown architecture %q (want one of %v)", name, Architectures())
	}
	return f(config)
}
