package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/text"
)

func init() {
	dataCommands = append(dataCommands,
		func(stdout, stderr io.Writer) *cobra.Command { return newDataSeq2seqCmd("addition", stdout) },
		func(stdout, stderr io.Writer) *cobra.Command { return newDataSeq2seqCmd("dates", stdout) })
}

// dataSeq2seqOptions are the flags of kiso data addition and kiso data dates.
type dataSeq2seqOptions struct {
	Out  string
	N    int
	Seed uint32
}

func newDataSeq2seqCmd(task string, stdout io.Writer) *cobra.Command {
	o := &dataSeq2seqOptions{}
	short, long := "Generate the addition task (the second volume's chapter 7)", `Generate the addition task of the second volume's chapter 7 into --out,
one example a line in the book's addition.txt format: "a+b" padded to 7
characters, then "_" and the sum padded to 4, as "16+75  _91  ". Operands
have 1 to 3 digits; no unordered pair repeats.`
	if task == "dates" {
		short, long = "Generate the date-format task (the second volume's chapter 8)", `Generate the date task of the second volume's chapter 8 into --out, one
example a line in the book's date.txt format: a date from 1970 to 2017 in
one of four en_US formats ("9/30/81", "Sep 30, 1981", "September 30, 1981",
"Wednesday, September 30, 1981"; word formats lowercased or uppercased a
quarter of the time each) padded to 29 characters, then "_" and the date as
YYYY-MM-DD.`
	}
	long += `

The lines are those ../shared/anchors/text/seq2seq_data.py writes for the
same --n and --seed (numpy's legacy generator). kiso train --data ` + task + `
reads them, shuffled with seed 1984, and keeps the last tenth for testing.`
	cmd := &cobra.Command{
		Use:     task,
		Short:   short,
		Long:    long,
		Example: "  kiso data " + task + " --out " + task + ".txt",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDataSeq2seq(task, o, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "the file to write (required)")
	f.IntVar(&o.N, "n", 50000, "number of examples")
	f.Uint32Var(&o.Seed, "seed", 1984, "seed of the generator (np.random.seed)")
	return cmd
}

func runDataSeq2seq(task string, o *dataSeq2seqOptions, stdout io.Writer) error {
	switch {
	case o.Out == "":
		return usagef("--out is required: the file to write")
	case o.N < 1:
		return usagef("--n %d: want at least 1", o.N)
	case task == "addition" && o.N > text.MaxAdditionPairs:
		return usagef("--n %d: at most %d distinct addition pairs", o.N, text.MaxAdditionPairs)
	case o.N > text.MaxPairLines:
		return usagef("--n %d: at most %d", o.N, text.MaxPairLines)
	}
	var lines []string
	if task == "addition" {
		lines = text.Addition(o.N, o.Seed)
	} else {
		lines = text.Dates(o.N, o.Seed)
	}
	if err := atomicfile.Write(o.Out, func(w io.Writer) error { return text.WriteLines(w, lines) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d %s examples to %s (seed %d)\n", o.N, task, o.Out, o.Seed)
	return nil
}
