package playground

import (
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kiso-go/kiso/data"
)

// CSVPoints is the answer of POST /api/csv: the file's rows as points for
// a "custom" configuration. Each feature is scaled linearly from its range
// in the file (Ranges[0] for x, Ranges[1] for y) onto [-5, 5] (a constant
// feature onto 0) and rounded to 4 decimals; a fraction test_ratio of the
// points, drawn with the seed, is held out for testing.
type CSVPoints struct {
	Points     []Point   `json:"points"`
	Classes    int       `json:"classes"`
	ClassNames []string  `json:"class_names,omitempty"`
	Ranges     [2][2]Num `json:"ranges"`
}

// csvHalfWidth is the half-width of the square uploaded features are
// scaled onto, inside the view's [-6, 6].
const csvHalfWidth = 5

// handleCSV reads a CSV table of two feature columns and a label column
// (data.ReadCSV's rules: an optional header, labels as integers or names)
// from the body. The query may set test_ratio (default 0) and seed
// (default 0), which choose the test points, and name, the file's name
// for messages.
func (s *Server) handleCSV(w http.ResponseWriter, r *http.Request) {
	lim := s.opts.Limits
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		writeError(w, http.StatusUnsupportedMediaType, errors.New("send the table as text/csv (Content-Type: text/csv)"))
		return
	}
	ratio, seed, name, err := csvQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	done := s.startUpload(w)
	if done == nil {
		return
	}
	defer done()
	body := s.body(w, r, lim.MaxBody)
	set, err := data.ReadCSV[float64](body, name, data.CSVOptions{})
	if err = body.check(err); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	out, err := csvPoints(set, ratio, seed, lim)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// csvQuery reads test_ratio, seed and name from r's query.
func csvQuery(r *http.Request) (ratio float64, seed int64, name string, err error) {
	q := r.URL.Query()
	name = "the CSV file"
	if v := q.Get("name"); v != "" {
		name = path.Base(strings.ReplaceAll(v, "\\", "/"))
		if len(name) > maxNameLen || !utf8.ValidString(name) {
			return 0, 0, "", fmt.Errorf("name: at most %d bytes of UTF-8", maxNameLen)
		}
	}
	if v := q.Get("test_ratio"); v != "" {
		ratio, err = strconv.ParseFloat(v, 64)
		if err != nil || !(ratio >= 0 && ratio <= MaxTest) {
			return 0, 0, "", fmt.Errorf("test_ratio %q: must be a number between 0 and %v", v, MaxTest)
		}
	}
	if v := q.Get("seed"); v != "" {
		seed, err = strconv.ParseInt(v, 10, 64)
		if err != nil || seed < 0 || seed > maxSeed {
			return 0, 0, "", fmt.Errorf("seed %q: must be an integer between 0 and %d", v, int64(maxSeed))
		}
	}
	return ratio, seed, name, nil
}

// maxNameLen caps the length of a file name quoted in messages.
const maxNameLen = 200

// csvPoints turns a set read from CSV into scaled points, checking it
// against lim.
func csvPoints(set *data.Set[float64], ratio float64, seed int64, lim Limits) (*CSVPoints, error) {
	n := set.Len()
	switch {
	case set.X.Cols() != 2:
		return nil, fmt.Errorf("the CSV file has %d feature columns; the playground needs exactly 2 (x, y) and a label column", set.X.Cols())
	case n > lim.MaxPoints:
		return nil, fmt.Errorf("the CSV file has %d rows; at most %d allowed", n, lim.MaxPoints)
	case set.Classes > lim.MaxClasses:
		return nil, fmt.Errorf("the CSV file has %d classes; at most %d allowed", set.Classes, lim.MaxClasses)
	case set.Classes < 1:
		return nil, errors.New("the CSV file has no class labels")
	}
	out := &CSVPoints{Points: make([]Point, n), Classes: max(set.Classes, 2), ClassNames: set.ClassNames}
	var scale [2]func(float64) float64
	for j := range 2 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			v := set.X.Data[2*i+j]
			lo, hi = min(lo, v), max(hi, v)
		}
		out.Ranges[j] = [2]Num{Num(lo), Num(hi)}
		mid, half := (lo+hi)/2, (hi-lo)/2
		scale[j] = func(v float64) float64 {
			if half == 0 {
				return 0
			}
			return (v - mid) / half * csvHalfWidth
		}
	}
	nTest := int(math.Round(ratio * float64(n)))
	test := make([]bool, n)
	for _, i := range newRand(seed, streamData).Perm(n)[:nTest] {
		test[i] = true
	}
	for i := range n {
		out.Points[i] = Point{
			X:     round4(scale[0](set.X.Data[2*i])),
			Y:     round4(scale[1](set.X.Data[2*i+1])),
			Label: int(set.Y.Data[i]),
			Test:  test[i],
		}
	}
	return out, nil
}

// round4 rounds v to 4 decimals, far below a pixel of the view, so that
// the points' links stay short.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
