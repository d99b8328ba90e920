// Command kiso trains, checks, evaluates and serves kiso networks.
//
// Each subcommand lives in its own file as an options struct and a
// run function that takes a context, the options and the output streams, so
// tests call it directly. Errors end here: main prints one line,
// "kiso: <message>", and exits non-zero; nothing below prints a stack trace.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/tensor"
)

// usageError marks an error in the command line (a flag out of range, an
// unknown name): exit code 2, like a flag the parser rejects.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// interruptedError is an interrupt that the command has dealt with (kiso
// train saved the run): its message says what was done; the exit code is
// an interrupt's, 130.
type interruptedError struct{ msg string }

func (e interruptedError) Error() string { return e.msg }
func (e interruptedError) Unwrap() error { return context.Canceled }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// noArgs is cobra.NoArgs with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "kiso",
		Short: "kiso: neural networks from first principles, in Go",
		Long: `kiso trains neural networks built from first principles: the tutorial's
XOR network with numerical or backpropagated gradients, multi-layer and
convolutional networks on MNIST and your own data.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	addVersionFlag(root)
	root.AddCommand(newXORCmd(stdout, stderr))
	for _, add := range extraCommands {
		root.AddCommand(add(stdout, stderr))
	}
	for _, c := range root.Commands() {
		requireSubcommand(c)
	}
	return root
}

// requireSubcommand makes c and the commands below it that only group
// subcommands (kiso data) refuse an unknown one with a usage error naming
// those they have, where cobra would print help and exit 0; alone, they
// still print help.
func requireSubcommand(c *cobra.Command) {
	for _, sub := range c.Commands() {
		requireSubcommand(sub)
	}
	if !c.HasSubCommands() || c.Runnable() {
		return
	}
	c.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		var names []string
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, sub.Name())
			}
		}
		return usagef("unknown command %q for %q: want %s", args[0], cmd.CommandPath(), strings.Join(names, ", "))
	}
	c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
}

// extraCommands are registered by the other subcommand files' init
// functions, so that each subcommand stays in its own file.
var extraCommands []func(stdout, stderr io.Writer) *cobra.Command

// exitCode maps an error to the process's exit status: 0 for none, 2 for
// a usage error, 130 for an interrupt, 1 otherwise.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue), strings.HasPrefix(err.Error(), "unknown command"):
		return 2
	case errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

func main() {
	// A panic is a bug in kiso; show it as one line, not a stack trace,
	// unless KISO_DEBUG=1 asks for the trace.
	defer func() {
		if r := recover(); r != nil {
			if os.Getenv("KISO_DEBUG") == "1" {
				panic(r)
			}
			fmt.Fprintf(os.Stderr, "kiso: internal error: %v (this is a bug in kiso; KISO_DEBUG=1 shows where)\n", r)
			os.Exit(3)
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := tensor.Spin(); err != nil {
		fmt.Fprintf(os.Stderr, "kiso: warning: %v\n", err)
	}
	root := newRootCmd(os.Stdout, os.Stderr)
	err := root.ExecuteContext(ctx)
	code := exitCode(err)
	if err != nil {
		var saved interruptedError
		if errors.Is(err, context.Canceled) && !errors.As(err, &saved) {
			err = errors.New("interrupted")
		}
		fmt.Fprintf(os.Stderr, "kiso: %v\n", err)
	}
	stop()
	os.Exit(code)
}
