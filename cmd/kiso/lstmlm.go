package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/rnnlm"
	"github.com/kiso-go/kiso/text"
)

func init() { extraCommands = append(extraCommands, newLSTMLMCmd) }

// lstmlmOptions are the flags of kiso lstmlm.
type lstmlmOptions struct {
	Data     string
	Dir      string
	Embed    int
	Hidden   int
	Layers   int
	Dropout  float64
	Tie      bool
	BPTT     int
	Batch    int
	LR       float64
	Clip     float64
	Epochs   int
	Seed     uint32
	Out      string
	OutGiven bool
	Every    time.Duration
	Quiet    bool
	JSON     bool
	Generate int
	Start    string
	Model    string
}

func newLSTMLMCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &lstmlmOptions{}
	cmd := &cobra.Command{
		Use:   "lstmlm",
		Short: "Train an LSTM language model on Brown or PTB (chapter 6), or sample text from one (chapter 7)",
		Long: `Train the second volume's LSTM language model: word embeddings, an LSTM
carrying its state from batch to batch (truncated backpropagation through
time, --bptt steps), a softmax over the vocabulary. The corpus is read as
--batch rows side by side; SGD with the gradients' global norm clipped to
--grad-clip. The defaults are the book's simple model (chapter 6: embed
100, hidden 100, window 35, batch 20, SGD 20, clip 0.25, 4 epochs), which
the anchor lstm_lm_torch.py trains the same way; the book's better model
is --layers 2 --embed 650 --hidden 650 --dropout 0.5 --tie-weights
--epochs 40, which also holds out a validation tenth and divides the rate
by 4 whenever its perplexity stops improving.

Corpora (after kiso data brown or kiso data ptb): brown trains on the text
before its test tenth (1,117,356 words, vocabulary 10,002) and reports the
test perplexity at the end, as the book's eval_perplexity measures it.

The model goes to --out (lstmlm.kiso). --generate N --model FILE samples N
words from a trained model after --start (the book's chapter 7).`,
		Example: `  kiso data brown
  kiso lstmlm --data brown
  kiso lstmlm --data brown --layers 2 --embed 650 --hidden 650 --dropout 0.5 --tie-weights --epochs 40 --out better.kiso
  kiso lstmlm --generate 50 --model lstmlm.kiso --start "the"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.OutGiven = cmd.Flags().Changed("out")
			if o.Generate > 0 || cmd.Flags().Changed("model") {
				return runLSTMLMGenerate(cmd.Context(), o, stdout)
			}
			return runLSTMLM(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Data, "data", "brown", "corpus: brown or ptb")
	f.StringVar(&o.Dir, "dir", "", "cache folder of brown or ptb (default: the user cache folder's kiso/brown or kiso/ptb)")
	f.IntVar(&o.Embed, "embed", 100, "word vector length")
	f.IntVar(&o.Hidden, "hidden", 100, "LSTM units per layer")
	f.IntVar(&o.Layers, "layers", 1, "stacked LSTM layers")
	f.Float64Var(&o.Dropout, "dropout", 0, "dropout on the embeddings, between layers and before the output")
	f.BoolVar(&o.Tie, "tie-weights", false, "share the embedding table with the output layer (needs --embed = --hidden)")
	f.IntVar(&o.BPTT, "bptt", 35, "time steps per batch (the truncation window)")
	f.IntVar(&o.Batch, "batch", 20, "rows read side by side")
	f.Float64Var(&o.LR, "lr", 20, "SGD learning rate")
	f.Float64Var(&o.Clip, "grad-clip", 0.25, "largest global norm of the gradients (0: none)")
	f.IntVar(&o.Epochs, "epochs", 4, "passes over the training text")
	f.Uint32Var(&o.Seed, "seed", 1984, "seed of the weights, dropout and sampling")
	f.StringVar(&o.Out, "out", "lstmlm.kiso", "the model's file")
	f.DurationVar(&o.Every, "progress-every", 10*time.Second, "how often to print the progress line (0: at each epoch's end only)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the figures")
	f.IntVar(&o.Generate, "generate", 0, "sample this many words from --model instead of training")
	f.StringVar(&o.Start, "start", "the", "with --generate, the words to start from")
	f.StringVar(&o.Model, "model", "lstmlm.kiso", "with --generate, the model's file")
	return cmd
}

func (o *lstmlmOptions) validate() error {
	c := o.config(1)
	switch {
	case o.Embed < 1 || o.Hidden < 1 || o.Embed > 1<<14 || o.Hidden > 1<<14:
		return usagef("--embed %d and --hidden %d: want 1 to %d", o.Embed, o.Hidden, 1<<14)
	case o.Layers < 1 || o.Layers > 16:
		return usagef("--layers %d: want 1 to 16", o.Layers)
	case o.BPTT < 1 || o.BPTT > 10000 || o.Batch < 1 || o.Batch > 10000:
		return usagef("--bptt %d and --batch %d: want 1 to 10000", o.BPTT, o.Batch)
	case !(o.LR > 0 && o.LR <= 1000):
		return usagef("--lr %v: want more than 0, at most 1000", o.LR)
	case !(o.Clip >= 0):
		return usagef("--grad-clip %v: want 0 or more", o.Clip)
	case o.Epochs < 1:
		return usagef("--epochs %d: want at least 1", o.Epochs)
	case o.Out == "":
		return usagef("--out is required: the model's file")
	}
	if err := c.Validate(); err != nil {
		return usagef("%v", err)
	}
	return nil
}

func (o *lstmlmOptions) config(vocab int) nn.LSTMLMConfig {
	return nn.LSTMLMConfig{Vocab: vocab, Embed: o.Embed, Hidden: o.Hidden, Layers: o.Layers, Dropout: o.Dropout, Tie: o.Tie}
}

func runLSTMLM(ctx context.Context, o *lstmlmOptions, stdout, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	if !o.OutGiven {
		if _, err := os.Stat(o.Out); err == nil {
			return usagef("%s exists and --out was not given: name the model's file with --out (--out %s replaces it)", o.Out, shellQuote(o.Out))
		}
	}
	if err := atomicfile.CheckWritable(o.Out); err != nil {
		return err
	}
	if o.Data != "brown" && o.Data != "ptb" {
		return usagef("--data %q: want brown or ptb", o.Data)
	}
	corpus, err := text.LoadWords(o.Data, o.Dir)
	if err != nil {
		return err
	}
	validation := o.Layers > 1 || o.Dropout > 0
	train, valid, test := corpus.Parts(validation)
	words := corpus.Vocab.Words()
	r := rng.NewNumpy(o.Seed)
	m := nn.NewLSTMLM[float32](o.config(len(words)), r)
	tc := rnnlm.Config{Batch: o.Batch, BPTT: o.BPTT, LR: o.LR, Clip: o.Clip}
	tr, err := rnnlm.NewTrainer[float32](m, train, tc)
	if err != nil {
		return fmt.Errorf("%s: %w", o.Data, err)
	}
	progress := stderr
	if o.Quiet || o.JSON {
		progress = io.Discard
	}
	fmt.Fprintf(progress, "lstmlm on %s: %d training, %d validation and %d test words, vocabulary %d; embed %d, hidden %d, %d layer(s), dropout %g, tied %v; bptt %d, batch %d, lr %g, clip %g, %d epochs of %d steps\n",
		o.Data, len(train), len(valid), len(test), len(words), o.Embed, o.Hidden, o.Layers, o.Dropout, o.Tie, o.BPTT, o.Batch, o.LR, o.Clip, o.Epochs, tr.Stream.PerEpoch())
	info := rnnlm.Info{Data: o.Data, Config: tc}
	save := func() error { return rnnlm.Save(o.Out, m, words, info) }
	best := 0.0
	start := time.Now()
	for range o.Epochs {
		next := time.Now().Add(o.Every)
		epochStart := time.Now()
		var window float64
		var n int
		e, err := tr.Epoch(ctx, func(step, steps int, l float64) {
			window += l
			n++
			if o.Every > 0 && time.Now().After(next) {
				next = time.Now().Add(o.Every)
				fmt.Fprintf(progress, "epoch %d  step %d/%d  perplexity %.2f  %.0f words/s\n", tr.Epochs()+1, step, steps,
					math.Exp(window/float64(n)), float64(step*o.Batch*o.BPTT)/time.Since(epochStart).Seconds())
				window, n = 0, 0
			}
		})
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			info.Interrupted = true
			if serr := save(); serr != nil {
				return fmt.Errorf("interrupted, and the model could not be saved: %w", serr)
			}
			return interruptedError{fmt.Sprintf("interrupted in epoch %d; the model so far is in %s", tr.Epochs()+1, o.Out)}
		}
		if err != nil {
			return err
		}
		if validation {
			v, err := rnnlm.Perplexity[float32](ctx, m, valid, 10, 35)
			if err != nil {
				return err
			}
			e.Val = v
			var lr float64
			best, lr = plateau(best, v, tr.Opt.LR())
			tr.Opt.SetLR(lr)
		}
		info.History = append(info.History, e)
		fmt.Fprintf(progress, "epoch %d/%d  train perplexity %.2f", e.Epoch, o.Epochs, e.Train)
		if validation {
			fmt.Fprintf(progress, "  validation %.2f", e.Val)
		}
		fmt.Fprintf(progress, "  lr %g  %.1f s  %.0f words/s\n", e.LR, e.Seconds, e.TokensPerSecond)
	}
	testPPL, err := rnnlm.Perplexity[float32](ctx, m, test, 10, 35)
	if err != nil {
		return err
	}
	info.Test = testPPL
	if err := save(); err != nil {
		return err
	}
	var secs float64
	var tokens int
	trains := make([]float64, len(info.History))
	for i, e := range info.History {
		secs += e.Seconds
		tokens += tr.Stream.PerEpoch() * o.Batch * o.BPTT
		trains[i] = e.Train
	}
	tps := float64(tokens) / secs
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{
			"model": "lstmlm", "data": o.Data, "epochs": len(info.History), "train_perplexity_per_epoch": trains,
			"history": info.History, "test_perplexity": testPPL, "tokens_per_second": tps, "train_seconds": secs,
			"seconds": time.Since(start).Seconds(), "out": o.Out})
	case o.Quiet:
	default:
		fmt.Fprintf(stdout, "trained lstmlm on %s for %s (%.0f words/s): test perplexity %.2f; model in %s\n",
			o.Data, epochCount(len(info.History)), tps, testPPL, o.Out)
	}
	return nil
}

// plateau is the book's rule for the better language model
// (train_better_rnnlm.py): after an epoch whose validation perplexity v is
// not below the best so far (0: none yet), the learning rate is divided by
// 4. It returns the new best and the rate for the next epoch.
func plateau(best, v, lr float64) (float64, float64) {
	if best > 0 && v >= best {
		return best, lr / 4
	}
	return v, lr
}

func runLSTMLMGenerate(ctx context.Context, o *lstmlmOptions, stdout io.Writer) error {
	if o.Generate < 1 || o.Generate > 100000 {
		return usagef("--generate %d: want 1 to 100000 words", o.Generate)
	}
	f, err := rnnlm.Load[float32](o.Model)
	if err != nil {
		return err
	}
	ids := map[string]int{}
	for i, w := range f.Words {
		ids[w] = i
	}
	var start []int
	for _, w := range strings.Fields(strings.ToLower(o.Start)) {
		id, ok := ids[w]
		if !ok {
			return fmt.Errorf("--start: %q is not in the model's vocabulary", w)
		}
		start = append(start, id)
	}
	if len(start) == 0 {
		return usagef("--start is empty: give a word to start from")
	}
	var skip []int
	if id, ok := ids[text.Unk]; ok {
		skip = append(skip, id)
	}
	// The words are written as they are drawn, a sentence a line as the
	// corpus has them; Ctrl-C stops the sampling with what was written kept.
	w := bufio.NewWriter(stdout)
	w.WriteString(strings.Join(strings.Fields(strings.ToLower(o.Start)), " "))
	lineStart := false
	_, err = rnnlm.Generate[float32](ctx, f.Model, start, o.Generate, 1, skip, rng.NewNumpy(o.Seed), func(id int) error {
		switch {
		case f.Words[id] == text.EOS:
			w.WriteString("\n")
			lineStart = true
		case lineStart:
			w.WriteString(f.Words[id])
			lineStart = false
		default:
			w.WriteString(" " + f.Words[id])
		}
		return w.Flush()
	})
	if !lineStart {
		w.WriteString("\n")
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}
