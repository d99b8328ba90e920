package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Work shows in the readings: spinning on this goroutine makes the CPU
// time grow, never shrink (however busy the machine, within a minute).
func TestProcessCounts(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" && runtime.GOOS != "windows" {
		t.Skip("CPU time is read on Linux, macOS and Windows")
	}
	a, ok := Process()
	if !ok {
		t.Fatal("Process: not known on", runtime.GOOS)
	}
	x, start, last := 1.0, time.Now(), a
	for {
		for range 100000 {
			x = x*1.0000001 + 1e-9
		}
		b, _ := Process()
		if b < last {
			t.Fatalf("CPU time went back from %v to %v", last, b)
		}
		last = b
		if b-a >= 50*time.Millisecond {
			break
		}
		if time.Since(start) > time.Minute {
			t.Fatalf("a minute of spinning added %v of CPU time (x=%g)", b-a, x)
		}
	}
	if s := Seconds(); !(s >= last.Seconds()) {
		t.Errorf("Seconds() = %v after Process() = %v", s, last)
	}
}
