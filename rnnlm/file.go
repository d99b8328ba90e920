package rnnlm

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// The "__metadata__" of an LSTM language model's .kiso file.
const (
	Format  = "kiso-lstmlm"
	Version = "1"
)

// Info records how a model was trained.
type Info struct {
	Data        string  `json:"data,omitempty"`
	Config      Config  `json:"training"`
	History     []Epoch `json:"history,omitempty"`
	Test        float64 `json:"test_perplexity,omitempty"`
	Interrupted bool    `json:"interrupted,omitempty"`
}

// File is a model as read from a file, with its words and training record.
type File[T tensor.Float] struct {
	Model *nn.LSTMLM[T]
	Words []string
	Info  Info
}

// Save writes m, its words (in id order) and info to path atomically as a
// .kiso file (safetensors): one tensor per parameter, named as Params
// names them, in kiso's layout, F32 or F64 as T; the config, words and
// info in the metadata.
func Save[T tensor.Float](path string, m *nn.LSTMLM[T], words []string, info Info) error {
	if len(words) != m.Config.Vocab {
		return fmt.Errorf("save %s: %d words for a vocabulary of %d", path, len(words), m.Config.Vocab)
	}
	meta := map[string]string{"format": Format, "version": Version}
	for k, v := range map[string]any{"config": m.Config, "vocab": words, "info": info} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("save %s: %s: %w", path, k, err)
		}
		meta[k] = string(b)
	}
	var ts []model.Named
	for _, p := range m.Params() {
		ts = append(ts, model.FromTensor(p.Name, p.Value))
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := model.WriteSafetensors(bw, ts, meta); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		return bw.Flush()
	})
}

// Load reads a file Save wrote, checking the format, the config, that the
// words are distinct and as many as the config's Vocab, that every
// parameter is there with its shape, and that every value is finite.
func Load[T tensor.Float](path string) (*File[T], error) {
	f, err := os.Open(path)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			err = pe.Err
		}
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		return nil, fmt.Errorf("load %s: not a file", path)
	}
	out, err := read[T](bufio.NewReader(f), fi.Size())
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return out, nil
}

func read[T tensor.Float](r io.Reader, size int64) (*File[T], error) {
	sf, err := model.ReadSafetensors(r, size)
	if err != nil {
		return nil, err
	}
	meta := sf.Metadata
	switch f := meta["format"]; {
	case f != Format:
		return nil, fmt.Errorf("not an LSTM language model: format %q, want %q", f, Format)
	case meta["version"] != Version:
		return nil, fmt.Errorf("version %q, this kiso reads version %s", meta["version"], Version)
	}
	out := &File[T]{}
	var c nn.LSTMLMConfig
	if err := strict(meta["config"], &c); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := strict(meta["vocab"], &out.Words); err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	seen := map[string]bool{}
	for _, w := range out.Words {
		if seen[w] {
			return nil, fmt.Errorf("vocab: %q twice", w)
		}
		seen[w] = true
	}
	if len(out.Words) != c.Vocab {
		return nil, fmt.Errorf("vocab: %d words, the config says %d", len(out.Words), c.Vocab)
	}
	if s, ok := meta["info"]; ok {
		if err := json.Unmarshal([]byte(s), &out.Info); err != nil {
			return nil, fmt.Errorf("info: %w", err)
		}
	}
	out.Model = nn.NewLSTMLM[T](c, rng.NewNumpy(0))
	params := out.Model.Params()
	if len(sf.Tensors) != len(params) {
		return nil, fmt.Errorf("%d tensors, the config's model has %d parameters", len(sf.Tensors), len(params))
	}
	for _, p := range params {
		n, ok := sf.Tensor(p.Name)
		if !ok {
			return nil, fmt.Errorf("no tensor %s", p.Name)
		}
		if !tensor.EqualShape(n.Shape, p.Value.Shape()) {
			return nil, fmt.Errorf("tensor %s has the shape %v, the config's model %v", p.Name, n.Shape, p.Value.Shape())
		}
		t, err := model.ToTensor[T](n)
		if err != nil {
			return nil, err
		}
		for _, x := range t.Data {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("tensor %s holds %v", p.Name, x)
			}
		}
		copy(p.Value.Data, t.Data)
	}
	return out, nil
}

func strict(s string, v any) error {
	if s == "" {
		return fmt.Errorf("missing")
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}
