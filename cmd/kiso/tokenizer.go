package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/text"
)

func init() { extraCommands = append(extraCommands, newTokenizerCmd) }

// tokenizerTrainOptions are the flags of kiso tokenizer train.
type tokenizerTrainOptions struct {
	Data  string
	Kind  string
	Vocab int
	Out   string
	Quiet bool
	JSON  bool
}

func newTokenizerCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tokenizer",
		Short: "Train and inspect tokenizers for text models",
		Args:  noArgs,
	}
	o := &tokenizerTrainOptions{}
	train := &cobra.Command{
		Use:   "train",
		Short: "Learn a tokenizer from a corpus and write it as JSON",
		Long: `Learn a tokenizer from a whole corpus and write it to --out as JSON (the
form a model file carries in its metadata).

--kind bpe (the default) learns a byte-level byte-pair encoding of --vocab
tokens: the 256 bytes, then merges of the most frequent pair of adjacent
tokens, counted over the corpus, until the vocabulary is full (equal counts
go to the lowest pair). --kind char takes the corpus's distinct characters,
sorted by code point.

Corpora: opticks (Newton's Opticks, in every Go installation), gosrc (the
standard library's hand-written Go), mobydick (after kiso data mobydick),
text:PATH (any UTF-8 file).`,
		Example: `  kiso tokenizer train --data gosrc --vocab 1000 --out go.tok
  kiso tokenizer train --data opticks --kind char --out opticks.tok`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTokenizerTrain(cmd.Context(), o, cmd.Flags().Changed, stdout, stderr)
		},
	}
	f := train.Flags()
	f.StringVar(&o.Data, "data", "", "corpus: opticks, gosrc, mobydick or text:PATH (required)")
	f.StringVar(&o.Kind, "kind", "bpe", "bpe or char")
	f.IntVar(&o.Vocab, "vocab", 1000, "BPE vocabulary size, 256 bytes and the merges (256 to 1048576)")
	f.StringVar(&o.Out, "out", "", "the tokenizer file to write (required)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the figures")
	cmd.AddCommand(train)

	eo := &tokenizerEncodeOptions{}
	encode := &cobra.Command{
		Use:   "encode TEXT",
		Short: "Show how a tokenizer cuts a text into tokens",
		Long: `Encode TEXT with the tokenizer in --tokenizer (a file kiso tokenizer train
wrote) and print each token's id and text, then the count. --json prints the
ids and the tokens' texts as two arrays.`,
		Example: `  kiso tokenizer encode --tokenizer go.tok 'func main() { fmt.Println("hi") }'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s takes one argument, the text to encode", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTokenizerEncode(eo, args[0], stdout)
		},
	}
	ef := encode.Flags()
	ef.StringVar(&eo.Tokenizer, "tokenizer", "", "the tokenizer file (required)")
	ef.BoolVar(&eo.JSON, "json", false, "print a JSON object with the ids and the tokens")
	cmd.AddCommand(encode)
	return cmd
}

// tokenizerEncodeOptions are the flags of kiso tokenizer encode.
type tokenizerEncodeOptions struct {
	Tokenizer string
	JSON      bool
}

func runTokenizerEncode(o *tokenizerEncodeOptions, s string, stdout io.Writer) error {
	if o.Tokenizer == "" {
		return usagef("--tokenizer is required: a file kiso tokenizer train wrote")
	}
	tok, err := text.LoadTokenizer(o.Tokenizer)
	if err != nil {
		return err
	}
	ids, err := tok.Encode(s)
	if err != nil {
		return err
	}
	pieces := make([]string, len(ids))
	for i, id := range ids {
		pieces[i] = tok.Token(id)
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"ids": ids, "tokens": pieces})
	}
	for i, id := range ids {
		fmt.Fprintf(stdout, "%d\t%q\n", id, pieces[i])
	}
	fmt.Fprintf(stdout, "%d tokens for %d bytes\n", len(ids), len(s))
	return nil
}

func runTokenizerTrain(ctx context.Context, o *tokenizerTrainOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	switch {
	case o.Data == "":
		return usagef("--data is required (opticks, gosrc, mobydick or text:PATH)")
	case o.Out == "":
		return usagef("--out is required: the tokenizer file to write")
	case o.Kind != "bpe" && o.Kind != "char":
		return usagef("--kind %q: want bpe or char", o.Kind)
	case o.Kind == "char" && changed("vocab"):
		return usagef("--vocab is for --kind bpe; a char tokenizer's vocabulary is the corpus's characters")
	case o.Kind == "bpe" && (o.Vocab < 256 || o.Vocab > text.MaxVocab):
		return usagef("--vocab %d: a byte-level BPE has 256 to %d tokens", o.Vocab, text.MaxVocab)
	}
	if err := atomicfile.CheckWritable(o.Out); err != nil {
		return err
	}
	c, err := text.Load(ctx, o.Data, text.Options{})
	if err != nil {
		return err
	}
	start := time.Now()
	var tok text.Tokenizer
	var tokens int
	if o.Kind == "char" {
		ch, err := text.NewChar(c.Text)
		if err != nil {
			return err
		}
		ids, err := ch.Encode(c.Text)
		if err != nil {
			return err
		}
		tok, tokens = ch, len(ids)
	} else {
		var opts text.BPEOptions
		if !o.Quiet && !o.JSON {
			next := time.Now().Add(2 * time.Second)
			opts.Progress = func(done, total, count int) {
				if now := time.Now(); now.After(next) || done == total {
					next = now.Add(2 * time.Second)
					fmt.Fprintf(stderr, "merge %d of %d: the pair merged occurred %d times (%.1f s)\n", done, total, count, time.Since(start).Seconds())
				}
			}
		}
		bpe, ids, err := text.TrainBPE(ctx, c.Text, o.Vocab, opts)
		if err != nil {
			return err
		}
		tok, tokens = bpe, len(ids)
	}
	secs := time.Since(start).Seconds()
	if err := text.SaveTokenizer(o.Out, tok); err != nil {
		return err
	}
	perToken := float64(len(c.Text)) / float64(tokens)
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{
			"kind": tok.Kind(), "vocab": tok.VocabSize(), "corpus": c.Name, "corpus_bytes": len(c.Text),
			"tokens": tokens, "bytes_per_token": perToken, "seconds": secs, "out": o.Out})
	case o.Quiet:
	default:
		fmt.Fprintf(stdout, "%s: %d bytes; a %s tokenizer of %d tokens learned in %.1f s; %d tokens, %.2f bytes per token; written to %s\n",
			c.Name, len(c.Text), tok.Kind(), tok.VocabSize(), secs, tokens, perToken, o.Out)
	}
	return nil
}
