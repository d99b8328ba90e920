//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package atomicfile

import (
	"os"
	"syscall"
)

// canLock reports whether lockFile takes advisory locks on this system.
const canLock = true

// lockFile takes an exclusive advisory lock (flock) on f without waiting,
// and reports whether it got it. The lock lasts until f is closed.
func lockFile(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
