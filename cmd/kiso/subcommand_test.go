package main

import (
	"strings"
	"testing"
)

// TestUnknownSubcommand: kiso data cifar is an error naming the sets kiso
// data knows, not help and exit 0 (issue 12, item 16); kiso data alone
// still prints help.
func TestUnknownSubcommand(t *testing.T) {
	out, errs, code := runCLI(t, "data", "cifar")
	if code != 2 || !strings.Contains(errs, `"cifar"`) || !strings.Contains(errs, "mnist") || !strings.Contains(errs, "fashion-mnist") || strings.Count(errs, "\n") != 1 {
		t.Errorf("kiso data cifar: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	out, errs, code = runCLI(t, "data")
	if code != 0 || !strings.Contains(out, "Available Commands") {
		t.Errorf("kiso data: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
