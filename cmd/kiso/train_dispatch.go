package main

import (
	"context"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The sequence models have their own subcommands (lstmlm.go, seq2seq.go);
// kiso train --model NAME runs them with the flags given to kiso train, so
// that every model trains through one command.

// seqModels maps the --model names that dispatch to the subcommand that
// trains them (rnnlm is the book's name for the LSTM language model of
// chapter 6), and the optimizer that subcommand always uses.
var seqModels = map[string]struct {
	cmd       func(stdout, stderr io.Writer) *cobra.Command
	optimizer string
}{
	"lstmlm":  {newLSTMLMCmd, "sgd"},
	"rnnlm":   {newLSTMLMCmd, "sgd"},
	"seq2seq": {newSeq2seqCmd, "adam"},
}

// seqNotPassed are the subcommands' flags kiso train does not take: they
// ask kiso lstmlm to sample text from a model instead of training one.
var seqNotPassed = map[string]bool{"generate": true, "start": true, "model": true}

// passValue holds a flag of a sequence model's subcommand given to kiso
// train, as text: the subcommand parses it when the run is handed over.
type passValue struct{ typ, s string }

func (p *passValue) String() string     { return p.s }
func (p *passValue) Set(s string) error { p.s = s; return nil }
func (p *passValue) Type() string       { return p.typ }

// addSeqFlags adds to kiso train the flags of the sequence models'
// subcommands that it lacks, each documented as whose it is.
func addSeqFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	owners := map[string][]string{}
	defaults := map[string][]string{}
	byName := map[string]*pflag.Flag{}
	for _, name := range []string{"lstmlm", "seq2seq"} {
		seqModels[name].cmd(io.Discard, io.Discard).Flags().VisitAll(func(fl *pflag.Flag) {
			if seqNotPassed[fl.Name] || f.Lookup(fl.Name) != nil {
				return
			}
			owners[fl.Name] = append(owners[fl.Name], name)
			defaults[fl.Name] = append(defaults[fl.Name], name+" "+fl.DefValue)
			if byName[fl.Name] == nil {
				byName[fl.Name] = fl
			}
		})
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fl := byName[n]
		usage, def := strings.Join(owners[n], ", ")+": "+fl.Usage, fl.DefValue
		if len(owners[n]) > 1 { // each subcommand's own default
			usage, def = usage+" (default: "+strings.Join(defaults[n], ", ")+")", ""
		}
		nf := f.VarPF(&passValue{typ: fl.Value.Type(), s: fl.DefValue}, n, fl.Shorthand, usage)
		nf.DefValue, nf.NoOptDefVal = def, fl.NoOptDefVal
	}
}

// runTrainSeq hands kiso train --model NAME (lstmlm, rnnlm, seq2seq) to the
// subcommand that trains it: every flag given to kiso train (but --model)
// is given to it as written, so its defaults hold for the rest. A flag the
// subcommand does not have is a usage error, except --optimizer naming the
// optimizer it uses.
func runTrainSeq(ctx context.Context, cmd *cobra.Command, model string, stdout, stderr io.Writer) error {
	m := seqModels[model]
	sub := m.cmd(stdout, stderr)
	var err error
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		switch {
		case err != nil || fl.Name == "model":
		case fl.Name == "optimizer":
			if fl.Value.String() != m.optimizer {
				err = usagef("--optimizer %s: --model %s trains with %s", fl.Value.String(), model, m.optimizer)
			}
		case sub.Flags().Lookup(fl.Name) == nil || seqNotPassed[fl.Name]:
			err = usagef("--%s: not a flag of --model %s (see kiso %s --help)", fl.Name, model, sub.Name())
		default:
			if serr := sub.Flags().Set(fl.Name, fl.Value.String()); serr != nil {
				err = usagef("--%s: %v", fl.Name, serr)
			}
		}
	})
	if err != nil {
		return err
	}
	sub.SetContext(ctx)
	return sub.RunE(sub, nil)
}

// seqModelNames lists the --model names runTrainSeq takes, for messages.
func seqModelNames() string {
	names := make([]string, 0, len(seqModels))
	for n := range seqModels {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
