package plot

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		path string
		want string // part of the error; "" for none
	}{
		{filepath.Join(dir, "a.png"), ""},
		{filepath.Join(dir, "a.svg"), ""},
		{filepath.Join(dir, "A.PNG"), ""},
		{filepath.Join(dir, "a.jpg"), `unknown image type ".jpg"; use .png or .svg`},
		{filepath.Join(dir, "a.png.bak"), `unknown image type ".bak"`},
		{filepath.Join(dir, "noext"), "no file extension; use .png or .svg"},
		{filepath.Join(dir, "missing", "a.png"), "no such file or directory"},
	} {
		err := CheckPath(tc.path)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckPath(%q) = %v, want nil", tc.path, err)
		case tc.want != "" && err == nil:
			t.Errorf("CheckPath(%q) = nil, want an error with %q", tc.path, tc.want)
		case tc.want != "" && (!strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path)):
			t.Errorf("CheckPath(%q) = %q, want it to name the path and say %q", tc.path, err, tc.want)
		}
	}
	folder := filepath.Join(dir, "folder.png")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := CheckPath(folder); err == nil {
		t.Errorf("CheckPath of a folder = nil, want an error")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("CheckPath left files behind: %v", left)
	}
}

// TestBadPaths checks that every drawing function refuses a path with a
// wrong extension or in a missing folder, with an error and no file.
func TestBadPaths(t *testing.T) {
	dir := t.TempDir()
	for name, draw := range sizedFigures() {
		for _, path := range []string{
			filepath.Join(dir, name+".pdf"),
			filepath.Join(dir, "missing", name+".png"),
		} {
			err := draw(path, Size{Width: 2, Height: 2, DPI: 50})
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("%s: error %v, want one naming %s", name, err, path)
			}
			if _, serr := os.Stat(path); serr == nil {
				t.Errorf("%s: %s was written despite the error", name, path)
			}
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("files left behind: %v", left)
	}
}

// TestKeepOnPanic checks that a drawing that panics (a classifier that
// returns a wrong number of probabilities) leaves the old file as it was.
func TestKeepOnPanic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.png")
	old := []byte("an old figure")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	calls := 0
	bad := func(x, y float64) []float64 {
		calls++
		if calls > 100 {
			return []float64{1, 0, 0}
		}
		return []float64{0.5, 0.5}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("no panic for inconsistent probabilities")
			}
		}()
		Boundary(path, BoundaryOptions{Predict: bad, XMax: 1, YMax: 1})
	}()
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Errorf("old file changed to %q", got)
	}
}

// TestKeepOnWriteFailure checks that when writing fails half-way (here: a
// limit on file size, as a full disk would) the call returns an error that
// names the file, the old file is intact and no temporary file remains. The
// limit is set in a child process so that it cannot disturb other tests.
func TestKeepOnWriteFailure(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs RLIMIT_FSIZE")
	}
	if path := os.Getenv("KISO_PLOT_CHILD_PATH"); path != "" {
		writeUnderLimit(path)
		return
	}
	dir := t.TempDir()
	for _, name := range []string{"loss.png", "loss.svg"} {
		path := filepath.Join(dir, name)
		steps, loss := xorLoss(1000)
		if err := Loss(path, steps, loss, "old"); err != nil {
			t.Fatal(err)
		}
		old, err := os.ReadFile(path)
		if err != nil || len(old) < 4096 {
			t.Fatalf("old figure: %d bytes, %v; want over 4096", len(old), err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeepOnWriteFailure$")
		cmd.Env = append(os.Environ(), "KISO_PLOT_CHILD_PATH="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "error: cannot write "+path) {
			t.Errorf("child output %q, want an error naming %s", out, path)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
			t.Errorf("%s: old file changed", name)
		}
		if _, err := png.Decode(bytes.NewReader(old)); name == "loss.png" && err != nil {
			t.Errorf("old png no longer decodes: %v", err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
