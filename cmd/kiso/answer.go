package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/seq2seq"
)

func init() { extraCommands = append(extraCommands, newAnswerCmd) }

// answerOptions are the flags of kiso answer.
type answerOptions struct {
	Model string
	JSON  bool
}

func newAnswerCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &answerOptions{}
	cmd := &cobra.Command{
		Use:   "answer --model FILE QUESTION...",
		Short: "Ask a model kiso seq2seq trained",
		Long: `Answer each QUESTION with the model of a file kiso seq2seq wrote: the
question is padded with spaces to the training questions' length and the
answer decoded greedily. A question longer than those, or with a symbol the
training data never had, is an error.`,
		Example: `  kiso answer --model seq2seq.kiso "Sep 21, 1981" "5/4/09"
  kiso answer --model addition.kiso "123+456"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnswer(o, args, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "seq2seq.kiso", "the model's file")
	f.BoolVar(&o.JSON, "json", false, "print a JSON array of {question, answer}")
	return cmd
}

func runAnswer(o *answerOptions, questions []string, stdout io.Writer) error {
	f, err := seq2seq.Load[float32](o.Model)
	if err != nil {
		return err
	}
	type qa struct {
		Question string `json:"question"`
		Answer   string `json:"answer"`
	}
	var out []qa
	for _, q := range questions {
		a, err := f.Answer(q)
		if err != nil {
			return err
		}
		out = append(out, qa{q, a})
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(out)
	}
	for _, x := range out {
		fmt.Fprintf(stdout, "%s -> %s\n", x.Question, x.Answer)
	}
	return nil
}
