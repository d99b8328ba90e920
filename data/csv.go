package data

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kiso-go/kiso/tensor"
)

// The limits of ReadCSV, so that a small or hostile file cannot make it,
// or what is built from its classes, allocate without bound.
const (
	// MaxCSVClasses bounds the number of classes a label column may make,
	// whether integer labels imply them (a label of 65535 would make
	// 65536 classes, and a confusion matrix of 65536² counts) or distinct
	// labels name them. A column with more is far more likely a
	// regression target or an identifier than a class; ImageNet has 1000
	// classes.
	MaxCSVClasses = 1000
	// MaxCSVLine bounds the length of one line in bytes (1 MiB), not
	// counting its line ending: the CSV reader holds a whole line in
	// memory, and one line of 200 MB once made a 200 MB error message.
	MaxCSVLine = 1 << 20
)

// CSVOptions tells ReadCSV how to read a table. The zero value reads
// comma-separated numeric features with class labels in the last column.
type CSVOptions struct {
	// Label selects the label column: a 0-based column index written as
	// an integer (negative counts from the end, -1 being the last column),
	// or else a header name. Empty means the last column.
	Label string
	// Regression reads the label column as a numeric target: Y is [n, 1]
	// and Classes is 0. Otherwise the labels are classes (see ReadCSV).
	Regression bool
	// Comma is the field separator; 0 means ','.
	Comma rune
}

// ReadCSV reads a table of numbers from r into a Set; name is the file's
// name for error messages. Every column but the label column is a feature:
// X is [n, features] and FeatureNames holds their header names (nil without
// a header). Cells may be surrounded by spaces; blank lines are skipped; a
// UTF-8 byte-order mark is ignored.
//
// The first row is a header when the label column is chosen by a name found
// in it, or when one of its feature cells is not a number.
//
// Class labels become indices 0..Classes-1 in Y ([n]): labels that are all
// non-negative integers are their own indices (Classes is the largest plus
// one, so unused indices are possible); other numeric labels are numbered
// in increasing order of value, and any other labels in sorted string
// order, ClassNames then holding the label of each index.
//
// It returns an error naming the file, line and column for a cell that is
// not a finite number (or overflows T), a row with a different number of
// fields than the first, a missing label, an empty file or one without
// data rows, and an unknown label column.
func ReadCSV[T tensor.Float](r io.Reader, name string, opts CSVOptions) (*Set[T], error) {
	if name == "" {
		name = "<input>"
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	ll := &lineLimit{r: br}
	cr := csv.NewReader(ll)
	if opts.Comma != 0 {
		cr.Comma = opts.Comma
	}
	cr.FieldsPerRecord = -1 // ragged rows get our own message
	cr.TrimLeadingSpace = true

	first, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return nil, ll.wrap(name, err)
	}
	cols := len(first)
	for i := range first {
		first[i] = strings.TrimSpace(first[i])
	}
	lab, byName, err := labelColumn(first, opts.Label)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if cols < 2 {
		return nil, fmt.Errorf("%s: %d column; need at least one feature column and a label column", name, cols)
	}

	rd := csvReader[T]{name: name, cr: cr, cols: cols, lab: lab, regression: opts.Regression}
	header := byName
	for j, c := range first {
		if j != lab {
			if _, err := parseNumber(c); err != nil {
				header = true
			}
		}
	}
	if header {
		rd.header = first
	} else if err := rd.add(first); err != nil {
		return nil, err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ll.wrap(name, err)
		}
		if err := rd.add(rec); err != nil {
			return nil, err
		}
	}
	return rd.set()
}

// LoadCSV reads the CSV file at path with ReadCSV.
func LoadCSV[T tensor.Float](path string, opts CSVOptions) (*Set[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	return ReadCSV[T](f, path, opts)
}

// labelColumn finds the label column in a table whose first row is first,
// reporting whether it was found by header name.
func labelColumn(first []string, label string) (col int, byName bool, err error) {
	cols := len(first)
	if label == "" {
		return cols - 1, false, nil
	}
	k, perr := strconv.Atoi(label)
	if perr != nil {
		if j := slices.Index(first, label); j >= 0 {
			return j, true, nil
		}
		return 0, false, fmt.Errorf("no column named %s in the first row (%s)", quoteCell(label), shorten(strings.Join(first, ", ")))
	}
	if k < 0 {
		k += cols
	}
	if k < 0 || k >= cols {
		return 0, false, fmt.Errorf("label column %s out of range for %d columns", label, cols)
	}
	return k, false, nil
}

// parseNumber parses a trimmed cell as a finite number.
func parseNumber(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a number", quoteCell(s))
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%s is not a finite number", quoteCell(s))
	}
	return v, nil
}

// csvReader accumulates the rows of one table.
type csvReader[T tensor.Float] struct {
	name       string
	cr         *csv.Reader
	cols, lab  int
	regression bool
	header     []string // nil without a header row

	x      []T
	y      []T      // regression targets
	labels []string // class labels
}

// add appends one record (the reader's last) to the table.
func (rd *csvReader[T]) add(rec []string) error {
	if len(rec) != rd.cols {
		line, _ := rd.cr.FieldPos(0)
		return fmt.Errorf("%s:%d: %d fields, expected %d as in the first row", rd.name, line, len(rec), rd.cols)
	}
	for j, c := range rec {
		c = strings.TrimSpace(c)
		if j == rd.lab && !rd.regression {
			if c == "" {
				return rd.cellError(j, errors.New("missing label"))
			}
			if !utf8.ValidString(c) {
				// Refused rather than repaired: repairing would merge
				// labels ("\xff" and "\xfe" would both become U+FFFD).
				return rd.cellError(j, fmt.Errorf("label %s is not UTF-8 text (save the file as UTF-8)", quoteCell(c)))
			}
			rd.labels = append(rd.labels, c)
			continue
		}
		v, err := parseNumber(c)
		if err == nil && math.IsInf(float64(T(v)), 0) {
			err = fmt.Errorf("%s overflows %T", quoteCell(c), T(0))
		}
		if err != nil {
			return rd.cellError(j, err)
		}
		if j == rd.lab {
			rd.y = append(rd.y, T(v))
		} else {
			rd.x = append(rd.x, T(v))
		}
	}
	return nil
}

// cellError names the file, line and column of field j of the last record.
func (rd *csvReader[T]) cellError(j int, err error) error {
	line, _ := rd.cr.FieldPos(j)
	col := strconv.Itoa(j + 1)
	if rd.header != nil {
		col += fmt.Sprintf(" (%s)", shorten(rd.header[j]))
	}
	return fmt.Errorf("%s:%d: column %s: %w", rd.name, line, col, err)
}

// set builds the Set from the rows read.
func (rd *csvReader[T]) set() (*Set[T], error) {
	feats := rd.cols - 1
	n := len(rd.x) / feats
	if n == 0 {
		return nil, fmt.Errorf("%s: no data rows", rd.name)
	}
	s := &Set[T]{X: tensor.FromSlice(rd.x, n, feats)}
	if rd.header != nil {
		s.FeatureNames = slices.Delete(slices.Clone(rd.header), rd.lab, rd.lab+1)
	}
	if rd.regression {
		s.Y = tensor.FromSlice(rd.y, n, 1)
		return s, nil
	}
	idx, names, classes, err := classIndices(rd.labels)
	if err != nil {
		col := strconv.Itoa(rd.lab + 1)
		if rd.header != nil {
			col = fmt.Sprintf("%s (%s)", col, shorten(rd.header[rd.lab]))
		}
		return nil, fmt.Errorf("%s: label column %s: %w", rd.name, col, err)
	}
	s.Y = tensor.New[T](n)
	for i, k := range idx {
		s.Y.Data[i] = T(k)
	}
	s.Classes, s.ClassNames = classes, names
	return s, nil
}

// classIndices maps class labels to indices as ReadCSV documents.
func classIndices(labels []string) (idx []int, names []string, classes int, err error) {
	idx = make([]int, len(labels))
	vals := make([]float64, len(labels))
	numeric, counting := true, true
	for i, l := range labels {
		v, err := parseNumber(l)
		if err != nil {
			numeric = false
			break
		}
		vals[i] = v
		if v < 0 || v != math.Trunc(v) {
			counting = false
		}
	}
	switch {
	case numeric && counting:
		top := slices.Max(vals)
		if top >= MaxCSVClasses {
			return nil, nil, 0, fmt.Errorf("integer label %v would make %v classes, more than data.MaxCSVClasses (%d); for a numeric target set the Regression option", top, top+1, MaxCSVClasses)
		}
		for i, v := range vals {
			idx[i] = int(v)
		}
		return idx, nil, int(top) + 1, nil
	case numeric:
		distinct := slices.Compact(slices.Sorted(slices.Values(vals)))
		if len(distinct) > MaxCSVClasses {
			return nil, nil, 0, tooManyLabels(len(distinct))
		}
		for i, v := range vals {
			idx[i], _ = slices.BinarySearch(distinct, v)
		}
		for _, v := range distinct {
			names = append(names, strconv.FormatFloat(v, 'g', -1, 64))
		}
		return idx, names, len(distinct), nil
	default:
		names = slices.Compact(slices.Sorted(slices.Values(labels)))
		if len(names) > MaxCSVClasses {
			return nil, nil, 0, tooManyLabels(len(names))
		}
		for i, l := range labels {
			idx[i], _ = slices.BinarySearch(names, l)
		}
		return idx, names, len(names), nil
	}
}

// tooManyLabels is the error for a label column of n distinct labels,
// more than MaxCSVClasses.
func tooManyLabels(n int) error {
	return fmt.Errorf("%d distinct labels, more than data.MaxCSVClasses (%d); for a numeric target set the Regression option, or choose the label column", n, MaxCSVClasses)
}

// errLineTooLong is what lineLimit's Read returns for a line past
// MaxCSVLine.
var errLineTooLong = fmt.Errorf("the line is longer than data.MaxCSVLine (%d bytes)", MaxCSVLine)

// lineLimit reads from r and fails with errLineTooLong as soon as a line
// (the bytes between two '\n', not counting '\r') exceeds MaxCSVLine, so
// that the CSV reader never holds more than that of one line.
type lineLimit struct {
	r    io.Reader
	n    int // bytes of the current line so far
	line int // the current line, from 1
	err  error
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.line == 0 {
		l.line = 1
	}
	k, err := l.r.Read(p)
	for i, b := range p[:k] {
		switch b {
		case '\n':
			l.n = 0
			l.line++
		case '\r':
		default:
			if l.n++; l.n > MaxCSVLine {
				l.err = errLineTooLong
				return i, l.err
			}
		}
	}
	return k, err
}

// wrap names the file, and the line for a line too long, in err from the
// CSV reader.
func (l *lineLimit) wrap(name string, err error) error {
	if errors.Is(err, errLineTooLong) {
		return fmt.Errorf("%s:%d: %w", name, l.line, err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// quoteCell quotes a cell for a message, cut to its first 40 bytes (whole
// UTF-8 characters) with its length when it is longer.
func quoteCell(s string) string {
	if len(s) <= 40 {
		return strconv.Quote(s)
	}
	return strconv.Quote(shorten(s)) + fmt.Sprintf(" (%d bytes)", len(s))
}

// shorten returns s cut to its first 40 bytes (whole UTF-8 characters)
// followed by "...", or s if it is no longer.
func shorten(s string) string {
	const most = 40
	if len(s) <= most {
		return s
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// unwrapPathError drops the operation and path of an *os.PathError, for
// messages that name the path themselves.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
