//go:build race

package lm_test

// raceEnabled: the race detector's sync.Pool drops some of what is put in
// it, so allocation counts mean nothing under it.
const raceEnabled = true
