package word2vec

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// The two architectures.
const (
	CBOW     = "cbow"
	SkipGram = "skipgram"
)

// Limits on a Config, checked by Validate: far beyond any use, they bound
// what a model file or a command line can make kiso allocate.
const (
	MaxWindow    = 100
	MaxDim       = 10_000
	MaxNegatives = 100
	MaxBatch     = 1 << 16
	// MaxWords is the largest vocabulary; MaxWords·Dim is bounded by
	// MaxValues too.
	MaxWords  = 10_000_000
	MaxValues = 1 << 31
)

// Config is what a word2vec model is and how it trains. The zero value of
// a field means its default; Defaults fills them in.
type Config struct {
	// Arch is CBOW (the default) or SkipGram.
	Arch string `json:"arch"`
	// Window is the number of context words on each side (default 5).
	Window int `json:"window"`
	// Dim is the length of a word vector, the book's hidden_size (default
	// 100).
	Dim int `json:"dim"`
	// Negatives is the number of negative samples per target (default 5).
	Negatives int `json:"negatives"`
	// Power is the exponent of the unigram distribution the negatives are
	// drawn from (default 0.75).
	Power float64 `json:"power"`
	// Batch is the number of examples per step (default 100, the book's).
	Batch int `json:"batch"`
	// LR is the learning rate of the first step; it falls linearly to
	// LR/10000 at the last (default 0.2 for CBOW, 0.025 for skip-gram:
	// on Brown, 10 epochs of CBOW answer 21.2% of DefaultAnalogies at
	// 0.2, 19.5% at 0.4; 5 epochs 11.1% at 0.05, 16.4% at 0.1, 18.4% at
	// 0.2). A step adds -LR times the gradient of the sum (not the mean)
	// of its examples' losses, so that the rate is per example, as in
	// word2vec.
	LR float64 `json:"lr"`
	// Epochs is the number of passes over the corpus (default 10, the
	// book's max_epoch).
	Epochs int `json:"epochs"`
	// Seed seeds the initial vectors, the order of examples and the
	// negative samples.
	Seed uint32 `json:"seed"`
}

// Defaults returns c with every zero field set to its default.
func (c Config) Defaults() Config {
	if c.Arch == "" {
		c.Arch = CBOW
	}
	if c.Window == 0 {
		c.Window = 5
	}
	if c.Dim == 0 {
		c.Dim = 100
	}
	if c.Negatives == 0 {
		c.Negatives = 5
	}
	if c.Power == 0 {
		c.Power = 0.75
	}
	if c.Batch == 0 {
		c.Batch = 100
	}
	if c.LR == 0 {
		c.LR = 0.2
		if c.Arch == SkipGram {
			c.LR = 0.025
		}
	}
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	return c
}

// Validate returns an error naming the first field of c (defaults applied
// or not) that is out of range.
func (c Config) Validate() error {
	c = c.Defaults()
	switch {
	case c.Arch != CBOW && c.Arch != SkipGram:
		return fmt.Errorf("architecture %q: want %s or %s", c.Arch, CBOW, SkipGram)
	case c.Window < 1 || c.Window > MaxWindow:
		return fmt.Errorf("window %d: want 1 to %d", c.Window, MaxWindow)
	case c.Dim < 1 || c.Dim > MaxDim:
		return fmt.Errorf("vector length %d: want 1 to %d", c.Dim, MaxDim)
	case c.Negatives < 1 || c.Negatives > MaxNegatives:
		return fmt.Errorf("%d negative samples: want 1 to %d", c.Negatives, MaxNegatives)
	case !(c.Power >= 0 && c.Power <= 10):
		return fmt.Errorf("power %v: want 0 to 10", c.Power)
	case c.Batch < 1 || c.Batch > MaxBatch:
		return fmt.Errorf("batch %d: want 1 to %d", c.Batch, MaxBatch)
	case !(c.LR > 0 && c.LR <= 100):
		return fmt.Errorf("learning rate %v: want more than 0, at most 100", c.LR)
	case c.Epochs < 1:
		return fmt.Errorf("%d epochs: want at least 1", c.Epochs)
	}
	return nil
}

// Model is a word2vec model: V words and their input and output vectors.
type Model[T tensor.Float] struct {
	// Words are the vocabulary, word i's vectors being row i of In and Out.
	Words []string
	// In holds the word vectors, [V, Dim]: the book's W_in, the vectors
	// that Vectors and the .kiso file's users read.
	In *tensor.Tensor[T]
	// Out holds the output vectors, [V, Dim]: the book's W_out.
	Out *tensor.Tensor[T]
	// Config is the configuration, defaults applied.
	Config Config
}

// NewModel returns a model of words with both matrices drawn from
// N(0, 0.01²) (the book's 0.01 * np.random.randn, in float32 or float64 as
// T) from rng.NewNumpy(cfg.Seed), In first. It returns an error if cfg is
// not valid, words is empty or too large, or a word repeats.
func NewModel[T tensor.Float](words []string, cfg Config) (*Model[T], error) {
	cfg = cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkWords(words, cfg.Dim); err != nil {
		return nil, err
	}
	m := &Model[T]{Words: append([]string(nil), words...), Config: cfg,
		In: tensor.New[T](len(words), cfg.Dim), Out: tensor.New[T](len(words), cfg.Dim)}
	r := rng.NewNumpy(cfg.Seed)
	for _, t := range []*tensor.Tensor[T]{m.In, m.Out} {
		for i := range t.Data {
			t.Data[i] = T(0.01 * r.Norm())
		}
	}
	return m, nil
}

// checkWords returns an error if words is empty, too many for vectors of
// length dim, or repeats a word.
func checkWords(words []string, dim int) error {
	switch {
	case len(words) == 0:
		return fmt.Errorf("the vocabulary is empty")
	case len(words) > MaxWords || len(words)*dim > MaxValues:
		return fmt.Errorf("a vocabulary of %d words of %d values each is more than kiso's limit of %d words or %d values", len(words), dim, MaxWords, MaxValues)
	}
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		if seen[w] {
			return fmt.Errorf("the word %q is in the vocabulary twice", w)
		}
		seen[w] = true
	}
	return nil
}
