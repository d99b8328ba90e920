package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestWriteRemovesStaleTemporaries: the temporary files of writes killed
// (kill -9) before their rename, named after the same target and untouched
// for longer than StaleAge, are removed by the next write of that target;
// a recent one (perhaps another process's write in progress), one that a
// live writer holds, and the files of other targets are left alone
// (issue 12, item 16).
func TestWriteRemovesStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.kiso")
	old := time.Now().Add(-2 * StaleAge)
	mk := func(name string, mtime time.Time) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	mk(".m.kiso.tmp123456", old)     // stale: removed
	mk(".m.kiso.tmp987", old)        // stale: removed
	mk(".m.kiso.tmp555", time.Now()) // recent: kept
	mk(".m.kiso.tmpnotours", old)    // not CreateTemp's pattern: kept
	mk(".other.kiso.tmp123", old)    // another target's: kept
	mk("m.kiso.tmp123", old)         // not hidden: kept
	mk(".m.kiso.tmp777", old)        // held by a live writer: kept
	held, err := os.Open(filepath.Join(dir, ".m.kiso.tmp777"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	live := lockFile(held)
	if err := WriteBytes(path, []byte("model")); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{".m.kiso.tmp555", ".m.kiso.tmpnotours", ".other.kiso.tmp123", "m.kiso", "m.kiso.tmp123"}
	if live {
		want = append(want, ".m.kiso.tmp777")
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("folder holds %v, want %v", names, want)
	}
}
