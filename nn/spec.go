package nn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Spec describes a network as data: a chain of layers that Build turns into
// a Sequential, or a named architecture (see RegisterArchitecture) with its
// config. It is what a model file stores as its architecture, as JSON, so
// that a network can be rebuilt without Go code describing it.
type Spec struct {
	// Input is the shape of one case, without the batch dimension: [784]
	// for flat vectors, [1, 28, 28] for an image. It is optional; when it
	// is set, Build checks every layer's sizes against it.
	Input []int `json:"input,omitempty"`
	// Layers is the chain, each layer a registered kind's config
	// (LinearSpec, ActivationSpec, Conv2DSpec, ...). In JSON each is an
	// object {"type": "linear", "in": 784, "out": 100}.
	Layers LayerSpecs `json:"layers"`
	// Arch and Config name a registered architecture and hold its JSON
	// config, instead of Layers (see RegisterArchitecture).
	Arch   string          `json:"arch,omitempty"`
	Config json.RawMessage `json:"config,omitempty"`
}

// MarshalJSON writes a chain as {"input": ..., "layers": [...]} and a
// named architecture as {"input": ..., "arch": ..., "config": ...}.
func (s Spec) MarshalJSON() ([]byte, error) {
	type chain struct {
		Input  []int      `json:"input,omitempty"`
		Layers LayerSpecs `json:"layers"`
	}
	type named struct {
		Input  []int           `json:"input,omitempty"`
		Arch   string          `json:"arch"`
		Config json.RawMessage `json:"config,omitempty"`
	}
	if s.Arch != "" {
		return json.Marshal(named{s.Input, s.Arch, s.Config})
	}
	return json.Marshal(chain{s.Input, s.Layers})
}

// Chain returns the chain of layers s describes: s itself, or the chain
// its named architecture makes of its config. Its Input is s.Input if set.
func (s Spec) Chain() (Spec, error) {
	if s.Arch == "" {
		return s, nil
	}
	if len(s.Layers) > 0 {
		return Spec{}, fmt.Errorf("architecture %q: a spec names an architecture or lists layers, not both", s.Arch)
	}
	c, err := expandArchitecture(s.Arch, s.Config)
	if err != nil {
		return Spec{}, err
	}
	if len(s.Input) > 0 {
		c.Input = s.Input
	}
	return c, nil
}

// Validate checks the spec for one case of shape input (without the batch
// dimension; nil or empty means s.Input) and returns the shape of one output case.
// It reports unknown architectures, sizes that are not positive, bad rates and
// windows, and sizes that do not match the shape arriving at a layer.
// Without an input shape, only what does not depend on it is checked:
// dimensions that cannot be known are -1 in the result (nil if even the rank
// is unknown), and consecutive sizes are compared where both are known, such
// as Linear(…, 100) then BatchNorm(100) then Linear(100, …).
//
// It also refuses a spec past the limits MaxSize, MaxParams and
// MaxActivations (the last counted over the layers whose shapes are
// known), naming the limit, so that a spec read from a file cannot make
// Build or a forward pass allocate without bound.
func (s Spec) Validate(input []int) ([]int, error) {
	shape, _, err := s.walk(input)
	return shape, err
}

// walk checks the spec as Validate describes, and its sizes against
// MaxSize, MaxParams and MaxActivations layer by layer, so that no size
// past them reaches the arithmetic of the next layer. It returns the
// output case's shape and the network's footprint.
func (s Spec) walk(input []int) ([]int, Footprint, error) {
	c, err := s.Chain()
	if err != nil {
		return nil, Footprint{}, err
	}
	if len(input) == 0 {
		input = c.Input
	}
	if len(c.Layers) == 0 {
		return nil, Footprint{}, errors.New("spec has no layers")
	}
	for _, d := range input {
		if d < 1 {
			return nil, Footprint{}, fmt.Errorf("input shape %v: dimensions must be positive", input)
		}
		if d > MaxSize {
			return nil, Footprint{}, fmt.Errorf("input shape %v: dimension %d is more than nn.MaxSize (%d)", input, d, MaxSize)
		}
	}
	var shape []int // nil while the rank is unknown
	if len(input) > 0 {
		shape = append(shape, input...)
	}
	var fp Footprint
	unknown := false // whether some layer's activations cannot be counted
	for i, l := range c.Layers {
		if l == nil {
			return nil, Footprint{}, fmt.Errorf("layer %d: no config", i)
		}
		in := shape
		if shape, err = l.OutShape(in); err != nil {
			return nil, Footprint{}, fmt.Errorf("layer %d (%s): %w", i, l.Type(), err)
		}
		params, acts := l.Footprint(in, shape)
		fp.Params = addSat(fp.Params, params)
		if fp.Params > MaxParams {
			return nil, Footprint{}, fmt.Errorf("layer %d (%s): the network would have %d parameter and buffer values, more than nn.MaxParams (%d)", i, l.Type(), fp.Params, MaxParams)
		}
		if acts < 0 {
			unknown = true
			continue
		}
		fp.Activations = addSat(fp.Activations, acts)
		if fp.Activations > MaxActivations {
			return nil, Footprint{}, fmt.Errorf("layer %d (%s): one case would hold %d values in the network's layers, more than nn.MaxActivations (%d)", i, l.Type(), fp.Activations, MaxActivations)
		}
	}
	if unknown {
		fp.Activations = -1
	}
	return shape, fp, nil
}

// StateSize returns the number of parameter and buffer values that Build
// makes for s, without checking s, and false if it overflows an int or s
// names an unknown architecture. It lets a loader refuse an architecture
// whose state a file cannot hold before building it.
func (s Spec) StateSize() (int, bool) {
	c, err := s.Chain()
	if err != nil {
		return 0, false
	}
	total := 0
	for _, l := range c.Layers {
		if l == nil {
			continue
		}
		params, _ := l.Footprint(nil, nil)
		total = addSat(total, params)
	}
	return total, total < math.MaxInt
}

// numel returns the number of elements of a case of the given shape, or -1
// if it is not known; math.MaxInt if it overflows.
func numel(shape []int) int {
	if shape == nil {
		return -1
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			return -1
		}
		n = mulSat(n, d)
	}
	return n
}

// Build returns the network that s describes, after checking it with
// Validate(s.Input). Linear and Conv2D weights are drawn from r with init,
// or with the layer's own Init, in layer order; biases start at zero,
// BatchNorm at gamma 1 and beta 0. Each Dropout gets its own generator,
// seeded with the next 32 bits of r, so the same r gives the same network
// and the same masks. The network remembers s (see SpecOf).
func Build[T tensor.Float](s Spec, init Init, r *rng.MT) (*Sequential[T], error) {
	if _, err := s.Validate(s.Input); err != nil {
		return nil, err
	}
	c, _ := s.Chain() // Validate expanded it
	b := &Builder{Init: init, Rand: r}
	layers := make([]Layer[T], len(c.Layers))
	for i, l := range c.Layers {
		var err error
		if layers[i], err = BuildLayer[T](l, b); err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, l.Type(), err)
		}
	}
	net := NewSequential(layers...)
	net.built = &builtFrom[T]{spec: cloneSpec(s), layers: slices.Clone(layers)}
	net.Input = slices.Clone(c.Input)
	return net, nil
}

// builtFrom records the spec a Sequential was built from and the layers it
// made, so that SpecOf gives back the very spec while the layers are
// unchanged.
type builtFrom[T tensor.Float] struct {
	spec   Spec
	layers []Layer[T]
}

func cloneSpec(s Spec) Spec {
	s.Input = slices.Clone(s.Input)
	s.Layers = slices.Clone(s.Layers)
	s.Config = slices.Clone(s.Config)
	return s
}

// SpecOf returns the architecture of net: the Spec it was built from if
// Build made it and its layers are still those Build made; otherwise the
// chain of its layers' own Spec methods, with net.Input as the input
// shape. It returns an error naming the first layer (by index and Go type)
// that cannot describe itself.
func SpecOf[T tensor.Float](net *Sequential[T]) (Spec, error) {
	if b := net.built; b != nil && slices.Equal(b.layers, net.Layers) {
		return cloneSpec(b.spec), nil
	}
	s := Spec{Input: slices.Clone(net.Input), Layers: make(LayerSpecs, len(net.Layers))}
	for i, l := range net.Layers {
		d, ok := l.(Specced)
		if !ok {
			return Spec{}, fmt.Errorf("layer %d (%T) has no spec: it cannot be saved or exported as data", i, l)
		}
		s.Layers[i] = d.Spec()
	}
	return s, nil
}
