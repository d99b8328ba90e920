//go:build !linux

package plot

// writeUnderLimit is not used where there is no RLIMIT_FSIZE.
func writeUnderLimit(string) {}
