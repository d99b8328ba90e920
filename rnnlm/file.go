package rnnlm

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/internal/kisofile"
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
	return kisofile.Load(path, read[T])
}

func read[T tensor.Float](r io.Reader, size int64) (*File[T], error) {
	sf, err := kisofile.Read(r, size, kisofile.Kind{Format: Format, Version: Version,
		Name: "an LSTM language model", Writer: "kiso lstmlm"})
	if err != nil {
		return nil, err
	}
	out := &File[T]{}
	var c nn.LSTMLMConfig
	if err := kisofile.Strict(sf, "config", &c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if out.Words, err = kisofile.Words(sf, "vocab", c.Vocab); err != nil {
		return nil, err
	}
	if err := kisofile.Optional(sf, "info", &out.Info); err != nil {
		return nil, err
	}
	out.Model = nn.NewLSTMLM[T](c, rng.NewNumpy(0))
	if err := kisofile.Params(sf, out.Model.Params()); err != nil {
		return nil, err
	}
	return out, nil
}
