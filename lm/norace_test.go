//go:build !race

package lm_test

// raceEnabled: see race_test.go.
const raceEnabled = false
