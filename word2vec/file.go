package word2vec

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/internal/kisofile"
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
	return kisofile.Load(path, Read[T])
}

// Read reads a word2vec .kiso file of size bytes from r. Beyond what
// model.ReadSafetensors checks, it checks the format and version, that the
// configuration is valid, that the vocabulary is a JSON array of distinct
// words, that w_in and w_out are F32 or F64 of shape [V, Dim] for its V
// words and the configuration's Dim, and that every value is finite.
func Read[T tensor.Float](r io.Reader, size int64) (*File[T], error) {
	sf, err := kisofile.Read(r, size, kisofile.Kind{Format: Format, Version: Version,
		Name: "word vectors", Writer: "kiso word2vec"})
	if err != nil {
		return nil, err
	}
	out := &File[T]{Model: &Model[T]{}}
	m := out.Model
	if err := kisofile.Strict(sf, "config", &m.Config); err != nil {
		return nil, err
	}
	if err := m.Config.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	m.Config = m.Config.Defaults()
	if err := kisofile.Strict(sf, "vocab", &m.Words); err != nil {
		return nil, err
	}
	if err := checkWords(m.Words, m.Config.Dim); err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	if err := kisofile.Optional(sf, "training", &out.Info); err != nil {
		return nil, err
	}
	if len(sf.Tensors) != 2 {
		return nil, fmt.Errorf("%d tensors, want 2 (%s and %s)", len(sf.Tensors), TensorIn, TensorOut)
	}
	shape := []int{len(m.Words), m.Config.Dim} // the vocabulary's words, the vectors' length
	if m.In, err = kisofile.Tensor[T](sf, TensorIn, shape); err != nil {
		return nil, err
	}
	if m.Out, err = kisofile.Tensor[T](sf, TensorOut, shape); err != nil {
		return nil, err
	}
	return out, nil
}
