package experiment

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// writeCSV writes a table to the file name in the output folder,
// atomically, and records the file: the header line, then the rows.
func (s *session) writeCSV(name string, header []string, rows [][]string) error {
	p := s.path(name)
	err := atomicfile.Write(p, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil { // WriteAll flushes
			return err
		}
		return cw.Error()
	})
	if err != nil {
		return err
	}
	s.files = append(s.files, p)
	return nil
}

// num formats v in the shortest form that reads back to the same float64;
// NaN (a figure not measured) is an empty field, as in train.History.WriteCSV.
func num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// itoa formats an integer field.
func itoa(i int) string { return strconv.Itoa(i) }
