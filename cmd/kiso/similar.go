package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/word2vec"
)

func init() { extraCommands = append(extraCommands, newSimilarCmd) }

// maxAnalogyFile caps the size of an --analogies file read into memory
// (Mikolov's questions-words.txt is 603 KB).
const maxAnalogyFile = 64 << 20

// similarOptions are the flags of kiso similar.
type similarOptions struct {
	Model     string
	Top       int
	Analogy   bool
	Eval      bool
	Analogies string
	Plot      string
	JSON      bool
}

func newSimilarCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &similarOptions{}
	cmd := &cobra.Command{
		Use:   "similar --model FILE (WORD | B - A + C | --analogy B A C | --eval | --plot FILE WORD...)",
		Short: "Query word vectors: nearest neighbours, analogies, an analogy test, a 2-D plot",
		Long: `Query the word vectors of a file kiso word2vec wrote.

WORD lists the --top words nearest to WORD by cosine similarity.
"king - man + woman" (or --analogy king man woman) lists the words nearest
to the unit vectors' king - man + woman, the three words left out: the
answer to man : king = woman : ?.
--eval runs an analogy test and prints the share answered right, overall
and by section: kiso's small test of 548 analogies over words of the Brown
corpus (kiso similar --eval --analogies FILE reads another: a pair "a b" a
line, every two pairs of a section an analogy, or Mikolov's format, "a b c
d" a line; ": section" lines start sections).
--plot FILE draws the words given, projected on their first two principal
components, to FILE (.png or .svg).`,
		Example: `  kiso similar --model w2v.kiso car
  kiso similar --model w2v.kiso king - man + woman
  kiso similar --model w2v.kiso --analogy king man woman
  kiso similar --model w2v.kiso --eval
  kiso similar --model w2v.kiso --plot words.png man woman king queen boy girl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSimilar(o, args, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "the vectors' file, from kiso word2vec (required)")
	f.IntVar(&o.Top, "top", 5, "how many words to list")
	f.BoolVar(&o.Analogy, "analogy", false, "the arguments are B A C: list the words nearest to B - A + C")
	f.BoolVar(&o.Eval, "eval", false, "run the analogy test and print its accuracy")
	f.StringVar(&o.Analogies, "analogies", "", "with --eval, the analogy file (default: kiso's own)")
	f.StringVar(&o.Plot, "plot", "", "draw the words given, in 2-D, to this file (.png or .svg)")
	f.BoolVar(&o.JSON, "json", false, "print a JSON object")
	return cmd
}

func runSimilar(o *similarOptions, args []string, stdout io.Writer) error {
	switch {
	case o.Model == "":
		return usagef("--model is required: a file kiso word2vec wrote")
	case o.Top < 1:
		return usagef("--top %d: want at least 1", o.Top)
	case o.Analogies != "" && !o.Eval:
		return usagef("--analogies is for --eval")
	case o.Eval && (len(args) > 0 || o.Analogy || o.Plot != ""):
		return usagef("--eval takes no words, --analogy or --plot")
	case o.Plot != "" && o.Analogy:
		return usagef("--plot draws the words given; it takes no --analogy")
	case o.Plot != "" && len(args) < 2:
		return usagef("--plot needs at least two words to draw")
	case o.Analogy && len(args) != 3:
		return usagef("--analogy takes three words, B A C (B - A + C), got %d", len(args))
	case !o.Eval && o.Plot == "" && len(args) == 0:
		return usagef("give a word, an analogy (king - man + woman), --eval or --plot")
	}
	if o.Plot != "" {
		if err := plot.CheckPath(o.Plot); err != nil {
			return err
		}
	}
	f, err := word2vec.Load[float32](o.Model)
	if err != nil {
		return err
	}
	v := word2vec.NewVectors(f.Words, f.In)
	if o.Top > v.Len() {
		return fmt.Errorf("--top %d: the vocabulary has only %d words", o.Top, v.Len())
	}
	switch {
	case o.Eval:
		return similarEval(o, v, stdout)
	case o.Plot != "":
		xs, ys, err := v.Project(args)
		if err != nil {
			return err
		}
		title := fmt.Sprintf("%s word vectors, first two principal components", f.Config.Arch)
		if err := plot.Labels(o.Plot, plot.LabelsOptions{Title: title, Labels: args, X: xs, Y: ys}); err != nil {
			return err
		}
		if o.JSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"words": args, "x": xs, "y": ys, "plot": o.Plot})
		}
		fmt.Fprintf(stdout, "%d words drawn in %s\n", len(args), o.Plot)
		return nil
	}
	var q word2vec.Query
	if o.Analogy {
		q = word2vec.Query{B: args[0], A: args[1], C: args[2]}
	} else if q, err = word2vec.ParseQuery(args); err != nil {
		return usageError{err.Error()}
	}
	var top []word2vec.Neighbour
	var what string
	if q.IsAnalogy() {
		top, err = v.Analogy(q.A, q.B, q.C, o.Top)
		what = fmt.Sprintf("%s - %s + %s", q.B, q.A, q.C)
	} else {
		top, err = v.Similar(q.Word, o.Top)
		what = q.Word
	}
	if err != nil {
		return err
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"query": what, "neighbours": top})
	}
	fmt.Fprintf(stdout, "%s:\n", what)
	for _, n := range top {
		fmt.Fprintf(stdout, "  %-16s %.4f\n", n.Word, n.Cosine)
	}
	return nil
}

func similarEval(o *similarOptions, v *word2vec.Vectors, stdout io.Writer) error {
	analogies := word2vec.DefaultAnalogies()
	source := "kiso's analogy test"
	if o.Analogies != "" {
		b, err := readCapped(o.Analogies, maxAnalogyFile)
		if err != nil {
			return err
		}
		if analogies, err = word2vec.ParseAnalogies(string(b)); err != nil {
			return fmt.Errorf("%s: %w", o.Analogies, err)
		}
		source = o.Analogies
	}
	total, sections := v.Evaluate(analogies)
	if total.Asked == 0 {
		return fmt.Errorf("%s: none of its %d analogies has all four words in the vocabulary", source, len(analogies))
	}
	if o.JSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"correct": total.Correct, "asked": total.Asked,
			"skipped": total.Skipped, "accuracy": total.Accuracy(), "sections": sections})
	}
	for _, s := range sections {
		name := s.Section
		if name == "" {
			name = "(no section)"
		}
		fmt.Fprintf(stdout, "%-18s %4d of %4d  %5.1f%%%s\n", name, s.Correct, s.Asked, 100*s.Accuracy(), skippedNote(s.Skipped))
	}
	fmt.Fprintf(stdout, "%-18s %4d of %4d  %5.1f%%%s\n", "all", total.Correct, total.Asked, 100*total.Accuracy(), skippedNote(total.Skipped))
	return nil
}

func skippedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("  (%d skipped: a word not in the vocabulary)", n)
}

// readCapped reads the file at path, refusing one larger than limit bytes.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil, fmt.Errorf("%s is empty", path)
	}
	return b, nil
}
