// Package kisofile reads what the .kiso files of kiso's text models
// (packages rnnlm, seq2seq and word2vec) have in common: a safetensors file
// whose metadata names its format and version and holds JSON fields (the
// config, the vocabulary, the training record), and tensors that must have
// the model's shapes and finite values.
package kisofile

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// Load opens path and returns what read makes of its size bytes. Errors
// start with "load <path>: " (and do not repeat the path after it).
func Load[F any](path string, read func(r io.Reader, size int64) (F, error)) (F, error) {
	var zero F
	f, err := os.Open(path)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			err = pe.Err
		}
		return zero, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return zero, fmt.Errorf("load %s: %w", path, err)
	}
	if fi.IsDir() {
		return zero, fmt.Errorf("load %s: it is a folder", path)
	}
	out, err := read(bufio.NewReader(f), fi.Size())
	if err != nil {
		return zero, fmt.Errorf("load %s: %w", path, err)
	}
	return out, nil
}

// Kind is what a file should be: its metadata's format and version, what
// to call it in an error ("a seq2seq model") and the command that writes
// it ("kiso seq2seq").
type Kind struct {
	Format, Version string
	Name, Writer    string
}

// Read reads a safetensors file of size bytes from r (model.ReadSafetensors
// checks its layout) and checks that its metadata's format and version are
// k's. A network's model file (kiso train's) gets a message of its own.
func Read(r io.Reader, size int64, k Kind) (*model.File, error) {
	sf, err := model.ReadSafetensors(r, size)
	if err != nil {
		return nil, err
	}
	switch f := sf.Metadata["format"]; {
	case f == model.Format && k.Format != model.Format:
		return nil, fmt.Errorf("this is a network's model file (kiso train writes those), not %s: %s writes them", k.Name, k.Writer)
	case f != k.Format:
		return nil, fmt.Errorf("not %s: format %q, want %q", k.Name, f, k.Format)
	case sf.Metadata["version"] != k.Version:
		return nil, fmt.Errorf("version %q, this kiso reads version %s", sf.Metadata["version"], k.Version)
	}
	return sf, nil
}

// Strict decodes the metadata field key of sf into v, refusing a missing
// field, unknown fields and anything after the JSON value. Errors start
// with "key: ".
func Strict(sf *model.File, key string, v any) error {
	s := sf.Metadata[key]
	if s == "" {
		return fmt.Errorf("%s: missing", key)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: data after the JSON value", key)
	}
	return nil
}

// Optional decodes the metadata field key of sf into v if it is there (a
// training record: unknown fields are ignored, so that a newer kiso's
// records still load). Errors start with "key: ".
func Optional(sf *model.File, key string, v any) error {
	s, ok := sf.Metadata[key]
	if !ok {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// Words decodes the metadata field key of sf, a JSON array of n distinct
// strings (a vocabulary in id order). Errors start with "key: ".
func Words(sf *model.File, key string, n int) ([]string, error) {
	var words []string
	if err := Strict(sf, key, &words); err != nil {
		return nil, err
	}
	if len(words) != n {
		return nil, fmt.Errorf("%s: %d words, the config says %d", key, len(words), n)
	}
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		if seen[w] {
			return nil, fmt.Errorf("%s: %q twice", key, w)
		}
		seen[w] = true
	}
	return words, nil
}

// Tensor returns the tensor name of sf as T. It must have the shape want
// and finite values.
func Tensor[T tensor.Float](sf *model.File, name string, want []int) (*tensor.Tensor[T], error) {
	n, ok := sf.Tensor(name)
	if !ok {
		return nil, fmt.Errorf("no tensor %s", name)
	}
	if !tensor.EqualShape(n.Shape, want) {
		return nil, fmt.Errorf("tensor %s has the shape %v, want %v", name, n.Shape, want)
	}
	t, err := model.ToTensor[T](n)
	if err != nil {
		return nil, err
	}
	for i, x := range t.Data {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("tensor %s holds %v (value %d)", name, x, i)
		}
	}
	return t, nil
}

// Params sets the value of every parameter from the tensor of its name in
// sf (see Tensor): sf must hold exactly those tensors, with the
// parameters' shapes.
func Params[T tensor.Float](sf *model.File, params []*nn.Param[T]) error {
	if len(sf.Tensors) != len(params) {
		return fmt.Errorf("%d tensors, the config's model has %d parameters", len(sf.Tensors), len(params))
	}
	for _, p := range params {
		t, err := Tensor[T](sf, p.Name, p.Value.Shape())
		if err != nil {
			return err
		}
		copy(p.Value.Data, t.Data)
	}
	return nil
}
