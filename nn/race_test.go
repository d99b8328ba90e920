//go:build race

package nn

// RaceEnabled: the race detector's sync.Pool drops some of what is put in
// it, so allocation counts mean nothing under it. (Exported, in a test
// file, for the external tests of package nn_test.)
const RaceEnabled = true
