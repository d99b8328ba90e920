package word2vec

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
	"github.com/kiso-go/kiso/tensor"
)

// The "__metadata__" of a word2vec .kiso file.
const (
	Format  = "kiso-word2vec"
	Version = "1"
)

// The tensors of a word2vec .kiso file, both [V, Dim]: the book's W_in
// (the word vectors) and W_out.
const (
	TensorIn  = "w_in"
	TensorOut = "w_out"
)

// Info records how a model was trained, for whoever loads it.
type Info struct {
	// Corpus names the text ("brown", "ptb", a file name) and Tokens its
	// length in words.
	Corpus string `json:"corpus,omitempty"`
	Tokens int    `json:"tokens,omitempty"`
	// Epochs is the number of epochs completed; Loss is the mean loss per
	// example of the last one; Seconds the training time.
	Epochs  int     `json:"epochs"`
	Loss    float64 `json:"loss,omitempty"`
	Seconds float64 `json:"seconds,omitempty"`
	// Interrupted says that training stopped before its last epoch ended
	// (Ctrl-C); Steps is then the steps done in the unfinished epoch.
	Interrupted bool `json:"interrupted,omitempty"`
	Steps       int  `json:"steps,omitempty"`
}

// File is a word2vec model as read from a file, with its training record.
type File[T tensor.Float] struct {
	*Model[T]
	Info Info
}

// Save writes m and info to path as a .kiso file (safetensors), atomically:
// the tensors w_in and w_out ([V, Dim], F32 or F64 as T) and, in the
// metadata, format "kiso-word2vec", version "1", the vocabulary (a JSON
// array in id order), the configuration and info (JSON).
func Save[T tensor.Float](path string, m *Model[T], info Info) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := Write(bw, m, info); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		return nil
	})
}

// Write writes m and info to w as Save does.
func Write[T tensor.Float](w io.Writer, m *Model[T], info Info) error {
	vocab, err := json.Marshal(m.Words)
	if err != nil {
		return err
	}
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return err
	}
	training, err := json.Marshal(info)
	if err != nil {
		return fmt.Errorf("training info: %w", err)
	}
	return model.WriteSafetensors(w, []model.Named{model.FromTensor(TensorIn, m.In), model.FromTensor(TensorOut, m.Out)},
		map[string]string{"format": Format, "version": Version, "vocab": string(vocab), "config": string(cfg), "training": string(training)})
}

// Load reads a word2vec .kiso file, converting its vectors to T. Errors
// start with "load <path>: ".
func Load[T tensor.Float](path string) (*File[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, unwrapPath(err))
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("load %s: it is a folder", path)
	}
	m, err := Read[T](bufio.NewReader(f), fi.Size())
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return m, nil
}

// unwrapPath drops the *PathError's own path from err, which Load names.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Read reads a word2vec .kiso file of size bytes from r. Beyond what
// model.ReadSafetensors checks, it checks the format and version, that the
// configuration is valid, that the vocabulary is a JSON array of distinct
// words, that w_in and w_out are F32 or F64 of shape [V, Dim] for its V
// words and the configuration's Dim, and that every value is finite.
func Read[T tensor.Float](r io.Reader, size int64) (*File[T], error) {
	sf, err := model.ReadSafetensors(r, size)
	if err != nil {
		return nil, err
	}
	meta := sf.Metadata
	switch f := meta["format"]; {
	case f == model.Format:
		return nil, fmt.Errorf("this is a network's model file (kiso train writes those), not word vectors: kiso word2vec writes them")
	case f != Format:
		return nil, fmt.Errorf("not a word2vec file: format %q, want %q", f, Format)
	case meta["version"] != Version:
		return nil, fmt.Errorf("version %q, this kiso reads version %s", meta["version"], Version)
	}
	out := &File[T]{Model: &Model[T]{}}
	m := out.Model
	if err := unmarshalStrict(meta["config"], &m.Config); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := m.Config.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	m.Config = m.Config.Defaults()
	if err := unmarshalStrict(meta["vocab"], &m.Words); err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	if err := checkWords(m.Words, m.Config.Dim); err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	if s, ok := meta["training"]; ok {
		if err := json.Unmarshal([]byte(s), &out.Info); err != nil {
			return nil, fmt.Errorf("training info: %w", err)
		}
	}
	if len(sf.Tensors) != 2 {
		return nil, fmt.Errorf("%d tensors, want 2 (%s and %s)", len(sf.Tensors), TensorIn, TensorOut)
	}
	for _, name := range []string{TensorIn, TensorOut} {
		n, ok := sf.Tensor(name)
		if !ok {
			return nil, fmt.Errorf("no tensor %s", name)
		}
		if len(n.Shape) != 2 || n.Shape[0] != len(m.Words) || n.Shape[1] != m.Config.Dim {
			return nil, fmt.Errorf("tensor %s has the shape %v, want [%d %d] (the vocabulary's words, the vectors' length)", name, n.Shape, len(m.Words), m.Config.Dim)
		}
		t, err := model.ToTensor[T](n)
		if err != nil {
			return nil, err
		}
		for i, x := range t.Data {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("tensor %s: the value %v of word %q", name, x, m.Words[i/m.Config.Dim])
			}
		}
		if name == TensorIn {
			m.In = t
		} else {
			m.Out = t
		}
	}
	return out, nil
}

// unmarshalStrict decodes one JSON value from s into v, refusing unknown
// fields and anything after it.
func unmarshalStrict(s string, v any) error {
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
