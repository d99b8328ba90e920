package tensor

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestParseSpin(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want time.Duration
		bad  bool
	}{
		{"", DefaultSpin, false},
		{"0", 0, false},
		{"0s", 0, false},
		{"50us", 50 * time.Microsecond, false},
		{"1ms", time.Millisecond, false},
		{"1s", time.Second, false},
		{"2s", DefaultSpin, true},
		{"-1us", DefaultSpin, true},
		{"fast", DefaultSpin, true},
		{"50", DefaultSpin, true}, // a duration needs its unit
	} {
		d, err := parseSpin(tc.v)
		if d != tc.want || (err != nil) != tc.bad {
			t.Errorf("parseSpin(%q) = %v, %v; want %v, error %v", tc.v, d, err, tc.want, tc.bad)
		}
		if err != nil && !strings.Contains(err.Error(), SpinEnv) {
			t.Errorf("parseSpin(%q): error %q does not name %s", tc.v, err, SpinEnv)
		}
	}
}

func TestParallelWithoutSpinning(t *testing.T) {
	// The team's tests again in a process started with KISO_SPIN=0, whose
	// helpers sleep as soon as they find no chunk.
	if os.Getenv(SpinEnv) == "0" {
		if spinFor != 0 {
			t.Fatalf("%s=0 but the spin is %v", SpinEnv, spinFor)
		}
		return
	}
	if testing.Short() {
		t.Skip("starts the test binary again")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^(TestParallel|TestMatMul$)", "-test.count=1")
	cmd.Env = append(os.Environ(), SpinEnv+"=0")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("with %s=0: %v\n%s", SpinEnv, err, out)
	}
}
