package data

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		opts     CSVOptions
		x        []float64
		y        []float64
		classes  int
		classNms []string
		features []string
	}{
		{
			name: "header, string labels sorted",
			in:   "a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n7,8,versicolor\n",
			x:    []float64{1, 2, 3, 4, 5, 6, 7, 8}, y: []float64{0, 2, 0, 1},
			classes: 3, classNms: []string{"setosa", "versicolor", "virginica"}, features: []string{"a", "b"},
		},
		{
			name: "no header, integer labels are indices",
			in:   "0.5,1e2,2\n-1,0,0\n",
			x:    []float64{0.5, 100, -1, 0}, y: []float64{2, 0}, classes: 3,
		},
		{
			name: "integral float labels are indices",
			in:   "1,1.0\n2,0.0\n",
			x:    []float64{1, 2}, y: []float64{1, 0}, classes: 2,
		},
		{
			name: "negative numeric labels ordered by value",
			in:   "1,1\n2,-1\n3,10\n4,-1\n",
			x:    []float64{1, 2, 3, 4}, y: []float64{1, 0, 2, 0}, classes: 3, classNms: []string{"-1", "1", "10"},
		},
		{
			name: "label by name, first column",
			in:   "y,x1,x2\n1,2,3\n0,4,5\n",
			opts: CSVOptions{Label: "y"},
			x:    []float64{2, 3, 4, 5}, y: []float64{1, 0}, classes: 2, features: []string{"x1", "x2"},
		},
		{
			name: "label by index without header",
			in:   "1,2,3\n0,4,5\n",
			opts: CSVOptions{Label: "0"},
			x:    []float64{2, 3, 4, 5}, y: []float64{1, 0}, classes: 2,
		},
		{
			name: "label by negative index",
			in:   "7,1,2\n8,0,4\n",
			opts: CSVOptions{Label: "-2"},
			x:    []float64{7, 2, 8, 4}, y: []float64{1, 0}, classes: 2,
		},
		{
			name: "regression",
			in:   "x,price\n1,2.5\n2,-3.25\n",
			opts: CSVOptions{Regression: true},
			x:    []float64{1, 2}, y: []float64{2.5, -3.25}, features: []string{"x"},
		},
		{
			name: "spaces, quotes, blank lines, BOM, semicolons",
			in:   "\uFEFF x ; \"y\"; c\n\n 1 ; 2 ;\" b \"\n3;4;a\n",
			opts: CSVOptions{Comma: ';'},
			x:    []float64{1, 2, 3, 4}, y: []float64{1, 0}, classes: 2, classNms: []string{"a", "b"}, features: []string{"x", "y"},
		},
		{
			name: "a text label alone does not make a header",
			in:   "1,2,label\n3,4,cat\n",
			x:    []float64{1, 2, 3, 4}, y: []float64{1, 0}, classes: 2, classNms: []string{"cat", "label"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ReadCSV[float64](strings.NewReader(tc.in), "t.csv", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			n := len(tc.y)
			wantY := []int{n}
			if tc.opts.Regression {
				wantY = []int{n, 1}
			}
			if !slices.Equal(s.X.Shape(), []int{n, len(tc.x) / n}) || !slices.Equal(s.Y.Shape(), wantY) {
				t.Errorf("shapes %v %v", s.X.Shape(), s.Y.Shape())
			}
			if !slices.Equal(s.X.Data, tc.x) || !slices.Equal(s.Y.Data, tc.y) {
				t.Errorf("X %v Y %v, want %v %v", s.X.Data, s.Y.Data, tc.x, tc.y)
			}
			if s.Classes != tc.classes || !slices.Equal(s.ClassNames, tc.classNms) || !slices.Equal(s.FeatureNames, tc.features) {
				t.Errorf("classes %d %q features %q, want %d %q %q", s.Classes, s.ClassNames, s.FeatureNames, tc.classes, tc.classNms, tc.features)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		opts     CSVOptions
		want     string
	}{
		{"empty", "", CSVOptions{}, "t.csv: empty file"},
		{"blank lines only", "\n\n", CSVOptions{}, "t.csv: empty file"},
		{"header only", "a,b\n", CSVOptions{}, "t.csv: no data rows"},
		{"one column", "1\n2\n", CSVOptions{}, "need at least one feature column"},
		{"not a number", "a,b,c\n1,2,x\n3,oops,y\n", CSVOptions{}, `t.csv:3: column 2 (b): "oops" is not a number`},
		{"ragged", "1,2,3\n4,5\n", CSVOptions{}, "t.csv:2: 2 fields, expected 3 as in the first row"},
		{"empty cell", "1,2,0\n1,,0\n", CSVOptions{}, `t.csv:2: column 2: "" is not a number`},
		{"NaN", "x,y\nNaN,1\n", CSVOptions{}, `t.csv:2: column 1 (x): "NaN" is not a finite number`},
		{"missing label", "1,2\n3, \n", CSVOptions{}, "t.csv:2: column 2: missing label"},
		{"regression target", "1,x\n", CSVOptions{Regression: true}, `t.csv:1: column 2: "x" is not a number`},
		{"unknown label name", "a,b\n1,2\n", CSVOptions{Label: "c"}, `t.csv: no column named "c"`},
		{"label index out of range", "1,2\n", CSVOptions{Label: "2"}, "out of range for 2 columns"},
		{"huge integer labels", "1,70000\n", CSVOptions{}, "t.csv: label column 2: integer label 70000 would make 70001 classes, more than data.MaxCSVClasses (1000); for a numeric target set the Regression option"},
		{"bad quote", "1,\"2\n", CSVOptions{}, "t.csv: parse error on line 1"},
		{"multi-line field", "1,2,3\n4,\"5\nz\",x\n", CSVOptions{}, `t.csv:2: column 2: "5\nz" is not a number`},
		{"integer label is an index", "1,2\n", CSVOptions{Label: "2"}, "label column 2 out of range for 2 columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCSV[float32](strings.NewReader(tc.in), "t.csv", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestReadCSVOverflowsFloat32(t *testing.T) {
	in := "1e39,1\n"
	if _, err := ReadCSV[float64](strings.NewReader(in), "t.csv", CSVOptions{}); err != nil {
		t.Errorf("float64: %v", err)
	}
	_, err := ReadCSV[float32](strings.NewReader(in), "t.csv", CSVOptions{})
	if err == nil || !strings.Contains(err.Error(), `"1e39" overflows float32`) {
		t.Errorf("float32: error %v", err)
	}
}

func TestLoadCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(path, []byte("x,y\n1,a\nz,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCSV[float64](path, CSVOptions{})
	if err == nil || !strings.Contains(err.Error(), path+`:3: column 1 (x): "z" is not a number`) {
		t.Errorf("error %v does not name the file, line and column", err)
	}
	missing := filepath.Join(dir, "none.csv")
	_, err = LoadCSV[float64](missing, CSVOptions{})
	if err == nil || !strings.Contains(err.Error(), "cannot read "+missing) {
		t.Errorf("error %v", err)
	}
}

// TestReadCSVLimits checks ReadCSV's limits at and just past them: class
// counts (MaxCSVClasses), line length (MaxCSVLine), and that error
// messages quote at most a short prefix of a long cell.
func TestReadCSVLimits(t *testing.T) {
	distinct := func(n int) string { // n rows of distinct string labels
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "1,c%d\n", i)
		}
		return b.String()
	}
	line := func(n int) string { // one line of n bytes, a valid row
		return "1" + strings.Repeat(" ", n-3) + ",0\n"
	}
	for _, tc := range []struct {
		name, in string
		want     string // "" for accepted
	}{
		{"integer labels at the limit", fmt.Sprintf("1,0\n2,%d\n", MaxCSVClasses-1), ""},
		{"integer labels past the limit", fmt.Sprintf("1,0\n2,%d\n", MaxCSVClasses), fmt.Sprintf("integer label %d would make %d classes, more than data.MaxCSVClasses (%d)", MaxCSVClasses, MaxCSVClasses+1, MaxCSVClasses)},
		{"label 65535", "1,0\n2,65535\n", "integer label 65535 would make 65536 classes"},
		{"distinct labels at the limit", distinct(MaxCSVClasses), ""},
		{"distinct labels past the limit", distinct(MaxCSVClasses + 1), fmt.Sprintf("%d distinct labels, more than data.MaxCSVClasses", MaxCSVClasses+1)},
		{"distinct numeric labels past the limit", strings.ReplaceAll(distinct(MaxCSVClasses+1), "c", "-"), "distinct labels, more than data.MaxCSVClasses"},
		{"line at the limit", line(MaxCSVLine), ""},
		{"line past the limit", line(MaxCSVLine + 1), fmt.Sprintf("t.csv:1: the line is longer than data.MaxCSVLine (%d bytes)", MaxCSVLine)},
		{"second line past the limit", "1,0\n" + line(MaxCSVLine+1), "t.csv:2: the line is longer"},
		{"CRLF line at the limit", strings.TrimSuffix(line(MaxCSVLine), "\n") + "\r\n", ""},
	} {
		_, err := ReadCSV[float32](strings.NewReader(tc.in), "t.csv", CSVOptions{})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %.300v, want one containing %q", tc.name, err, tc.want)
		}
	}

	// A long line costs memory for at most MaxCSVLine bytes, and its error
	// message stays short.
	long := strings.Repeat("x", 16<<20) + ",0\n"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadCSV[float32](strings.NewReader(long), "t.csv", CSVOptions{})
	runtime.ReadMemStats(&after)
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("16 MB line: error of %d bytes", len(fmt.Sprint(err)))
	}
	if used := after.TotalAlloc - before.TotalAlloc; used > 8*MaxCSVLine {
		t.Errorf("16 MB line: allocated %d bytes", used)
	}
	// A long header name is shortened in messages too.
	_, err = ReadCSV[float32](strings.NewReader(strings.Repeat("h", 100_000)+",y\nx,0\n"), "t.csv", CSVOptions{})
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "hhh...") {
		t.Errorf("long header name: error %.300v", err)
	}
	// A long cell within the limit is quoted in part.
	_, err = ReadCSV[float32](strings.NewReader("1,0\n"+strings.Repeat("y", 100_000)+",0\n"), "t.csv", CSVOptions{})
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "(100000 bytes)") {
		t.Errorf("long cell: error %.300v", err)
	}
}

// TestReadCSVInvalidUTF8Labels checks that labels that are not UTF-8 are
// refused rather than merged: \xff and \xfe both became U+FFFD once.
func TestReadCSVInvalidUTF8Labels(t *testing.T) {
	_, err := ReadCSV[float32](strings.NewReader("1,a\n2,\xff\n3,\xfe\n"), "t.csv", CSVOptions{})
	if err == nil || !strings.Contains(err.Error(), `t.csv:2: column 2: label "\xff" is not UTF-8 text`) {
		t.Errorf("error %v", err)
	}
}
