package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/lm"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/text"
)

func init() { extraCommands = append(extraCommands, newGenerateCmd) }

// generateOptions are the flags of kiso generate.
type generateOptions struct {
	Model       string
	Prompt      string
	Tokens      int
	Temperature float64
	TopK        int
	Seed        uint32
	NoCache     bool
	JSON        bool
	Attention   string
}

// maxGenerateTokens bounds --tokens.
const maxGenerateTokens = 1 << 20

func newGenerateCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &generateOptions{}
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Generate text with a GPT trained by kiso train --model gpt",
		Long: `Continue --prompt with --tokens tokens sampled from a GPT model file,
printing the text as it is sampled. Each token is drawn from the model's
distribution with its logits divided by --temperature (0 picks the most
likely token), among the --top-k most likely (0: all). The same --seed
gives the same text.

The model reads each new token through a key/value cache, so that a token
costs one row of attention; --no-cache runs the whole window again for
every token instead (the same text, slower). Once the window (the model's
--block) is full, the oldest tokens fall out of it, as nanoGPT's sample.py
crops them. The tokenizer travels in the model file.

--attention FILE.png (or .svg) also draws the attention weights of every
head of every layer for the prompt, before sampling: one square per head,
a row of squares per layer; row i of a square shows what the prompt's
token i took from each token up to it (dark: much). The prompt must fit
the model's window.`,
		Example: `  kiso train --model gpt --data opticks
  kiso generate --model gpt.kiso --prompt "Light is" --tokens 500 --temperature 0.8 --top-k 200 --seed 1
  kiso generate --model gpt.kiso --prompt "The Rays of Light" --tokens 100 --attention attention.png`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGenerate(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", gptDefaultOut, "GPT model file (kiso train --model gpt)")
	f.StringVar(&o.Prompt, "prompt", "\n", "text to continue")
	f.IntVar(&o.Tokens, "tokens", 500, "tokens to generate")
	f.Float64Var(&o.Temperature, "temperature", 0.8, "divides the logits: below 1 more likely text, above 1 more varied; 0 greedy")
	f.IntVar(&o.TopK, "top-k", 200, "sample among this many most likely tokens (0: all)")
	f.Uint32Var(&o.Seed, "seed", 1, "random seed")
	f.BoolVar(&o.NoCache, "no-cache", false, "run the whole window for every token (no key/value cache)")
	f.StringVar(&o.Attention, "attention", "", "also draw the attention weights of each head for the prompt to this .png or .svg file")
	f.BoolVar(&o.JSON, "json", false, "print a JSON summary (text, tokens/s) instead of streaming the text")
	return cmd
}

// loadGPT reads a GPT model file and its tokenizer.
func loadGPT(path string) (*nn.GPT[float32], text.Tokenizer, error) {
	m, err := model.Load[float32](path)
	if err != nil {
		return nil, nil, err
	}
	var g *nn.GPT[float32]
	if len(m.Net.Layers) == 1 {
		g, _ = m.Net.Layers[0].(*nn.GPT[float32])
	}
	if g == nil {
		return nil, nil, fmt.Errorf("%s is not a GPT (kiso train --model gpt makes one)", path)
	}
	tj, ok := m.Info.Extra["tokenizer"]
	if !ok {
		return nil, nil, fmt.Errorf("%s has no tokenizer in its metadata", path)
	}
	tok, err := text.UnmarshalTokenizer([]byte(tj))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: tokenizer: %w", path, err)
	}
	if tok.VocabSize() != g.Config().Vocab {
		return nil, nil, fmt.Errorf("%s: the tokenizer has %d tokens, the model %d", path, tok.VocabSize(), g.Config().Vocab)
	}
	return g, tok, nil
}

func runGenerate(ctx context.Context, o *generateOptions, stdout, stderr io.Writer) error {
	if o.Tokens < 1 || o.Tokens > maxGenerateTokens {
		return usagef("--tokens %d: want 1 to %d", o.Tokens, maxGenerateTokens)
	}
	if !(o.Temperature >= 0) || o.Temperature > 1e6 {
		return usagef("--temperature %v: want 0 (greedy) or a positive number", o.Temperature)
	}
	if o.TopK < 0 {
		return usagef("--top-k %d: want 0 (all) or more", o.TopK)
	}
	if o.Prompt == "" {
		return usagef("--prompt is empty: give at least one character")
	}
	g, tok, err := loadGPT(o.Model)
	if err != nil {
		return err
	}
	prompt, err := tok.Encode(o.Prompt)
	if err != nil {
		return fmt.Errorf("--prompt: %w", err)
	}
	if o.Attention != "" {
		if err := checkAttention(o.Attention, g, prompt); err != nil {
			return err
		}
		if err := drawAttention(o.Attention, g, tok, prompt); err != nil {
			return fmt.Errorf("--attention: %w", err)
		}
	}
	m := lm.NewGPT(g)
	opts := lm.SampleOptions{Temperature: o.Temperature, TopK: o.TopK, Rand: rng.NewNumpy(o.Seed), NoCache: o.NoCache}
	stream := text.NewStream(tok)
	var out []byte
	emit := func(id int) error {
		s, err := stream.Add(id)
		if err != nil {
			return err
		}
		if o.JSON {
			out = append(out, s...)
			return nil
		}
		_, err = io.WriteString(stdout, s)
		return err
	}
	if !o.JSON {
		if _, err := io.WriteString(stdout, o.Prompt); err != nil {
			return err
		}
	}
	start := time.Now()
	ids, err := lm.Generate[float32](ctx, m, prompt, o.Tokens, opts, emit)
	secs := time.Since(start).Seconds()
	rest := stream.Flush()
	if o.JSON {
		out = append(out, rest...)
	} else {
		fmt.Fprintln(stdout, rest)
	}
	if errors.Is(err, context.Canceled) {
		return interruptedError{fmt.Sprintf("interrupted after %d tokens", len(ids))}
	}
	if err != nil {
		return err
	}
	rate := float64(len(ids)) / max(secs, 1e-9)
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"prompt": o.Prompt, "text": string(out), "tokens": len(ids),
			"seconds": secs, "tokens_per_second": rate, "cache": !o.NoCache})
	}
	fmt.Fprintf(stderr, "%d tokens in %.2f s (%.0f tokens/s, %s)\n", len(ids), secs, rate, map[bool]string{true: "no cache", false: "key/value cache"}[o.NoCache])
	return nil
}
