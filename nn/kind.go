package nn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// LayerSpec is the configuration of one layer kind, as data: what a Spec
// lists and a model file stores as JSON, {"type": Type(), the config's
// fields...}. Each kind defines its config type in its own file (LinearSpec
// in linear.go) and registers it with Register, so that adding a kind
// touches nothing else.
type LayerSpec interface {
	// Type returns the kind's name as JSON spells it: "linear", "relu".
	Type() string
	// OutShape checks the config for one input case of shape in, without
	// the batch dimension, and returns the shape of one output case. A nil
	// in means the rank is not known, a -1 dimension that its size is not;
	// the result says as much as can be known, and only what does not
	// depend on unknown sizes is checked. It refuses any size of the
	// config past MaxSize (checkSizes), so that Footprint's arithmetic
	// stays far from overflow.
	OutShape(in []int) ([]int, error)
	// Footprint returns the parameter and buffer values the layer holds,
	// and the values one case makes it hold in a forward pass (its output,
	// and working memory such as a convolution's columns) given the input
	// and output case shapes OutShape accepted, -1 if they are unknown.
	// Products saturate at math.MaxInt (mulSat, addSat). Spec.Validate
	// sums them against MaxParams and MaxActivations.
	Footprint(in, out []int) (params, acts int)
}

// Specced is implemented by layers that can describe themselves: Spec
// returns the config that builds a layer like this one (same kind, same
// sizes; weights are not part of it). SpecOf uses it to derive a network's
// architecture.
type Specced interface {
	Spec() LayerSpec
}

// Builder is what a kind's build function gets besides its config: the
// network's default initializer and the generator weights (and the seeds
// of Dropout's generators) are drawn from, in layer order.
type Builder struct {
	Init Init
	Rand *rng.MT
}

// InitFor returns the initializer named by a config's own init field, or
// b.Init if name is empty.
func (b *Builder) InitFor(name string) (Init, error) {
	if name == "" {
		return b.Init, nil
	}
	return ParseInit(name)
}

// kind is one registered layer kind.
type kind struct {
	decode  func(data []byte) (LayerSpec, error)
	build32 func(LayerSpec, *Builder) (Layer[float32], error)
	build64 func(LayerSpec, *Builder) (Layer[float64], error)
}

var (
	kindsMu sync.RWMutex
	kinds   = map[string]kind{}
)

// Register adds a layer kind: JSON configs of type name decode into a copy
// of zero (strictly: a field S does not have is an error), and build32 and
// build64 make the layer in float32 and float64. A kind's file calls it from
// an init function, with the two instantiations of one generic function:
//
//	func init() { Register("linear", LinearSpec{}, buildLinear[float32], buildLinear[float64]) }
//
// It panics if name is empty or already registered, or if zero.Type() is
// not name.
func Register[S LayerSpec](name string, zero S,
	build32 func(S, *Builder) (Layer[float32], error), build64 func(S, *Builder) (Layer[float64], error)) {
	if name == "" || zero.Type() != name {
		panic(fmt.Sprintf("nn: Register(%q): the config's Type() is %q", name, zero.Type()))
	}
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, dup := kinds[name]; dup {
		panic(fmt.Sprintf("nn: layer kind %q registered twice", name))
	}
	kinds[name] = kind{
		decode: func(data []byte) (LayerSpec, error) {
			s := zero
			if err := decodeStrict(data, &s); err != nil {
				return nil, err
			}
			return s, nil
		},
		build32: func(s LayerSpec, b *Builder) (Layer[float32], error) { return build32(s.(S), b) },
		build64: func(s LayerSpec, b *Builder) (Layer[float64], error) { return build64(s.(S), b) },
	}
}

// Kinds returns the names of the registered layer kinds, sorted.
func Kinds() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func lookupKind(name string) (kind, bool) {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	k, ok := kinds[name]
	return k, ok
}

// BuildLayer returns the layer that s describes, in T, after checking s
// alone (s.OutShape(nil)). It is what Build does for each layer, and what
// a composite kind does for its parts.
func BuildLayer[T tensor.Float](s LayerSpec, b *Builder) (Layer[T], error) {
	if s == nil {
		return nil, errors.New("no layer config")
	}
	k, ok := lookupKind(s.Type())
	if !ok {
		return nil, fmt.Errorf("unknown layer type %q", s.Type())
	}
	if _, err := s.OutShape(nil); err != nil {
		return nil, err
	}
	var l any
	var err error
	switch any(T(0)).(type) {
	case float32:
		l, err = k.build32(s, b)
	default:
		l, err = k.build64(s, b)
	}
	if err != nil {
		return nil, err
	}
	return l.(Layer[T]), nil
}

// LayerSpecs is a list of layer configs that reads and writes itself as a
// JSON array of {"type": ..., fields...} objects.
type LayerSpecs []LayerSpec

// MarshalJSON writes each config as an object whose first field is "type".
func (ls LayerSpecs) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, l := range ls {
		if i > 0 {
			b.WriteByte(',')
		}
		if l == nil {
			return nil, fmt.Errorf("layer %d: no config", i)
		}
		typ, _ := json.Marshal(l.Type())
		fields, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, l.Type(), err)
		}
		if len(fields) < 2 || fields[0] != '{' {
			return nil, fmt.Errorf("layer %d (%s): config is not a JSON object", i, l.Type())
		}
		b.WriteString(`{"type":`)
		b.Write(typ)
		if len(fields) > 2 {
			b.WriteByte(',')
		}
		b.Write(fields[1:])
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// UnmarshalJSON reads each object's "type", finds the registered kind and
// decodes the other fields into its config, strictly: an unknown type or a
// field the kind does not have is an error naming the layer.
func (ls *LayerSpecs) UnmarshalJSON(data []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return err
	}
	out := make(LayerSpecs, len(raws))
	for i, raw := range raws {
		s, err := decodeLayer(raw)
		if err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		out[i] = s
	}
	*ls = out
	return nil
}

// decodeLayer decodes one {"type": ..., fields...} object.
func decodeLayer(raw []byte) (LayerSpec, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, errors.New("want an object with a type")
	}
	var typ string
	if t, ok := fields["type"]; !ok {
		return nil, errors.New("no type")
	} else if err := json.Unmarshal(t, &typ); err != nil {
		return nil, fmt.Errorf("type: %w", err)
	}
	delete(fields, "type")
	k, ok := lookupKind(typ)
	if !ok {
		return nil, fmt.Errorf("unknown layer type %q", typ)
	}
	rest, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	s, err := k.decode(rest)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", typ, err)
	}
	return s, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and
// trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt field would silently change the network
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}
