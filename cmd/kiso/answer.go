package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/seq2seq"
)

func init() { extraCommands = append(extraCommands, newAnswerCmd) }

// answerOptions are the flags of kiso answer.
type answerOptions struct {
	Model     string
	JSON      bool
	Attention string
}

func newAnswerCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &answerOptions{}
	cmd := &cobra.Command{
		Use:   "answer --model FILE QUESTION...",
		Short: "Ask a model kiso seq2seq trained",
		Long: `Answer each QUESTION with the model of a file kiso seq2seq wrote: the
question is padded with spaces to the training questions' length and the
answer decoded greedily. A question longer than those, or with a symbol the
training data never had, is an error.

With --attention FILE (.png or .svg) and a model trained with attention, the
attention weights of the answer to the one QUESTION are drawn as the book
draws them (chapter 8): a row per answer symbol, a column per question
symbol (padding included), white where the decoder looked.`,
		Example: `  kiso answer --model seq2seq.kiso "Sep 21, 1981" "5/4/09"
  kiso answer --model addition.kiso "123+456"
  kiso answer --model seq2seq.kiso --attention attention.png "TUESDAY, AUGUST 9, 1983"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnswer(o, args, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "seq2seq.kiso", "the model's file")
	f.BoolVar(&o.JSON, "json", false, "print a JSON array of {question, answer}")
	f.StringVar(&o.Attention, "attention", "", "draw the attention weights of the answer to `FILE` (.png or .svg; one question)")
	return cmd
}

func runAnswer(o *answerOptions, questions []string, stdout io.Writer) error {
	if o.Attention != "" {
		if len(questions) != 1 {
			return usagef("--attention draws the weights of one question, got %d", len(questions))
		}
		if err := plot.CheckPath(o.Attention); err != nil {
			return err
		}
	}
	f, err := seq2seq.Load[float32](o.Model)
	if err != nil {
		return err
	}
	if o.Attention != "" {
		return answerAttention(f, questions[0], o, stdout)
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

// answerAttention answers q and draws the attention weights of the answer
// to o.Attention.
func answerAttention(f *seq2seq.File[float32], q string, o *answerOptions, stdout io.Writer) error {
	a, w, err := f.Attention(q)
	if err != nil {
		return err
	}
	padded := []rune(q)
	for len(padded) < f.Pairs.QuestionLen {
		padded = append(padded, ' ')
	}
	cols := make([]string, len(padded))
	for i, c := range padded {
		cols[i] = string(c)
	}
	var rows []string
	for _, c := range a {
		rows = append(rows, string(c))
	}
	if len(rows) != len(w) { // an answer symbol of several characters
		rows = nil
	}
	if err := plot.Heatmap(o.Attention, plot.HeatmapOptions{
		Title:  fmt.Sprintf("attention: %q -> %q", q, a),
		XLabel: "question", YLabel: "answer",
		Values: w, RowLabels: rows, ColLabels: cols, Lo: 0, Hi: 1,
	}); err != nil {
		return err
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"question": q, "answer": a, "attention": w, "plot": o.Attention})
	}
	fmt.Fprintf(stdout, "%s -> %s (attention weights in %s)\n", q, a, o.Attention)
	return nil
}
