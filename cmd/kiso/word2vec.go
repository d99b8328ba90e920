package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/text"
	"github.com/kiso-go/kiso/word2vec"
)

func init() { extraCommands = append(extraCommands, newWord2vecCmd) }

// word2vecOptions are the flags of kiso word2vec.
type word2vecOptions struct {
	Data      string
	Dir       string
	Vocab     int
	Model     string
	Window    int
	Hidden    int
	Negatives int
	Batch     int
	LR        float64
	Epochs    int
	Seed      uint32
	Out       string
	OutGiven  bool
	Every     time.Duration
	Quiet     bool
	JSON      bool
}

func newWord2vecCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &word2vecOptions{}
	cmd := &cobra.Command{
		Use:   "word2vec",
		Short: "Learn word vectors (CBOW or skip-gram with negative sampling)",
		Long: `Learn word vectors from a word corpus as the second volume's chapter 4 does:
CBOW (--model cbow, the default) predicts each word from the mean of the
vectors of the --window words on each side; skip-gram (--model skipgram)
predicts each of those words from the word's vector. Both use negative
sampling: each target is scored against --negatives other words drawn from
the unigram distribution raised to the power 0.75.

Training is mini-batch SGD (--batch examples a step, each example's
gradient added at the rate --lr, which falls linearly to nothing over the
run) with sparse updates: a step changes only the rows of the words it
saw. The same --seed gives the same vectors on any number of cores.

Corpora: brown (after kiso data brown: the training part, everything before
the test tenth, 1,117,356 words of 10,002 types), ptb (after kiso data ptb:
its train file), text:PATH (a UTF-8 file, a sentence a line, words split at
spaces; --vocab N keeps the N most frequent words, the rest <unk>).

The vectors go to --out (w2v.kiso), a safetensors file with the vocabulary
in its metadata; query them with kiso similar. Ctrl-C stops after the step
under way and saves the vectors so far.`,
		Example: `  kiso data brown
  kiso word2vec --data brown --window 5 --hidden 100
  kiso word2vec --data brown --model skipgram --epochs 3 --out sg.kiso
  kiso similar --model w2v.kiso car`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.OutGiven = cmd.Flags().Changed("out")
			return runWord2vec(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Data, "data", "brown", "corpus: brown, ptb or text:PATH")
	f.StringVar(&o.Dir, "dir", "", "cache folder of brown or ptb (default: the user cache folder's kiso/brown or kiso/ptb)")
	f.IntVar(&o.Vocab, "vocab", 0, "with text:PATH, keep this many most frequent words (0: all)")
	f.StringVar(&o.Model, "model", "cbow", "cbow or skipgram")
	f.IntVar(&o.Window, "window", 5, "context words on each side")
	f.IntVar(&o.Hidden, "hidden", 100, "length of a word vector")
	f.IntVar(&o.Negatives, "negatives", 5, "negative samples per target")
	f.IntVar(&o.Batch, "batch", 100, "examples per step")
	f.Float64Var(&o.LR, "lr", 0, "first learning rate, falling linearly to nothing (default 0.2 for cbow, 0.025 for skipgram)")
	f.IntVar(&o.Epochs, "epochs", 10, "passes over the corpus (the book's 10)")
	f.Uint32Var(&o.Seed, "seed", 1, "random seed")
	f.StringVar(&o.Out, "out", "w2v.kiso", "the vectors' file")
	f.DurationVar(&o.Every, "progress-every", 5*time.Second, "how often to print the progress line (0: at each epoch's end only)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the figures")
	return cmd
}

func (o *word2vecOptions) config() word2vec.Config {
	return word2vec.Config{Arch: o.Model, Window: o.Window, Dim: o.Hidden, Negatives: o.Negatives,
		Batch: o.Batch, LR: o.LR, Epochs: o.Epochs, Seed: o.Seed}.Defaults()
}

func (o *word2vecOptions) validate() error {
	switch {
	case o.Model != word2vec.CBOW && o.Model != word2vec.SkipGram:
		return usagef("--model %q: want cbow or skipgram", o.Model)
	case o.Window < 1 || o.Window > word2vec.MaxWindow:
		return usagef("--window %d: want 1 to %d", o.Window, word2vec.MaxWindow)
	case o.Hidden < 1 || o.Hidden > word2vec.MaxDim:
		return usagef("--hidden %d: want 1 to %d", o.Hidden, word2vec.MaxDim)
	case o.Negatives < 1 || o.Negatives > word2vec.MaxNegatives:
		return usagef("--negatives %d: want 1 to %d", o.Negatives, word2vec.MaxNegatives)
	case o.Batch < 1 || o.Batch > word2vec.MaxBatch:
		return usagef("--batch %d: want 1 to %d", o.Batch, word2vec.MaxBatch)
	case o.LR < 0 || o.LR > 100 || o.LR != o.LR:
		return usagef("--lr %v: want more than 0, at most 100 (0 for the default)", o.LR)
	case o.Epochs < 1:
		return usagef("--epochs %d: want at least 1", o.Epochs)
	case o.Vocab < 0:
		return usagef("--vocab %d: want 0 (all words) or more", o.Vocab)
	case o.Vocab > 0 && !strings.HasPrefix(o.Data, "text:"):
		return usagef("--vocab is for --data text:PATH; brown and ptb have their own vocabularies (10,000 words)")
	case o.Out == "":
		return usagef("--out is required: the vectors' file")
	case o.Every < 0:
		return usagef("--progress-every %v: want 0 or more", o.Every)
	}
	return nil
}

// word2vecCorpus loads the words and the running ids to train on.
func (o *word2vecOptions) corpus() (name string, words []string, ids []int, err error) {
	if path, ok := strings.CutPrefix(o.Data, "text:"); ok {
		words, ids, err = readWordFile(path, o.Vocab)
		return o.Data, words, ids, err
	}
	if o.Data != "brown" && o.Data != "ptb" {
		return "", nil, nil, usagef("--data %q: want brown, ptb or text:PATH", o.Data)
	}
	c, err := text.LoadWords(o.Data, o.Dir)
	if err != nil {
		return "", nil, nil, err
	}
	train, _, _ := c.Parts(false)
	return o.Data, c.Vocab.Words(), train, nil
}

// readWordFile reads a text file as a word corpus: a sentence a line, words
// split at whitespace, <eos> after each line, words numbered in order of
// first appearance; keep > 0 keeps the keep most frequent words, the rest
// <unk>.
func readWordFile(path string, keep int) ([]string, []int, error) {
	c, err := text.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var sents [][]string
	distinct := map[string]bool{}
	for _, line := range strings.Split(c.Text, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			sents = append(sents, f)
			for _, w := range f {
				distinct[w] = true
			}
		}
	}
	if len(sents) == 0 {
		return nil, nil, fmt.Errorf("%s has no words", path)
	}
	if keep > 0 {
		if len(distinct) < keep {
			return nil, nil, fmt.Errorf("%s has %d distinct words, fewer than the %d asked for with --vocab", path, len(distinct), keep)
		}
		text.KeepTop(sents, keep)
	}
	index := map[string]int{}
	var words []string
	var ids []int
	id := func(w string) int {
		i, ok := index[w]
		if !ok {
			i = len(words)
			index[w] = i
			words = append(words, w)
		}
		return i
	}
	for _, s := range sents {
		for _, w := range s {
			ids = append(ids, id(w))
		}
		ids = append(ids, id(text.EOS))
	}
	return words, ids, nil
}

func runWord2vec(ctx context.Context, o *word2vecOptions, stdout, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	if !o.OutGiven {
		if _, err := os.Stat(o.Out); err == nil {
			return usagef("%s exists and --out was not given: name the vectors' file with --out (--out %s replaces it)", o.Out, shellQuote(o.Out))
		}
	}
	if err := atomicfile.CheckWritable(o.Out); err != nil {
		return err
	}
	name, words, ids, err := o.corpus()
	if err != nil {
		return err
	}
	m, err := word2vec.NewModel[float32](words, o.config())
	if err != nil {
		return err
	}
	tr, err := word2vec.NewTrainer(m, ids)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	cfg := m.Config
	progress := stderr
	if o.Quiet || o.JSON {
		progress = io.Discard
	}
	fmt.Fprintf(progress, "word2vec %s on %s: %d words, %d types; window %d, vectors of %d, %d negatives, batch %d, lr %g, %d epochs of %d steps\n",
		cfg.Arch, name, len(ids), len(words), cfg.Window, cfg.Dim, cfg.Negatives, cfg.Batch, cfg.LR, cfg.Epochs, tr.StepsPerEpoch())
	start := time.Now()
	epochStart, next := start, start.Add(o.Every)
	var last word2vec.Progress
	report := func(p word2vec.Progress) {
		last = p
		now := time.Now()
		if p.Step == p.Steps {
			fmt.Fprintf(progress, "epoch %d/%d  loss %.4f  %.1f s  %.0f words/s\n", p.Epoch, p.Epochs, p.Loss,
				now.Sub(epochStart).Seconds(), float64(p.Examples)/now.Sub(epochStart).Seconds())
			epochStart, next = now, now.Add(o.Every)
			return
		}
		if o.Every > 0 && now.After(next) {
			next = now.Add(o.Every)
			fmt.Fprintf(progress, "epoch %d/%d  step %d/%d  loss %.4f  lr %.4g  %.0f words/s\n", p.Epoch, p.Epochs, p.Step, p.Steps, p.Loss, p.LR,
				float64(p.Examples)/now.Sub(epochStart).Seconds())
		}
	}
	err = tr.Train(ctx, report)
	secs := time.Since(start).Seconds()
	info := word2vec.Info{Corpus: name, Tokens: len(ids), Epochs: tr.Epoch(), Loss: last.Loss, Seconds: secs}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		info.Interrupted = true
		if last.Epoch == tr.Epoch()+1 {
			info.Steps = last.Step
		}
		if serr := word2vec.Save(o.Out, m, info); serr != nil {
			return fmt.Errorf("interrupted, and the vectors could not be saved: %w", serr)
		}
		return interruptedError{fmt.Sprintf("interrupted in epoch %d (step %d of %d); the vectors so far are in %s", tr.Epoch()+1, info.Steps, tr.StepsPerEpoch(), o.Out)}
	}
	if err != nil {
		return err
	}
	if err := word2vec.Save(o.Out, m, info); err != nil {
		return err
	}
	vecs := word2vec.NewVectors(m.Words, m.In)
	total, _ := vecs.Evaluate(word2vec.DefaultAnalogies())
	wps := float64(cfg.Epochs) * float64(len(ids)-2*cfg.Window) / secs
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{
			"model": cfg.Arch, "data": name, "words": len(ids), "types": len(words), "epochs": cfg.Epochs,
			"loss": last.Loss, "seconds": secs, "words_per_second": wps,
			"analogy_correct": total.Correct, "analogy_asked": total.Asked, "analogy_accuracy": total.Accuracy(), "out": o.Out})
	case o.Quiet:
	default:
		fmt.Fprintf(stdout, "trained %s on %s in %.1f s (%.0f words/s): loss %.4f; analogies %d of %d right (%.1f%%); vectors in %s\n",
			cfg.Arch, name, secs, wps, last.Loss, total.Correct, total.Asked, 100*total.Accuracy(), o.Out)
	}
	return nil
}
