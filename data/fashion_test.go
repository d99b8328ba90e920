package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kiso-go/kiso/internal/tools"
)

// gzipped returns b gzipped with the given header time stamp.
func gzipped(t *testing.T, b []byte, stamp time.Time) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.ModTime = stamp
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// contentFiles returns two fetchFiles known by their content and that
// content gzipped with time stamp stamp.
func contentFiles(t *testing.T, stamp time.Time) ([]fetchFile, map[string][]byte) {
	raw := map[string][]byte{"a.gz": []byte("first file"), "b.gz": bytes.Repeat([]byte("second "), 5000)}
	gz := map[string][]byte{}
	var files []fetchFile
	for _, name := range []string{"a.gz", "b.gz"} {
		sum := sha256.Sum256(raw[name])
		files = append(files, fetchFile{name, int64(len(raw[name])), hex.EncodeToString(sum[:])})
		gz[name] = gzipped(t, raw[name], stamp)
	}
	return files, gz
}

// Files are checked by their gunzipped content: another gzip encoding of
// the same bytes is accepted, a damaged content or a broken gzip stream
// is not, and the cache keeps the bytes as they came.
func TestFetchByContent(t *testing.T) {
	files, gz := contentFiles(t, time.Date(2020, 6, 5, 9, 5, 0, 0, time.UTC))
	_, other := contentFiles(t, time.Date(2017, 8, 25, 0, 0, 0, 0, time.UTC))
	if bytes.Equal(gz["b.gz"], other["b.gz"]) {
		t.Fatal("the two encodings should differ in their time stamps")
	}
	for _, tc := range []struct {
		name    string
		content map[string][]byte
		edit    func(string, []byte) []byte
		wantErr string
	}{
		{"same encoding", gz, keep, ""},
		{"other time stamp", other, keep, ""},
		{"damaged content", gz, func(n string, b []byte) []byte {
			if n == "b.gz" {
				return gzipped(t, bytes.Repeat([]byte("secOnd "), 5000), time.Time{})
			}
			return b
		}, "b.gz: SHA-256"},
		{"longer content", gz, func(n string, b []byte) []byte {
			if n == "a.gz" {
				return gzipped(t, []byte("first file!"), time.Time{})
			}
			return b
		}, "a.gz: 11 bytes or more, expected 10"},
		{"not gzip", gz, func(n string, b []byte) []byte {
			if n == "a.gz" {
				return []byte("first file")
			}
			return b
		}, "a.gz: not a gzip file"},
		{"truncated", gz, func(n string, b []byte) []byte {
			if n == "b.gz" {
				return b[:len(b)-6]
			}
			return b
		}, "b.gz: unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, cache := t.TempDir(), t.TempDir()
			writeFiles(t, from, tc.content, tc.edit)
			set := fetchSet{label: "Test", cache: "test", files: files, content: true,
				sources: []fetchSource{folderSource("folder", from)}}
			_, err := set.fetch(context.Background(), FetchOptions{Dir: cache})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				checkCache(t, cache, tc.content)
				// Cached files are verified by content on the next run.
				set.sources = nil
				if _, err := set.fetch(context.Background(), FetchOptions{Dir: cache}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "cannot fetch Test") {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// writeScript writes an executable shell script.
func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// The apt source runs apt-get download in a temporary folder, unpacks the
// .deb with dpkg-deb -x and serves the files of the package's folder;
// the temporary folder is removed afterwards. Fake commands stand in for
// Debian's.
func TestFetchAptSource(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts stand in for apt-get and dpkg-deb")
	}
	files, gz := contentFiles(t, time.Time{})
	src, bin := t.TempDir(), t.TempDir()
	writeFiles(t, src, gz, keep)
	aptGet, dpkgDeb := filepath.Join(bin, "apt-get"), filepath.Join(bin, "dpkg-deb")
	// apt-get download writes NAME_VERSION_all.deb into the working
	// folder; dpkg-deb -x DEB DIR unpacks it (here: copies the files).
	writeScript(t, aptGet, `[ "$1 $2" = "download `+FashionMNISTPackage+`" ] || exit 9
echo fake > `+FashionMNISTPackage+"_1.0_all.deb\n")
	writeScript(t, dpkgDeb, `[ "$1" = -x ] || exit 9
mkdir -p "$3`+FashionMNISTSystemDir+`" && cp `+src+`/*.gz "$3`+FashionMNISTSystemDir+"\"\n")
	apt := &aptSource{aptGet: aptGet, dpkgDeb: dpkgDeb}
	cache := t.TempDir()
	set := fetchSet{label: "Test", cache: "test", files: files, content: true, sources: []fetchSource{apt.source()}}
	var msgs []string
	if _, err := set.fetch(context.Background(), FetchOptions{Dir: cache, Progress: logTo(&msgs)}); err != nil {
		t.Fatalf("%v (%s)", err, strings.Join(msgs, "; "))
	}
	checkCache(t, cache, gz)
	tmp := apt.tmp
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("temporary folder %q: %v", tmp, err)
	}
	apt.cleanup()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary folder %s left behind", tmp)
	}

	// A failing apt-get is reported with its last line of standard error.
	writeScript(t, aptGet, "echo 'E: Unable to locate package' >&2; exit 100\n")
	apt = &aptSource{aptGet: aptGet, dpkgDeb: dpkgDeb}
	defer apt.cleanup()
	set = fetchSet{label: "Test", cache: "test", files: files, content: true, sources: []fetchSource{apt.source()}}
	_, err := set.fetch(context.Background(), FetchOptions{Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "E: Unable to locate package") {
		t.Fatalf("error %v, want apt-get's message", err)
	}
	// A missing command says so.
	apt2 := &aptSource{aptGet: filepath.Join(bin, "no-such-apt-get")}
	defer apt2.cleanup()
	set.sources = []fetchSource{apt2.source()}
	if _, err := set.fetch(context.Background(), FetchOptions{Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no-such-apt-get") {
		t.Fatalf("error %v, want one naming the missing command", err)
	}
}

// The real files, where Debian's package is installed (CI installs it):
// FetchFashionMNIST takes them from the system folder and LoadFashionMNIST
// reads them with the class names.
func TestFetchFashionMNISTSystem(t *testing.T) {
	if _, err := os.Stat(filepath.Join(FashionMNISTSystemDir, fashionFiles[0].name)); err != nil {
		tools.Missing(t, "Debian's package "+FashionMNISTPackage, "apt-get install "+FashionMNISTPackage)
	}
	cache := t.TempDir()
	dir, err := FetchFashionMNIST(context.Background(), FashionFetchOptions{Dir: cache, NoApt: true})
	if err != nil || dir != cache {
		t.Fatalf("FetchFashionMNIST: %q, %v", dir, err)
	}
	train, test, err := LoadFashionMNIST[float32](dir, MNISTOptions{Limit: 10, Flatten: true})
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 10 || test.Len() != 10 || train.ClassNames[9] != "Ankle boot" {
		t.Fatalf("loaded %d and %d cases, classes %v", train.Len(), test.Len(), train.ClassNames)
	}
	// The first training image is an ankle boot (label 9), the first
	// test image too, as the dataset's README shows them.
	if train.Y.Data[0] != 9 || test.Y.Data[0] != 9 {
		t.Errorf("first labels %v and %v, want 9 and 9", train.Y.Data[0], test.Y.Data[0])
	}
}
