//go:build unix

package watch

import "syscall"

// oNonblock makes opening a FIFO put in place of a file return at once
// instead of waiting for a writer.
const oNonblock = syscall.O_NONBLOCK
