//go:build !unix

package playground

import "time"

// cpuTime reports that the CPU time is not known here.
func cpuTime() (time.Duration, bool) { return 0, false }
