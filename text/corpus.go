package text

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxCorpusBytes caps the size of a corpus file read into memory (1 GiB).
const MaxCorpusBytes = 1 << 30

// Corpus is a text to train a language model on.
type Corpus struct {
	// Name is how the corpus was asked for: "opticks", "gosrc",
	// "mobydick" or "text:PATH".
	Name string
	// Text is the whole corpus: valid UTF-8, never empty.
	Text string
	// Source is the file (or, for gosrc, the folder) it was read from.
	Source string
	// Files is the number of files concatenated into Text.
	Files int
}

// Options tells [Load] where to look.
type Options struct {
	// GOROOT is Go's installation folder; empty means [FindGOROOT].
	GOROOT string
	// Dir is the folder FetchMobyDick kept Moby-Dick in (its
	// FetchOptions.Dir); empty means the default cache folder.
	Dir string
}

// Load reads the corpus named by spec:
//
//	opticks      Newton's Opticks, GOROOT/src/testdata/Isaac.Newton-Opticks.txt
//	gosrc        the standard library's hand-written Go (see GoSource)
//	mobydick     Moby-Dick, fetched beforehand by FetchMobyDick (kiso data mobydick)
//	text:PATH    any UTF-8 file
//
// It returns an error for an unknown name, a missing or unreadable file, and
// a text that is empty or not UTF-8. Cancelling ctx stops reading gosrc.
func Load(ctx context.Context, spec string, opts Options) (*Corpus, error) {
	switch {
	case spec == "opticks":
		root, err := gorootOf(opts)
		if err != nil {
			return nil, err
		}
		return Opticks(root)
	case spec == "gosrc":
		root, err := gorootOf(opts)
		if err != nil {
			return nil, err
		}
		return GoSource(ctx, root)
	case spec == "mobydick":
		path, err := mobyDickPath(opts.Dir)
		if err != nil {
			return nil, err
		}
		c, err := ReadFile(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, errors.New("Moby-Dick is not in the cache: fetch it first with kiso data mobydick")
			}
			return nil, err
		}
		c.Name = "mobydick"
		return c, nil
	case strings.HasPrefix(spec, "text:"):
		path := strings.TrimPrefix(spec, "text:")
		if path == "" {
			return nil, errors.New("text: needs a file name, as in text:notes.txt")
		}
		return ReadFile(path)
	}
	return nil, fmt.Errorf("unknown corpus %q: want opticks, gosrc, mobydick or text:PATH", spec)
}

func gorootOf(opts Options) (string, error) {
	if opts.GOROOT != "" {
		return opts.GOROOT, nil
	}
	return FindGOROOT()
}

// FindGOROOT returns the folder Go is installed in, as `go env GOROOT`
// prints it, or, when no go command runs, the GOROOT this program was
// built with if that folder still exists.
func FindGOROOT() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if root := strings.TrimSpace(string(out)); err == nil && root != "" {
		return root, nil
	}
	//lint:ignore SA1019 only a fallback when no go command runs.
	if root := runtime.GOROOT(); root != "" {
		if fi, statErr := os.Stat(filepath.Join(root, "src")); statErr == nil && fi.IsDir() {
			return root, nil
		}
	}
	return "", fmt.Errorf("cannot find Go's installation folder: `go env GOROOT` failed (%v); put the go command on PATH", err)
}

// OpticksPath is the path of Newton's Opticks below a GOROOT.
func OpticksPath(goroot string) string {
	return filepath.Join(goroot, "src", "testdata", "Isaac.Newton-Opticks.txt")
}

// Opticks reads Newton's Opticks (Project Gutenberg's text, 567,198 bytes in
// Go 1.26), which every Go installation carries for its compression tests.
func Opticks(goroot string) (*Corpus, error) {
	c, err := ReadFile(OpticksPath(goroot))
	if err != nil {
		return nil, err
	}
	c.Name = "opticks"
	return c, nil
}

// ReadFile reads a UTF-8 text file as a corpus named "text:PATH". A file
// that is empty, larger than MaxCorpusBytes or not valid UTF-8 is an error
// that says where the first bad byte is.
func ReadFile(path string) (*Corpus, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read corpus: %w", err)
	}
	defer f.Close()
	b, err := readCapped(f, MaxCorpusBytes)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", path, err)
	}
	if err := CheckText(path, b); err != nil {
		return nil, err
	}
	return &Corpus{Name: "text:" + path, Text: string(b), Source: path, Files: 1}, nil
}

// readCapped reads all of f if it holds at most limit bytes (ReadFile and
// LoadPairs pass MaxCorpusBytes): a regular file's size is checked before
// anything is read or allocated, and any other file (a pipe, a file still
// growing) is read no further than one byte past the limit.
func readCapped(f *os.File, limit int64) ([]byte, error) {
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, fmt.Errorf("%d bytes, larger than %d", fi.Size(), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return b, nil
}

// CheckText returns an error, naming the text by name, if b is empty or not
// valid UTF-8; the error gives the offset and line of the first bad byte.
func CheckText(name string, b []byte) error {
	if len(b) == 0 {
		return fmt.Errorf("%s is empty", name)
	}
	if utf8.Valid(b) {
		return nil
	}
	off := 0
	for off < len(b) {
		r, size := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		off += size
	}
	line := 1 + strings.Count(string(b[:off]), "\n")
	return fmt.Errorf("%s is not UTF-8 text: byte 0x%02x at offset %d (line %d) is not valid UTF-8", name, b[off], off, line)
}
