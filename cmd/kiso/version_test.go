package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/tensor"
)

// kiso version and kiso --version print the same lines: the version, the Go
// toolchain and the kernels tensor selected.
func TestVersion(t *testing.T) {
	out, errs, code := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "kiso ") {
		t.Fatalf("kiso version: exit %d, %q %s", code, out, errs)
	}
	for _, want := range []string{runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH, "kernels   " + tensor.Kernels()} {
		if !strings.Contains(out, want) {
			t.Errorf("kiso version: %q lacks %q", out, want)
		}
	}
	flag, errs, code := runCLI(t, "--version")
	if code != 0 || flag != out {
		t.Errorf("kiso --version: exit %d, %q %s; want kiso version's %q", code, flag, errs, out)
	}
	js, _, code := runCLI(t, "version", "--json")
	var v versionInfo
	if code != 0 || json.Unmarshal([]byte(js), &v) != nil || v.Kernels != tensor.Kernels() || v.Version == "" {
		t.Errorf("kiso version --json: exit %d, %q", code, js)
	}
}
