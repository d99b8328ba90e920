package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // 28x28 digits may come as JPEG too
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

var _ = png.Decode // PNG is the format the docs promise; keep its decoder registered

func init() { extraCommands = append(extraCommands, newPredictCmd) }

// predictOptions are the flags of kiso predict.
type predictOptions struct {
	Model string
	Limit int
	Top   int
	JSON  bool
}

func newPredictCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &predictOptions{}
	cmd := &cobra.Command{
		Use:   "predict [FILE...]",
		Short: "Classify inputs with a saved model: CSV rows, 28x28 images or IDX files",
		Long: `Run a .kiso model on inputs and print, for each, the predicted class and
the probabilities. Inputs are:
  - CSV files (or - for standard input): one case per row, the model's
    features in order (a header row is skipped); inputs are standardized
    as the model's training data was;
  - PNG or JPEG images of 28x28 pixels, read as grayscale (MNIST digits
    are white on black);
  - IDX image files (MNIST's format, gzipped or not).`,
		Example: `  kiso predict --model mnist.kiso digit.png
  kiso predict --model mnist.kiso t10k-images-idx3-ubyte.gz --limit 5
  kiso predict --model iris.kiso --json new.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPredict(cmd.Context(), o, args, stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "the .kiso model file")
	f.IntVar(&o.Limit, "limit", 0, "IDX files: classify only the first N images (0: all)")
	f.IntVar(&o.Top, "top", 3, "text output: show the N most probable classes")
	f.BoolVar(&o.JSON, "json", false, "print JSON: one object per input")
	return cmd
}

// prediction is one input's result.
type prediction struct {
	Input         string    `json:"input"`
	Class         int       `json:"class"`
	Label         string    `json:"label,omitempty"`
	Probabilities []float64 `json:"probabilities,omitempty"`
	Output        []float64 `json:"output,omitempty"` // regression
}

func runPredict(ctx context.Context, o *predictOptions, args []string, stdout io.Writer) error {
	switch {
	case o.Model == "":
		return usagef("--model is required: a .kiso file written by kiso train")
	case len(args) == 0:
		return usagef("no inputs: give CSV files, PNG images or IDX files (- reads CSV from standard input)")
	case o.Limit < 0:
		return usagef("--limit %d: must be zero (all) or positive", o.Limit)
	case o.Top < 1:
		return usagef("--top %d: must be at least 1", o.Top)
	}
	m, err := model.Load[float64](o.Model)
	if err != nil {
		return err
	}
	features := numel(m.Spec.Input)
	if len(m.Spec.Input) == 0 {
		return fmt.Errorf("%s records no input shape", o.Model)
	}
	var names []string
	var rows [][]float64
	for _, a := range args {
		n, r, err := readInputs(a, features, o.Limit)
		if err != nil {
			return err
		}
		names, rows = append(names, n...), append(rows, r...)
	}
	if len(m.Info.Mean) == features && len(m.Info.Std) == features {
		for _, r := range rows {
			for j := range r {
				r[j] = (r[j] - m.Info.Mean[j]) / m.Info.Std[j]
			}
		}
	}
	x := tensor.New[float64](append([]int{len(rows)}, m.Spec.Input...)...)
	for i, r := range rows {
		copy(x.Data[i*features:], r)
	}
	out, err := train.Predict[float64](ctx, m.Net, x, 256)
	if err != nil {
		return err
	}
	preds := make([]prediction, len(rows))
	for i := range preds {
		p := &preds[i]
		p.Input = names[i]
		row := out.Row(i)
		if m.Info.Classes == 0 {
			p.Output = append([]float64(nil), row...)
			continue
		}
		p.Probabilities = loss.Softmax(tensor.FromSlice(append([]float64(nil), row...))).Data
		p.Class = tensor.ArgmaxRows(tensor.FromSlice(p.Probabilities, 1, len(p.Probabilities)))[0]
		if p.Class < len(m.Info.ClassNames) {
			p.Label = m.Info.ClassNames[p.Class]
		}
	}
	if o.JSON {
		enc := json.NewEncoder(stdout)
		for _, p := range preds {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range preds {
		printPrediction(stdout, p, o.Top, m.Info.ClassNames)
	}
	return nil
}

func printPrediction(w io.Writer, p prediction, top int, names []string) {
	if p.Output != nil {
		fmt.Fprintf(w, "%s: %v\n", p.Input, p.Output)
		return
	}
	name := func(k int) string {
		if k < len(names) {
			return names[k]
		}
		return strconv.Itoa(k)
	}
	order := make([]int, len(p.Probabilities))
	for i := range order {
		order[i] = i
	}
	// A selection of the top classes, most probable first (ties by index).
	for i := 0; i < min(top, len(order)); i++ {
		best := i
		for j := i + 1; j < len(order); j++ {
			if p.Probabilities[order[j]] > p.Probabilities[order[best]] {
				best = j
			}
		}
		order[i], order[best] = order[best], order[i]
	}
	var parts []string
	for _, k := range order[:min(top, len(order))] {
		parts = append(parts, fmt.Sprintf("%s %.4f", name(k), p.Probabilities[k]))
	}
	fmt.Fprintf(w, "%s: %s  (%s)\n", p.Input, name(p.Class), strings.Join(parts, ", "))
}

// readInputs reads the cases in one input file: CSV rows, an image or an
// IDX file. Each case must have features values.
func readInputs(path string, features, limit int) (names []string, rows [][]float64, err error) {
	ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(path, ".gz")))
	switch {
	case path == "-":
		return readCSVRows(os.Stdin, "stdin", features)
	case ext == ".png" || ext == ".jpg" || ext == ".jpeg":
		row, err := readImage(path, features)
		if err != nil {
			return nil, nil, err
		}
		return []string{path}, [][]float64{row}, nil
	case ext == ".csv" || ext == ".txt" || ext == ".tsv":
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		return readCSVRows(f, path, features)
	default:
		return readIDX(path, features, limit)
	}
}

// readImage reads a 28x28 (or features-sized square) image as grayscale
// values in [0, 1].
func readImage(path string, features int) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable image: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx()*b.Dy() != features {
		return nil, fmt.Errorf("%s: the image is %dx%d, the model takes %d pixels (28x28 for MNIST)", path, b.Dx(), b.Dy(), features)
	}
	row := make([]float64, 0, features)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			row = append(row, float64(g.Y)/255)
		}
	}
	return row, nil
}

// readIDX reads an IDX image file as rows of pixels in [0, 1].
func readIDX(path string, features, limit int) ([]string, [][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	n, h, w, pix, err := data.ReadIDXImages(bufio.NewReader(f))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w (inputs are CSV files, PNG images or IDX image files)", path, err)
	}
	if h*w != features {
		return nil, nil, fmt.Errorf("%s: images of %dx%d, the model takes %d pixels", path, h, w, features)
	}
	if limit > 0 {
		n = min(n, limit)
	}
	names, rows := make([]string, n), make([][]float64, n)
	for i := range rows {
		names[i] = fmt.Sprintf("%s[%d]", path, i)
		rows[i] = make([]float64, features)
		for j := range rows[i] {
			rows[i][j] = float64(pix[i*features+j]) / 255
		}
	}
	return names, rows, nil
}

// readCSVRows reads rows of features numbers; a first row in which no field
// is a number is a header and skipped.
func readCSVRows(r io.Reader, name string, features int) ([]string, [][]float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var names []string
	var rows [][]float64
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		row := make([]float64, 0, len(fields))
		var bad []string
		for _, fl := range fields {
			v, err := strconv.ParseFloat(strings.TrimSpace(fl), 64)
			if err != nil {
				bad = append(bad, strings.TrimSpace(fl))
				continue
			}
			row = append(row, v)
		}
		if len(bad) == len(fields) && line == 1 {
			continue // a header: no field is a number
		}
		if len(bad) > 0 {
			return nil, nil, fmt.Errorf("%s:%d: %q is not a number", name, line, bad[0])
		}
		if len(row) != features {
			return nil, nil, fmt.Errorf("%s:%d: %d values, the model takes %d features", name, line, len(row), features)
		}
		names = append(names, fmt.Sprintf("%s:%d", name, line))
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("%s: no rows", name)
	}
	return names, rows, nil
}
