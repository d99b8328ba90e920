package tensor

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumpy formats t exactly as numpy's str() formats an array of the
// same dtype with the default print options (precision 8, line width 75,
// summarized with "..." beyond 1000 elements): a 0-dimensional tensor as
// its shortest repr ("1.4545454545454546"), others as "[[1.5 2. ]]" with
// the shared field widths, switch to scientific notation and line wrapping
// of numpy's array2string.
func FormatNumpy[T Float](t *Tensor[T]) string {
	bits := 64
	if _, ok := any(t.Data).([]float32); ok {
		bits = 32
	}
	if len(t.shape) == 0 {
		return reprFloat(float64(t.Data[0]), bits)
	}
	p := numpyPrinter[T]{t: t, bits: bits, summary: len(t.Data) > 1000}
	p.strides = make([]int, len(t.shape))
	s := 1
	for i := len(t.shape) - 1; i >= 0; i-- {
		p.strides[i] = s
		s *= t.shape[i]
	}
	var shown []float64
	p.walk(0, 0, func(off int) { shown = append(shown, float64(t.Data[off])) })
	p.f = newFloatFormat(shown, bits)
	return p.rec(0, 0, " ", 75)
}

type numpyPrinter[T Float] struct {
	t       *Tensor[T]
	bits    int
	summary bool
	strides []int
	f       floatFormat
}

const edgeItems = 3

// items returns the indices of axis that are printed, and whether "..."
// stands between the leading and trailing ones.
func (p *numpyPrinter[T]) items(axis int) (idx []int, cut int) {
	n := p.t.shape[axis]
	if p.summary && n > 2*edgeItems {
		for i := 0; i < edgeItems; i++ {
			idx = append(idx, i)
		}
		for i := n - edgeItems; i < n; i++ {
			idx = append(idx, i)
		}
		return idx, edgeItems
	}
	for i := 0; i < n; i++ {
		idx = append(idx, i)
	}
	return idx, -1
}

func (p *numpyPrinter[T]) walk(axis, off int, f func(int)) {
	if axis == len(p.t.shape) {
		f(off)
		return
	}
	idx, _ := p.items(axis)
	for _, i := range idx {
		p.walk(axis+1, off+i*p.strides[axis], f)
	}
}

func (p *numpyPrinter[T]) rec(axis, off int, hang string, width int) string {
	if axis == len(p.t.shape) {
		return p.f.format(float64(p.t.Data[off]))
	}
	next := hang + " "
	idx, cut := p.items(axis)
	var s strings.Builder
	if len(p.t.shape)-axis == 1 {
		elemWidth := width - 1
		line := hang
		for k, i := range idx {
			if k == cut {
				line = extendLine(&s, line, "...", elemWidth, hang) + " "
			}
			line = extendLine(&s, line, p.rec(axis+1, off+i*p.strides[axis], next, width-1), elemWidth, hang)
			if k < len(idx)-1 {
				line += " "
			}
		}
		s.WriteString(line)
	} else {
		sep := strings.Repeat("\n", len(p.t.shape)-axis-1)
		for k, i := range idx {
			if k == cut {
				s.WriteString(hang + "..." + sep)
			}
			s.WriteString(hang + p.rec(axis+1, off+i*p.strides[axis], next, width-1))
			if k < len(idx)-1 {
				s.WriteString(sep)
			}
		}
	}
	return "[" + s.String()[len(hang):] + "]"
}

// extendLine is numpy's _extendLine: it appends word to line, first moving
// line to s and starting a new one when the word would pass width.
func extendLine(s *strings.Builder, line, word string, width int, prefix string) string {
	if len(line)+len(word) > width && len(line) > len(prefix) {
		s.WriteString(strings.TrimRight(line, " ") + "\n")
		line = prefix
	}
	return line + word
}

// floatFormat is numpy's FloatingFormat for the default options.
type floatFormat struct {
	bits              int
	exp               bool
	precision         int
	padLeft, padRight int
	expSize           int
}

const printPrecision = 8

func newFloatFormat(vals []float64, bits int) floatFormat {
	f := floatFormat{bits: bits, expSize: -1}
	var finite []float64
	maxAbs, minAbs := 0.0, math.Inf(1)
	nonFinite, negInf := false, false
	for _, v := range vals {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			nonFinite = true
			negInf = negInf || math.IsInf(v, -1)
			continue
		}
		finite = append(finite, v)
		if a := math.Abs(v); a != 0 {
			maxAbs, minAbs = max(maxAbs, a), min(minAbs, a)
		}
	}
	if minAbs != math.Inf(1) && (maxAbs >= 1e8 || minAbs < 0.0001 || maxAbs/minAbs > 1000) {
		f.exp = true
	}
	switch {
	case len(finite) == 0:
	case f.exp:
		for _, v := range finite {
			m, e, _ := strings.Cut(sciDigits(v, printPrecision, bits), "e")
			ip, fp, _ := strings.Cut(m, ".")
			f.expSize = max(f.expSize, len(e)-1)
			f.precision = max(f.precision, len(fp))
			f.padLeft = max(f.padLeft, len(ip))
		}
		f.padRight = f.expSize + 2 + f.precision
	default:
		for _, v := range finite {
			ip, fp, _ := strings.Cut(posDigits(v, printPrecision, bits), ".")
			f.padLeft = max(f.padLeft, len(ip))
			f.padRight = max(f.padRight, len(fp))
		}
		f.precision = printPrecision
	}
	if nonFinite {
		inf := 3
		if negInf {
			inf++
		}
		off := f.padRight + 1
		f.padLeft = max(f.padLeft, 3-off, inf-off)
	}
	return f
}

func (f floatFormat) format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		r := "nan"
		if math.IsInf(v, 1) {
			r = "inf"
		} else if math.IsInf(v, -1) {
			r = "-inf"
		}
		return strings.Repeat(" ", max(0, f.padLeft+f.padRight+1-len(r))) + r
	}
	if f.exp {
		// Every number gets exactly precision digits after the point, the
		// ones past its shortest form read from its exact binary value.
		m, e, _ := strings.Cut(strconv.FormatFloat(v, 'e', f.precision, f.bits), "e")
		ip, fp, _ := strings.Cut(m, ".")
		sign := e[0]
		digits := e[1:]
		digits = strings.Repeat("0", max(0, f.expSize-len(digits))) + digits
		return strings.Repeat(" ", max(0, f.padLeft-len(ip))) + ip + "." + fp + "e" + string(sign) + digits
	}
	ip, fp, _ := strings.Cut(posDigits(v, f.precision, f.bits), ".")
	return strings.Repeat(" ", max(0, f.padLeft-len(ip))) + ip + "." + fp + strings.Repeat(" ", max(0, f.padRight-len(fp)))
}

// posDigits returns v in positional notation with the shortest digits that
// identify it, cut to at most prec fractional digits (rounded), trailing
// zeros trimmed, always with a point ("2.", "0.5").
func posDigits(v float64, prec, bits int) string {
	s := strconv.FormatFloat(v, 'f', -1, bits)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > prec {
		s = strconv.FormatFloat(v, 'f', prec, bits)
		s = strings.TrimRight(s, "0")
	}
	if !strings.Contains(s, ".") {
		s += "."
	}
	return s
}

// sciDigits returns v in scientific notation with the shortest digits, at
// most prec after the point, as "1.5e-05" or "1.e+00".
func sciDigits(v float64, prec, bits int) string {
	s := strconv.FormatFloat(v, 'e', -1, bits)
	m, e, _ := strings.Cut(s, "e")
	if i := strings.IndexByte(m, '.'); i >= 0 && len(m)-i-1 > prec {
		s = strconv.FormatFloat(v, 'e', prec, bits)
		m, e, _ = strings.Cut(s, "e")
		m = strings.TrimRight(m, "0")
	}
	if !strings.Contains(m, ".") {
		m += "."
	}
	return m + "e" + e
}

// reprFloat formats v as Python's repr of a float (and numpy's str of a
// float64 or float32 scalar): the shortest digits, positional from 1e-4 up
// to 1e16 and scientific outside ("1e-05", "1.5e+16").
func reprFloat(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e16) {
		s := strconv.FormatFloat(v, 'e', -1, bits)
		return s
	}
	s := strconv.FormatFloat(v, 'f', -1, bits)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
