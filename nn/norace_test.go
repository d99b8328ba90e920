//go:build !race

package nn

// RaceEnabled: see race_test.go.
const RaceEnabled = false
