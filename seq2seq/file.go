package seq2seq

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/internal/kisofile"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/text"
)

// The "__metadata__" of a seq2seq .kiso file.
const (
	Format  = "kiso-seq2seq"
	Version = "1"
)

// Info records how a model was trained, for whoever loads it.
type Info struct {
	// Data names the task ("addition", "dates", a file name).
	Data string `json:"data,omitempty"`
	// History holds the epochs completed.
	History []Epoch `json:"history,omitempty"`
	// Interrupted says that training stopped within an epoch (Ctrl-C).
	Interrupted bool `json:"interrupted,omitempty"`
}

// File is a model as read from a file: the model, the symbols its ids
// stand for (Pairs holds the vocabulary and the lengths, with no
// examples) and its training record.
type File[T tensor.Float] struct {
	Model *Model[T]
	Pairs *text.Pairs
	Info  Info
}

// Save writes m, the vocabulary and lengths of p and info to path as a
// .kiso file (safetensors), atomically: one tensor per parameter, named
// as Params names them, in kiso's layout (the weights PyTorch stores
// transposed are [in, out] here), F32 or F64 as T; in the metadata,
// format "kiso-seq2seq", version "1", the config, the vocabulary (a JSON
// array in id order), the question and answer lengths and info (JSON).
func Save[T tensor.Float](path string, m *Model[T], p *text.Pairs, info Info) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := Write(bw, m, p, info); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		return nil
	})
}

// Write writes m, p's vocabulary and lengths and info to w as Save does.
func Write[T tensor.Float](w io.Writer, m *Model[T], p *text.Pairs, info Info) error {
	meta := map[string]string{"format": Format, "version": Version}
	for k, v := range map[string]any{"config": m.Config, "vocab": p.Vocab.Words(), "training": info,
		"lengths": [2]int{p.QuestionLen, p.AnswerLen}} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		meta[k] = string(b)
	}
	var ts []model.Named
	for _, q := range m.Params() {
		ts = append(ts, model.FromTensor(q.Name, q.Value))
	}
	return model.WriteSafetensors(w, ts, meta)
}

// Load reads a seq2seq .kiso file, converting its parameters to T. Errors
// start with "load <path>: ".
func Load[T tensor.Float](path string) (*File[T], error) {
	return kisofile.Load(path, Read[T])
}

// MaxLen caps the question and answer lengths a file may declare.
const MaxLen = 1 << 12

// Read reads a seq2seq .kiso file of size bytes from r. Beyond what
// model.ReadSafetensors checks, it checks the format and version, the
// config, that the vocabulary is a JSON array of distinct symbols, as many
// as the config's Vocab, the lengths, that every parameter is there with
// its shape, and that every value is finite.
func Read[T tensor.Float](r io.Reader, size int64) (*File[T], error) {
	sf, err := kisofile.Read(r, size, kisofile.Kind{Format: Format, Version: Version,
		Name: "a seq2seq model", Writer: "kiso seq2seq"})
	if err != nil {
		return nil, err
	}
	var cfg Config
	if err := kisofile.Strict(sf, "config", &cfg); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	words, err := kisofile.Words(sf, "vocab", cfg.Vocab)
	if err != nil {
		return nil, err
	}
	vocab, err := text.NewVocab(words)
	if err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	var lengths [2]int
	if err := kisofile.Strict(sf, "lengths", &lengths); err != nil {
		return nil, err
	}
	if lengths[0] < 1 || lengths[1] < 2 || lengths[0] > MaxLen || lengths[1] > MaxLen {
		return nil, fmt.Errorf("lengths: questions of %d and answers of %d, want 1 to %d and 2 to %d", lengths[0], lengths[1], MaxLen, MaxLen)
	}
	out := &File[T]{Model: newModel[T](cfg), Pairs: &text.Pairs{Vocab: vocab, QuestionLen: lengths[0], AnswerLen: lengths[1]}}
	if err := kisofile.Optional(sf, "training", &out.Info); err != nil {
		return nil, err
	}
	if err := kisofile.Params(sf, out.Model.Params()); err != nil {
		return nil, err
	}
	return out, nil
}

// Answer returns the model's greedy answer to a question typed by a user:
// the question padded as the training questions were, decoded from the
// answers' start symbol "_" for the rest of their length. A question the
// vocabulary cannot spell, or too long, is an error.
func (f *File[T]) Answer(question string) (string, error) {
	x, err := f.Pairs.Question(question)
	if err != nil {
		return "", err
	}
	id, ok := f.Pairs.Vocab.ID("_")
	if !ok {
		return "", fmt.Errorf("the answers' start symbol \"_\" is not in the vocabulary")
	}
	return f.Pairs.Decode(f.Model.Generate(x, []int{id}, f.Pairs.AnswerLen-1)), nil
}

// Attention answers question as Answer does and returns the attention
// weights of that answer: one row per answer symbol, each as long as the
// padded question, in the question's own order (even with Reverse), how
// much the step that wrote the symbol looked at each question symbol. A
// model without attention is an error.
func (f *File[T]) Attention(question string) (string, [][]float64, error) {
	if !f.Model.Config.Attention {
		return "", nil, fmt.Errorf("the model has no attention (kiso seq2seq --attention trains one)")
	}
	a, err := f.Answer(question)
	if err != nil {
		return "", nil, err
	}
	w := f.Model.AttentionWeights()
	steps, tq := w.Dim(1), w.Dim(2)
	rows := make([][]float64, steps)
	for s := range rows {
		rows[s] = make([]float64, tq)
		for j := range tq {
			rows[s][j] = float64(w.Data[s*tq+j])
		}
	}
	return a, rows, nil
}
