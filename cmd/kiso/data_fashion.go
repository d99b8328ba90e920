package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/data"
)

func init() { dataCommands = append(dataCommands, newDataFashionCmd) }

// dataFashionOptions are the flags of kiso data fashion-mnist.
type dataFashionOptions struct {
	Dir     string
	From    string
	NoApt   bool
	Quiet   bool
	JSON    bool
	Timeout time.Duration
}

func newDataFashionCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &dataFashionOptions{}
	cmd := &cobra.Command{
		Use:   "fashion-mnist",
		Short: "Fetch the four Fashion-MNIST files into the cache and verify them",
		Long: `Fetch Fashion-MNIST (Zalando's 28x28 images of clothes in 10 classes, in
MNIST's four gzipped IDX files) into the cache folder,
os.UserCacheDir()/kiso/fashion-mnist unless --dir says otherwise, and verify
the SHA-256 of each file's content.

Sources are tried in order: the folder given with --from, the folder of
Debian's package dataset-fashion-mnist (` + data.FashionMNISTSystemDir + `)
when it is installed, then that package downloaded with "apt-get download"
and unpacked with "dpkg-deb -x" in a temporary folder, which needs no root.
Files already cached and intact are kept.

Then train on it as on MNIST: kiso train --data fashion-mnist ...`,
		Example: `  kiso data fashion-mnist
  kiso data fashion-mnist --from ~/Downloads/fashion-mnist
  kiso train --data fashion-mnist --model simplecnn --epochs 20 --out fashion.kiso`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDataFashion(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Dir, "dir", "", "cache folder (default: the user cache folder's kiso/fashion-mnist)")
	f.StringVar(&o.From, "from", "", "a local folder holding the four .gz files, tried first")
	f.BoolVar(&o.NoApt, "no-apt", false, "do not download Debian's package")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print only the folder")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the folder, the sizes and the class names")
	f.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after this long")
	return cmd
}

func runDataFashion(ctx context.Context, o *dataFashionOptions, stdout, stderr io.Writer) error {
	ctx, cancel, err := fetchContext(ctx, o.Timeout)
	if err != nil {
		return err
	}
	defer cancel()
	opts := data.FashionFetchOptions{Dir: o.Dir, From: o.From, NoApt: o.NoApt, Progress: fetchProgress(o.Quiet || o.JSON, stderr)}
	dir, err := data.FetchFashionMNIST(ctx, opts)
	if err != nil {
		return err
	}
	train, test, err := data.LoadFashionMNIST[float32](dir, data.MNISTOptions{Raw: true})
	if err != nil {
		return err
	}
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{"dir": dir, "train": train.Len(), "test": test.Len(), "classes": train.Classes, "class_names": train.ClassNames})
	case o.Quiet:
		fmt.Fprintln(stdout, dir)
	default:
		fmt.Fprintf(stdout, "Fashion-MNIST is in %s: %d training and %d test images of 28x28, verified\n", dir, train.Len(), test.Len())
	}
	return nil
}
