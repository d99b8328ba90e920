// Package cputime reads the CPU time the process has used, which kiso
// reports beside wall-clock time: on a shared, busy machine the wall clock
// counts the waits for a core and CPU seconds do not.
package cputime

import (
	"math"
	"time"
)

// Process returns the CPU time the process has used so far, user and
// system (kernel), all its threads together; ok is false where the system
// does not tell it.
func Process() (d time.Duration, ok bool) { return process() }

// Seconds is Process in seconds, or NaN where it is not known.
func Seconds() float64 {
	d, ok := process()
	if !ok {
		return math.NaN()
	}
	return d.Seconds()
}
