package text

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sparse makes a file of n zero bytes that takes no room on disk.
func sparse(t *testing.T, n int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCorpusBytesLimit refuses a file of MaxCorpusBytes+1 bytes from its
// size, before reading (ReadFile and LoadPairs share the check), and checks
// the boundary itself at and past a small limit, for a regular file and a
// pipe (read one byte past the limit at most): reading 1 GiB at the real
// limit would cost the test seconds and gigabytes.
func TestCorpusBytesLimit(t *testing.T) {
	past := sparse(t, MaxCorpusBytes+1)
	if _, err := ReadFile(past); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("ReadFile of MaxCorpusBytes+1 bytes: %v, want a refusal", err)
	}
	if _, err := LoadPairs(past, 1984); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("LoadPairs of MaxCorpusBytes+1 bytes: %v, want a refusal", err)
	}
	const limit = 1000
	for _, n := range []int{limit, limit + 1} {
		path := filepath.Join(t.TempDir(), "text")
		if err := os.WriteFile(path, []byte(strings.Repeat("a", n)), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := readCapped(f, limit)
		f.Close()
		if n <= limit && (err != nil || len(b) != n) {
			t.Errorf("a file of %d bytes at limit %d: %d bytes, %v", n, limit, len(b), err)
		}
		if n > limit && err == nil {
			t.Errorf("a file of %d bytes at limit %d: read", n, limit)
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { w.Write([]byte(strings.Repeat("a", n))); w.Close() }()
		b, err = readCapped(r, limit)
		r.Close()
		if n <= limit && (err != nil || len(b) != n) {
			t.Errorf("a pipe of %d bytes at limit %d: %d bytes, %v", n, limit, len(b), err)
		}
		if n > limit && err == nil {
			t.Errorf("a pipe of %d bytes at limit %d: read", n, limit)
		}
	}
}

// TestPairLinesLimit refuses MaxPairLines+1 lines, counted before they are
// split, and checks the boundary at and past a small limit (parsing 10
// million lines at the real one would cost the test seconds).
func TestPairLinesLimit(t *testing.T) {
	if _, err := ParsePairs(strings.Repeat("1_2\n", MaxPairLines+1), 1); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("MaxPairLines+1 lines: %v, want a refusal", err)
	}
	const limit = 50
	p, err := parsePairs(strings.Repeat("1_2\n", limit), 1, limit)
	if err != nil {
		t.Fatalf("%d lines at limit %d: %v", limit, limit, err)
	}
	if n := p.Train.Len() + p.Test.Len(); n != limit {
		t.Errorf("%d examples, want %d", n, limit)
	}
	if _, err := parsePairs(strings.Repeat("1_2\n", limit+1), 1, limit); err == nil {
		t.Errorf("%d lines at limit %d: parsed", limit+1, limit)
	}
}

// TestAdditionPairsLimit makes MaxAdditionPairs examples and panics, as for
// a programmer's mistake, at one more.
func TestAdditionPairsLimit(t *testing.T) {
	if got := len(Addition(MaxAdditionPairs, 1984)); got != MaxAdditionPairs {
		t.Errorf("Addition(MaxAdditionPairs): %d lines", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "addition pairs") {
			t.Errorf("Addition(MaxAdditionPairs+1): recovered %v, want a panic naming the pairs", r)
		}
	}()
	Addition(MaxAdditionPairs+1, 1984)
}
