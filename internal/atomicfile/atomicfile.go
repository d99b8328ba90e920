// Package atomicfile writes files that users keep (models, CSVs, plots,
// checkpoints) so that a reader never sees a half-written file: the data
// goes to a temporary file in the same folder, is synced, and is renamed
// over the target only when complete.
//
// A process killed while writing (kill -9, a power cut) leaves its
// temporary file behind, named ".TARGET.tmpDIGITS". The next Write of the
// same target removes those that have not been modified for StaleAge and,
// where the system has advisory locks (flock), that no live writer holds:
// every writer locks its temporary file until it is renamed.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StaleAge is how long a temporary file of a target must have gone
// unmodified before a Write of that target removes it as abandoned.
const StaleAge = 10 * time.Minute

// Write creates or replaces path with what fill writes. If fill returns an
// error, or anything fails, the old file (if any) is left untouched and the
// temporary file is removed.
func Write(path string, fill func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	// Hold a lock on the temporary file until it is renamed (on a second
	// descriptor, which outlives f), so that no other write removes it.
	if lk, lerr := os.Open(f.Name()); lerr == nil {
		lockFile(lk)
		defer lk.Close()
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	removeStale(dir, base, f.Name())
	if err = fill(f); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) && pe.Path == f.Name() {
			// A failed write to the temporary file: name the user's path.
			return fmt.Errorf("cannot write %s: %w", path, pe.Err)
		}
		return err
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	return nil
}

// removeStale removes the temporary files of base in dir that a killed
// write left: named as Write names them (other than own), not modified for
// StaleAge, and not locked by a live writer. It is best effort: errors
// leave the file.
func removeStale(dir, base, own string) {
	prefix := "." + base + ".tmp"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	cutoff := time.Now().Add(-StaleAge)
	for _, e := range entries {
		name := e.Name()
		digits, ok := strings.CutPrefix(name, prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if name == filepath.Base(own) {
			continue
		}
		p := filepath.Join(dir, name)
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue
		}
		g, err := os.Open(p)
		if err != nil {
			continue
		}
		if lockFile(g) || !canLock {
			os.Remove(p)
		}
		g.Close()
	}
}

// WriteBytes is Write for data already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// CheckWritable reports, before a long run, whether path could be written:
// its folder exists and a file can be created there, and path itself is not
// a folder. It leaves nothing behind.
func CheckWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot write %s: it is a folder", path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".kiso-check*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// unwrapPath drops the temporary file's name from a *PathError so the
// message names the user's path only.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
