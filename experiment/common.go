package experiment

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"

	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
)

// Common are the options every experiment takes.
type Common struct {
	// Out is the folder the files are written to; it is created if it
	// does not exist. Files already there under the same names are
	// replaced.
	Out string
	// Formats are the image formats of the figures: "png", "svg" or both,
	// each figure being written once per format. Nil means png only.
	Formats []string
	// Seed seeds every random draw of the experiment: weights, batches,
	// dropout masks, search trials.
	Seed uint32
	// MNIST is the folder holding the four MNIST files, as data.FetchMNIST
	// returns it.
	MNIST string
	// Progress, if set, is told how far the experiment has gone. Calls
	// never overlap (runs that train side by side take turns), but may
	// come from different goroutines; it must be quick.
	Progress func(Event)
}

// Event reports progress. Done of Total units of work (training steps or
// epochs, whichever the experiment counts) are finished over the whole
// experiment; Task names the run that just advanced ("adam", "scale 0.01,
// batch norm").
type Event struct {
	Task        string
	Done, Total int
}

// check reports what is wrong with c, if anything.
func (c *Common) check() error {
	if c.Out == "" {
		return errors.New("experiment: no output folder")
	}
	if c.MNIST == "" {
		return errors.New("experiment: no MNIST folder (see data.FetchMNIST)")
	}
	for _, f := range c.Formats {
		if f != "png" && f != "svg" {
			return fmt.Errorf("experiment: unknown image format %q (png or svg)", f)
		}
	}
	return nil
}

// session is one experiment under way: its options, the files it wrote and
// its progress count.
type session struct {
	c     Common
	mu    sync.Mutex // guards done and the Progress calls
	done  int
	total int
	files []string
}

// start checks c, creates the output folder and returns a session whose
// progress counts to total.
func start(c Common, total int) (*session, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the output folder: %w", err)
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{"png"}
	}
	return &session{c: c, total: total}, nil
}

// tick adds n units of work done by task and reports it.
func (s *session) tick(task string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done += n
	if s.c.Progress != nil {
		s.c.Progress(Event{Task: task, Done: s.done, Total: s.total})
	}
}

// path returns the path of the file name in the output folder.
func (s *session) path(name string) string { return filepath.Join(s.c.Out, name) }

// figure writes the figure base (a name without extension) once per format,
// calling draw with each path, and records the files.
func (s *session) figure(base string, draw func(path string) error) error {
	for _, f := range s.c.Formats {
		p := s.path(base + "." + f)
		if err := draw(p); err != nil {
			return err
		}
		s.files = append(s.files, p)
	}
	return nil
}

// checkFigure reports whether the figure base can be written in every
// format, so that a long run fails before training rather than after.
func (s *session) checkFigure(base string) error {
	for _, f := range s.c.Formats {
		if err := plot.CheckPath(s.path(base + "." + f)); err != nil {
			return err
		}
	}
	return nil
}

// stream returns a generator for one purpose of the experiment ("weights",
// "batches"), seeded from the experiment's seed and the purpose's name, so
// that the purposes draw independent numbers and adding one changes none of
// the others.
func stream(seed uint32, purpose string) *rng.MT {
	h := fnv.New32a()
	h.Write([]byte(purpose))
	return rng.NewPython(uint64(seed)<<32 | uint64(h.Sum32()))
}
