package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kiso-go/kiso/tensor"
)

// FashionMNISTClasses names Fashion-MNIST's ten classes, by label, as the
// dataset's README names them.
var FashionMNISTClasses = []string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

// fashionFiles are Fashion-MNIST's four files (the names of MNIST's), each
// known by the size and SHA-256 of its gunzipped content: Debian's package
// and the dataset's own repository gzip the same bytes with different time
// stamps in the gzip header.
var fashionFiles = []fetchFile{
	{"train-images-idx3-ubyte.gz", 47040016, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
	{"train-labels-idx1-ubyte.gz", 60008, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
	{"t10k-images-idx3-ubyte.gz", 7840016, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
	{"t10k-labels-idx1-ubyte.gz", 10008, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
}

// FashionMNISTPackage is the Debian package that ships Fashion-MNIST, and
// FashionMNISTSystemDir the folder it installs the files into.
const (
	FashionMNISTPackage   = "dataset-fashion-mnist"
	FashionMNISTSystemDir = "/usr/share/datasets/fashion-mnist"
)

// FashionFetchOptions tells FetchFashionMNIST where to keep the files and
// where to look for them. The zero value caches in the user's cache folder
// and tries Debian's package, installed or downloaded.
type FashionFetchOptions struct {
	// Dir is the cache folder; empty means os.UserCacheDir()/kiso/fashion-mnist.
	Dir string
	// From, if set, is a local folder holding the four .gz files, tried
	// first.
	From string
	// SystemDir is where the installed Debian package keeps the files;
	// empty means FashionMNISTSystemDir. NoSystem skips it.
	SystemDir string
	NoSystem  bool
	// AptGet and DpkgDeb are the commands that download Debian's package
	// (apt-get download, which needs no root) and unpack it (dpkg-deb -x);
	// empty means "apt-get" and "dpkg-deb" from PATH. NoApt skips them.
	AptGet, DpkgDeb string
	NoApt           bool
	// Progress, if set, receives a line for each step: which source is
	// tried, why it failed, and where the files came from.
	Progress func(msg string)
}

// FetchFashionMNIST makes sure the four Fashion-MNIST .gz files are in the
// cache folder and returns that folder, ready for LoadFashionMNIST. Files
// already cached are kept if their content is right; missing or damaged
// ones are taken from each source in turn: the folder opts.From, the
// folder of Debian's package dataset-fashion-mnist when it is installed,
// then that package downloaded with `apt-get download` into a temporary
// folder and unpacked with `dpkg-deb -x` (neither needs root). Each file's
// gunzipped content is checked against the known size and SHA-256 before
// the file is written into the cache atomically.
func FetchFashionMNIST(ctx context.Context, opts FashionFetchOptions) (dir string, err error) {
	var srcs []fetchSource
	if opts.From != "" {
		srcs = append(srcs, folderSource("folder "+opts.From, opts.From))
	}
	if !opts.NoSystem {
		sys := opts.SystemDir
		if sys == "" {
			sys = FashionMNISTSystemDir
		}
		srcs = append(srcs, folderSource("folder "+sys+" (package "+FashionMNISTPackage+")", sys))
	}
	var apt *aptSource
	if !opts.NoApt {
		apt = &aptSource{aptGet: opts.AptGet, dpkgDeb: opts.DpkgDeb}
		defer apt.cleanup()
		srcs = append(srcs, apt.source())
	}
	set := fetchSet{label: "Fashion-MNIST", cache: "fashion-mnist", files: fashionFiles, sources: srcs, content: true}
	return set.fetch(ctx, FetchOptions{Dir: opts.Dir, Progress: opts.Progress})
}

// LoadFashionMNIST reads Fashion-MNIST from the four IDX files in dir, as
// FetchFashionMNIST leaves them: LoadMNIST's shapes and errors, with
// ClassNames set to FashionMNISTClasses.
func LoadFashionMNIST[T tensor.Float](dir string, opts MNISTOptions) (train, test *Set[T], err error) {
	train, test, err = LoadMNIST[T](dir, opts)
	if err != nil {
		return nil, nil, err
	}
	train.ClassNames = FashionMNISTClasses
	test.ClassNames = FashionMNISTClasses
	return train, test, nil
}

// aptSource downloads Debian's package once, into a temporary folder
// removed by cleanup, and serves the files from its unpacked tree.
type aptSource struct {
	aptGet, dpkgDeb string
	tmp             string
	dir             string
	err             error
}

func (a *aptSource) source() fetchSource {
	return fetchSource{name: "apt-get download " + FashionMNISTPackage,
		open: func(ctx context.Context, f fetchFile) (io.ReadCloser, error) {
			if a.dir == "" && a.err == nil {
				a.dir, a.err = a.download(ctx)
			}
			if a.err != nil {
				return nil, a.err
			}
			return folderSource("", a.dir).open(ctx, f)
		}}
}

// download fetches and unpacks the package and returns the folder of its
// files.
func (a *aptSource) download(ctx context.Context) (string, error) {
	aptGet, dpkgDeb := a.aptGet, a.dpkgDeb
	if aptGet == "" {
		aptGet = "apt-get"
	}
	if dpkgDeb == "" {
		dpkgDeb = "dpkg-deb"
	}
	tmp, err := os.MkdirTemp("", "kiso-fashion")
	if err != nil {
		return "", err
	}
	a.tmp = tmp
	if err := runQuiet(ctx, tmp, aptGet, "download", FashionMNISTPackage); err != nil {
		return "", err
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, FashionMNISTPackage+"_*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("%s download %s left %d .deb files", aptGet, FashionMNISTPackage, len(debs))
	}
	root := filepath.Join(tmp, "root")
	if err := runQuiet(ctx, tmp, dpkgDeb, "-x", debs[0], root); err != nil {
		return "", err
	}
	return filepath.Join(root, FashionMNISTSystemDir), nil
}

func (a *aptSource) cleanup() {
	if a.tmp != "" {
		os.RemoveAll(a.tmp)
	}
}

// runQuiet runs name with args in dir; a failure's error carries the last
// line the command wrote to its standard error.
func runQuiet(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%s: not found (Debian's tool; on other systems use --from)", name)
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
			return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, last)
		}
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
