package plot

import (
	"fmt"
	"os/signal"
	"syscall"
)

// writeUnderLimit runs in the child: it limits files to 2 KiB and draws a
// figure larger than that to path, printing the error.
func writeUnderLimit(path string) {
	// Past the limit a write fails with EFBIG instead of killing the process.
	signal.Ignore(syscall.SIGXFSZ)
	lim := syscall.Rlimit{Cur: 2048, Max: 2048}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		fmt.Println("setrlimit:", err)
		return
	}
	steps, loss := xorLoss(1000)
	err := Loss(path, steps, loss, "new")
	fmt.Printf("error: %v\n", err)
}
