package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"unicode/utf8"

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
	Raw   bool // take images as they are, without MNIST's preparation
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
  - PNG or JPEG images, read as grayscale. For a model of 28x28 images, a
    photo or drawing of a digit (any size up to 4000x4000, dark ink on
    paper or light on dark) is prepared as MNIST's digits were: inverted if
    its background is light, cropped to the digit, scaled to fit 20x20 and
    centred by its centre of mass in 28x28; a warning says when it looks
    unlike MNIST's digits. A 28x28 image with a dark background is taken
    as an MNIST digit as it is; --raw takes every image as it is (it must
    then have the model's size);
  - IDX image files (MNIST's format, gzipped or not).`,
		Example: `  kiso predict --model mnist.kiso digit.png
  kiso predict --model mnist.kiso photo-of-a-7.jpg
  kiso predict --model mnist.kiso t10k-images-idx3-ubyte.gz --limit 5
  kiso predict --model iris.kiso --json new.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPredict(cmd.Context(), o, args, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "the .kiso model file")
	f.IntVar(&o.Limit, "limit", 0, "IDX files: classify only the first N images (0: all)")
	f.IntVar(&o.Top, "top", 3, "text output: show the N most probable classes")
	f.BoolVar(&o.JSON, "json", false, "print JSON: one object per input")
	f.BoolVar(&o.Raw, "raw", false, "take images as they are: no inverting, cropping, scaling or centring as MNIST's digits were")
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

// predictBatch is the most cases predict runs through the network at
// once; fewer when one case holds many values (see predictor).
const predictBatch = 256

func runPredict(ctx context.Context, o *predictOptions, args []string, stdout, stderr io.Writer) error {
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
	if len(m.Spec.Input) == 0 {
		return fmt.Errorf("%s records no input shape", o.Model)
	}
	p := newPredictor(ctx, m, o, stdout)
	// Inputs are read and predicted batch by batch, so that memory holds
	// one batch whatever the inputs hold; an input that cannot be read is
	// reported and the others go on.
	failed := 0
	for _, a := range args {
		img := imageOptions{raw: o.Raw || !digitInput(m.Spec.Input), warn: func(msg string) { fmt.Fprintf(stderr, "kiso: warning: %s\n", msg) }}
		err := readInputs(a, p.features, o.Limit, img, p.add)
		if p.err != nil {
			return p.err // predicting or printing failed: no use going on
		}
		if err != nil {
			fmt.Fprintf(stderr, "kiso: %v\n", err)
			failed++
		}
	}
	if err := p.flush(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs could not be read", failed, len(args))
	}
	return nil
}

// predictor gathers cases into batches, and predicts and prints each full
// batch.
type predictor struct {
	ctx      context.Context
	m        *model.Loaded[float64]
	o        *predictOptions
	w        io.Writer
	features int
	batch    int // cases per batch
	names    []string
	x        []float64 // the batch's cases, standardized
	err      error     // the first error of predicting or printing
}

// newPredictor returns a predictor for m. Its batches hold predictBatch
// cases, or fewer when a case makes the network hold so many values that
// a batch would hold more than maxBatchValues (fitBatch).
func newPredictor(ctx context.Context, m *model.Loaded[float64], o *predictOptions, w io.Writer) *predictor {
	return &predictor{ctx: ctx, m: m, o: o, w: w, features: numel(m.Spec.Input), batch: fitBatch(m.Spec, nil, predictBatch)}
}

// add standardizes row as the model's training data was, adds it to the
// batch, and predicts the batch when it is full. The error is that of
// predicting, also kept in p.err.
func (p *predictor) add(name string, row []float64) error {
	if info := p.m.Info; len(info.Mean) == p.features && len(info.Std) == p.features {
		for j := range row {
			row[j] = (row[j] - info.Mean[j]) / info.Std[j]
		}
	}
	p.names = append(p.names, name)
	p.x = append(p.x, row...)
	if len(p.names) < p.batch {
		return nil
	}
	return p.flush()
}

// flush predicts and prints the cases gathered so far.
func (p *predictor) flush() error {
	if p.err != nil || len(p.names) == 0 {
		return p.err
	}
	x := tensor.FromSlice(p.x, append([]int{len(p.names)}, p.m.Spec.Input...)...)
	out, err := train.Predict[float64](p.ctx, p.m.Net, x, p.batch)
	if err != nil {
		p.err = err
		return err
	}
	info := p.m.Info
	var enc *json.Encoder
	if p.o.JSON {
		enc = json.NewEncoder(p.w)
	}
	for i, name := range p.names {
		pr := prediction{Input: name}
		row := out.Row(i)
		if info.Classes == 0 {
			pr.Output = append([]float64(nil), row...)
		} else {
			pr.Probabilities = loss.Softmax(tensor.FromSlice(append([]float64(nil), row...))).Data
			pr.Class = tensor.ArgmaxRows(tensor.FromSlice(pr.Probabilities, 1, len(pr.Probabilities)))[0]
			if pr.Class < len(info.ClassNames) {
				pr.Label = info.ClassNames[pr.Class]
			}
		}
		if enc != nil {
			if err := enc.Encode(pr); err != nil {
				p.err = err
				return err
			}
			continue
		}
		printPrediction(p.w, pr, p.o.Top, info.ClassNames)
	}
	p.names, p.x = p.names[:0], p.x[:0]
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
// IDX file (at most limit images if limit > 0). Each case must have
// features values; each is passed to add with its name, and an error from
// add stops the reading.
func readInputs(path string, features, limit int, img imageOptions, add func(name string, row []float64) error) error {
	ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(path, ".gz")))
	switch {
	case path == "-":
		return readCSVRows(os.Stdin, "stdin", features, add)
	case ext == ".png" || ext == ".jpg" || ext == ".jpeg":
		row, err := readImage(path, features, img)
		if err != nil {
			return err
		}
		return add(path, row)
	case ext == ".csv" || ext == ".txt" || ext == ".tsv":
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return readCSVRows(f, path, features, add)
	default:
		return readIDX(path, features, limit, add)
	}
}

// imageOptions say how readImage takes an image: raw, as it is, or
// prepared as MNIST's digits were, with warnings passed to warn.
type imageOptions struct {
	raw  bool
	warn func(string)
}

// digitInput reports whether a model's input shape is that of MNIST's
// images, [784] or [1, 28, 28].
func digitInput(shape []int) bool {
	return numel(shape) == data.DigitSide*data.DigitSide && (len(shape) == 1 || len(shape) == 3)
}

// readImage reads an image as grayscale values in [0, 1]: as it is if
// opt.raw is set or it is a 28x28 image with a dark background (an MNIST
// digit), which must then have features pixels; otherwise as a digit
// prepared as MNIST's were (digitImage). The size its header declares is
// checked before the image is decoded, so that a small file declaring a
// huge image costs nothing.
func readImage(path string, features int, opt imageOptions) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable image: %v", path, err)
	}
	prepare := !opt.raw && cfg.Width*cfg.Height != features
	switch {
	case !prepare && cfg.Width*cfg.Height != features:
		return nil, fmt.Errorf("%s: the image is %dx%d, the model takes %d pixels (28x28 for MNIST)", path, cfg.Width, cfg.Height, features)
	case prepare && cfg.Width*cfg.Height > maxPhotoPixels:
		return nil, fmt.Errorf("%s: the image is %dx%d, more than the %d pixels kiso prepares as a digit (the model takes %d pixels, 28x28); crop or shrink it", path, cfg.Width, cfg.Height, maxPhotoPixels, features)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable image: %v", path, err)
	}
	b := img.Bounds()
	if prepare {
		row, warns, err := digitImage(img)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, w := range warns {
			opt.warn(path + ": " + w)
		}
		return row, nil
	}
	if b.Dx()*b.Dy() != features { // the header lied
		return nil, fmt.Errorf("%s: the image is %dx%d, the model takes %d pixels (28x28 for MNIST)", path, b.Dx(), b.Dy(), features)
	}
	row := make([]float64, 0, features)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			row = append(row, float64(g.Y)/255)
		}
	}
	if !opt.raw && !mnistLike(row) { // dark on light: a drawing, not an MNIST digit
		prepared, warns, err := digitImage(img)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, w := range warns {
			opt.warn(path + ": " + w)
		}
		return prepared, nil
	}
	return row, nil
}

// readIDX reads an IDX image file image by image (the first limit if limit
// > 0) as rows of pixels in [0, 1]: memory holds one image at a time,
// whatever count the file declares.
func readIDX(path string, features, limit int, add func(name string, row []float64) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	x, err := data.NewIDXImages(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("%s: %w (inputs are CSV files, PNG images or IDX image files)", path, err)
	}
	if x.Rows*x.Cols != features {
		return fmt.Errorf("%s: images of %dx%d, the model takes %d pixels", path, x.Rows, x.Cols, features)
	}
	pix := make([]byte, features)
	for i := 0; limit == 0 || i < limit; i++ {
		if err := x.Next(pix); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		row := make([]float64, features)
		for j, v := range pix {
			row[j] = float64(v) / 255
		}
		if err := add(fmt.Sprintf("%s[%d]", path, i), row); err != nil {
			return err
		}
	}
	return nil
}

// readCSVRows reads rows of features numbers and passes each to add; a
// first row in which no field is a number is a header and skipped.
func readCSVRows(r io.Reader, name string, features int, add func(name string, row []float64) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), data.MaxCSVLine+2) // and "\r\n"
	tooLong := func(line int) error {
		return fmt.Errorf("%s:%d: the line is longer than data.MaxCSVLine (%d bytes)", name, line, data.MaxCSVLine)
	}
	line, rows := 0, 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSuffix(sc.Bytes(), []byte("\r"))) > data.MaxCSVLine {
			return tooLong(line)
		}
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
			return fmt.Errorf("%s:%d: %s is not a number", name, line, quoteShort(bad[0]))
		}
		if len(row) != features {
			return fmt.Errorf("%s:%d: %d values, the model takes %d features", name, line, len(row), features)
		}
		if err := add(fmt.Sprintf("%s:%d", name, line), row); err != nil {
			return err
		}
		rows++
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return tooLong(line + 1)
	} else if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if rows == 0 {
		return fmt.Errorf("%s: no rows", name)
	}
	return nil
}

// quoteShort quotes s for a message, cut to its first 40 bytes (and whole
// UTF-8 characters): a field can be megabytes long.
func quoteShort(s string) string {
	const most = 40
	if len(s) <= most {
		return strconv.Quote(s)
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("... (%d bytes)", len(s))
}
